"""``namida migrate --to postgresql://…``: a SQLite database with nominations, merges, polls and
ballots arrives whole in an empty PostgreSQL database, and Namida goes on from there; a database
already in use is refused."""

from __future__ import annotations

import asyncio
from datetime import timedelta

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
from tests.pg_server import SHARED
from tests.store.test_poll_store import NOW, make_poll

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


async def test_a_database_already_in_use_is_refused_and_left_alone(tmp_path, top_list, postgresql_server):
    source = tmp_path / "namida.db"
    await (await SqliteStore.open(source)).close()
    with pytest.raises(TransferError, match=r"is not empty .* migrate copies into an empty database only"):
        await migrate_to_postgresql(source, postgresql_server.url(SHARED))
    with pytest.raises(TransferError, match="There is no SQLite database at"):
        await migrate_to_postgresql(tmp_path / "missing.db", postgresql_server.url(SHARED))


def test_the_command_prints_a_report_table_by_table(tmp_path, postgresql_server):
    asyncio.run(_empty_sqlite(tmp_path / "namida.db"))
    target = postgresql_server.url(asyncio.run(postgresql_server.create_database()))
    result = run_cli("migrate", "--to", target, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Copied namida.db into {target} (schema version ")
    assert any(line.split()[:2] == ["polls", "0"] and line.endswith("counts match") for line in lines)
    again = run_cli("migrate", "--to", target, cwd=tmp_path)
    assert again.returncode == 1 and "is not empty" in again.stderr and "Traceback" not in again.stderr


async def _empty_sqlite(path) -> None:
    await (await SqliteStore.open(path)).close()
