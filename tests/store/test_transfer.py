"""``namida migrate --to postgresql://…``: a SQLite database with nominations, merges, polls and
ballots arrives whole in an empty PostgreSQL database, and Namida goes on from there; a database
already in use is refused, and one a failed copy left behind is not."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import asyncpg
import pytest

from bot.domain.ballots import Replace, Toggle
from bot.domain.guild_settings import GuildSettings
from bot.domain.nominations import Format, check_rules, make_draft
from bot.domain.polls import Mode
from bot.storage.database import SqliteStore
from bot.storage.engine import Database
from bot.storage.guild_settings import GuildSettingsStore
from bot.storage.nominations import NominationStore
from bot.storage.polls import PollStore
from bot.storage.postgresql import PostgresStore
from bot.storage.transfer import TransferError, migrate_to_postgresql
from tests.app.test_cli import run_cli
from tests.store.test_poll_store import NOW, make_poll
from tests.store.test_store import ALL, migrations_upto, user_version

SETTINGS = GuildSettings(1, cooldown_seconds=0, max_open_nominations=25)


async def fill(store: Database, top_list) -> None:
    nominations, polls = NominationStore(store), PollStore(store)
    await GuildSettingsStore(store).update(1, NOW, poll_channel_id=77, show_titles_are_spoilers=True)
    made = []
    for author, moment in enumerate(("First moment", "Second moment", "Third moment")):
        draft = make_draft("Clannad", moment, None, "What happens.", "Why.", Format.TV)
        made.append(
            await nominations.add_nomination(
                1, top_list.id, 10 + author, check_rules(draft, top_list, SETTINGS), SETTINGS, NOW
            )
        )
    await nominations.toggle_second(made[1].id, 99, NOW)
    await nominations.merge(made[0].id, made[2].id, 5, NOW)  # points at a later row
    single, ranked = await make_poll(polls), await make_poll(polls, Mode.RANKED)
    for user in range(40):
        await polls.cast(single, 1000 + user, Toggle(user % 3), NOW)
        await polls.cast(ranked, 1000 + user, Replace((user % 3, (user + 1) % 3)), NOW)
    await polls.close(single.id, NOW + timedelta(minutes=1))
    await store.remember_command_sync("app:global", "digest")


async def snapshot(store: Database) -> dict:
    polls, nominations = PollStore(store), NominationStore(store)
    return {
        "counts": [await polls.counts(i) for i in (1, 2)],
        "patterns": await polls.patterns(2),
        "ballots": sorted(await polls.all_ballots(1)),
        "nominations": [(n.number, n.status, n.merged_into, n.seconds) for n in (await nominations.page(
            1, status=None, show_keys=None, author_id=None, offset=0, limit=25))[0]],
        "settings": await GuildSettingsStore(store).get(1),
        "sync": await store.command_sync_digest("app:global"),
    }  # fmt: skip


async def test_a_sqlite_database_arrives_whole_and_namida_goes_on_from_there(tmp_path, top_list, postgresql_server):
    source = tmp_path / "namida.db"
    sqlite = await SqliteStore.open(source)
    await fill(sqlite, top_list)
    before = await snapshot(sqlite)
    await sqlite.close()
    target = postgresql_server.url(await postgresql_server.create_database())

    transfer = await migrate_to_postgresql(source, target)

    copied = {t.table: t.rows for t in transfer.tables}
    assert copied["ballots"] == 80 and copied["nominations"] == 3 and copied["seconds"] == 2
    assert list(copied).index("polls") < list(copied).index("ballots")
    assert "80 rows" not in transfer.report()[0] and transfer.report()[-1].startswith(f"{sum(copied.values()):,} rows")
    store = await PostgresStore.open(target)
    try:
        assert await snapshot(store) == before
        new = await make_poll(PollStore(store))  # ids go on after the copied ones
        assert new.id == 3
    finally:
        await store.close()


async def test_the_sqlite_file_is_only_read_even_when_its_schema_is_older(tmp_path, postgresql_server):
    """It stays the operator's last backup, usable by the Namida that wrote it."""
    data = tmp_path / "data"
    data.mkdir()
    source = data / "namida.db"
    old = await SqliteStore.open(source, migrations_upto(tmp_path, len(ALL) - 1))
    await old.remember_command_sync("app:global", "digest")
    await old.close()
    before = source.read_bytes()
    target = postgresql_server.url(await postgresql_server.create_database())

    transfer = await migrate_to_postgresql(source, target)

    assert transfer.schema_version == len(ALL) and {t.table: t.rows for t in transfer.tables}["meta"] == 1
    assert source.read_bytes() == before and user_version(source) == len(ALL) - 1
    # No working copy left beside it; reading a WAL database leaves SQLite's empty -wal and -shm.
    assert {p.name for p in data.iterdir()} <= {"namida.db", "namida.db-wal", "namida.db-shm"}
    assert not (data / "namida.db-wal").exists() or (data / "namida.db-wal").stat().st_size == 0


async def test_a_database_already_in_use_is_refused_and_both_are_left_alone(tmp_path, postgresql_server):
    source = tmp_path / "namida.db"
    await (await SqliteStore.open(source)).close()
    before = source.read_bytes()
    in_use = postgresql_server.url(await postgresql_server.create_database())
    store = await PostgresStore.open(in_use)
    await store.remember_command_sync("app:global", "digest")
    await store.close()
    with pytest.raises(TransferError, match=r"not empty \(the tables meta have rows\): migrate copies into an empty"):
        await migrate_to_postgresql(source, in_use)
    assert await _rows(in_use, "meta") == 1
    other = postgresql_server.url(await postgresql_server.create_database())
    await _execute(other, "CREATE TABLE invoices (id integer)")  # someone else's database, even with no rows
    with pytest.raises(TransferError, match=r"is not empty \(it has the tables invoices\)"):
        await migrate_to_postgresql(source, other)
    assert source.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["namida.db"]
    with pytest.raises(TransferError, match="There is no SQLite database at"):
        await migrate_to_postgresql(tmp_path / "missing.db", in_use)
    missing = postgresql_server.url("no_such_database")
    with pytest.raises(TransferError, match=r"Cannot connect .*no_such_database.* check --to and that the server"):
        await migrate_to_postgresql(source, missing)


async def test_after_a_copy_that_failed_part_way_the_same_command_runs_again(tmp_path, top_list, postgresql_server):
    source = tmp_path / "namida.db"
    sqlite = await SqliteStore.open(source)
    await fill(sqlite, top_list)
    async with sqlite.transaction() as db:  # SQLite's INTEGER is wider than PostgreSQL's
        await db.execute("UPDATE nominations SET seconds = ? WHERE id = 1", (2**40,))
    await sqlite.close()
    target = postgresql_server.url(await postgresql_server.create_database())

    with pytest.raises(TransferError, match=r"The table nominations could not be copied .* can run again"):
        await migrate_to_postgresql(source, target)
    assert await _rows(target, "guild_settings") == 0  # the tables copied before it went with the rollback

    sqlite = await SqliteStore.open(source)
    async with sqlite.transaction() as db:
        await db.execute("UPDATE nominations SET seconds = 0 WHERE id = 1")
    await sqlite.close()
    transfer = await migrate_to_postgresql(source, target)
    assert {t.table: t.rows for t in transfer.tables}["ballots"] == 80


async def test_a_server_that_goes_away_mid_copy_is_one_sentence(tmp_path, top_list, postgresql_server):
    source = tmp_path / "namida.db"
    sqlite = await SqliteStore.open(source)
    await fill(sqlite, top_list)
    await sqlite.close()
    name = await postgresql_server.create_database()
    target = postgresql_server.url(name)

    def cut_off(line: str) -> None:  # an administrator ends the session once the first table is in
        if line.startswith("meta:"):
            worker = threading.Thread(target=asyncio.run, args=(_terminate_sessions(postgresql_server, name),))
            worker.start()
            worker.join()

    with pytest.raises(TransferError, match=r"^The table guild_settings could not be copied .* no row was committed"):
        await migrate_to_postgresql(source, target, cut_off)
    assert await _rows(target, "meta") == 0


async def _terminate_sessions(server, name: str) -> None:
    connection = await server.admin()
    try:
        await connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
        for _ in range(500):  # until the session is really gone, so the very next statement fails
            if not await connection.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", name):
                return
            await asyncio.sleep(0.01)
    finally:
        await connection.close()


async def test_text_with_a_nul_arrives_without_it(tmp_path, top_list, postgresql_server):
    """SQLite keeps U+0000 in text (a member may type one); PostgreSQL's text cannot hold it."""
    source = tmp_path / "namida.db"
    sqlite = await SqliteStore.open(source)
    await fill(sqlite, top_list)
    async with sqlite.transaction() as db:
        await db.execute("UPDATE meta SET value = ? WHERE key = 'command_sync:app:global'", ("di\x00gest",))
    await sqlite.close()
    target = postgresql_server.url(await postgresql_server.create_database())

    await migrate_to_postgresql(source, target)

    store = await PostgresStore.open(target)
    try:
        assert await store.command_sync_digest("app:global") == "digest"
    finally:
        await store.close()


async def _rows(url: str, table: str) -> int:
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval(f"SELECT count(*) FROM {table}")
    finally:
        await connection.close()


async def _execute(url: str, sql: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def test_the_command_prints_a_report_table_by_table(tmp_path, postgresql_server):
    asyncio.run(_sqlite_with_one_row(tmp_path / "namida.db"))
    target = postgresql_server.url(asyncio.run(postgresql_server.create_database()))
    result = run_cli("migrate", "--to", target, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Copied namida.db into {target} (schema version ")
    assert any(line.split()[:2] == ["polls", "0"] and line.endswith("rows, counts match") for line in lines)
    assert any(line.split() == ["meta", "1", "row,", "counts", "match"] for line in lines)
    again = run_cli("migrate", "--to", target, cwd=tmp_path)
    assert again.returncode == 1 and "is not empty" in again.stderr and "Traceback" not in again.stderr


async def _sqlite_with_one_row(path) -> None:
    store = await SqliteStore.open(path)
    await store.remember_command_sync("app:global", "digest")
    await store.close()
