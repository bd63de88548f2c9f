"""Storage on real SQLite files (migrations, refusal of newer schemas, damaged files) and on both
engines (transactions isolate coroutines). PostgreSQL's own migrations: test_postgresql.py."""

import asyncio
import shutil
import sqlite3

import pytest

from bot.storage.database import StorageError, Store
from bot.storage.migrator import MIGRATIONS_DIR, MigrationError, load_migrations

ALL = load_migrations()


def user_version(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def tables(path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def migrations_upto(tmp_path, version: int):
    folder = tmp_path / f"migrations_{version}"
    folder.mkdir()
    for migration in ALL[:version]:
        shutil.copy(MIGRATIONS_DIR / migration.name, folder / migration.name)
    return folder


async def test_fresh_database_is_created_migrated_and_configured(tmp_path):
    path = tmp_path / "namida.db"
    store = await Store.open(path)
    try:
        assert await store.schema_version() == len(ALL)
        assert (await store.fetch_value("PRAGMA journal_mode")) == "wal"
        assert (await store.fetch_value("PRAGMA foreign_keys")) == 1
    finally:
        await store.close()
    assert user_version(path) == len(ALL)


@pytest.mark.parametrize("start", range(len(ALL)))
async def test_upgrade_from_each_earlier_version(tmp_path, start):
    path = tmp_path / "namida.db"
    old = await Store.open(path, migrations_upto(tmp_path, start))
    await old.close()
    assert user_version(path) == start
    store = await Store.open(path)
    await store.close()
    assert user_version(path) == len(ALL)


async def test_failing_migration_leaves_the_database_unchanged(tmp_path):
    path = tmp_path / "namida.db"
    store = await Store.open(path)
    await store.remember_command_sync("app:global", "abc")
    await store.close()
    before = tables(path)

    broken = migrations_upto(tmp_path, len(ALL))
    bad = f"{len(ALL) + 1:04d}_broken.sql"
    (broken / bad).write_text("CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n")
    with pytest.raises(MigrationError, match="left unchanged"):
        await Store.open(path, broken)

    assert user_version(path) == len(ALL)
    assert tables(path) == before
    store = await Store.open(path)
    assert await store.command_sync_digest("app:global") == "abc"
    await store.close()


async def test_database_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "namida.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(MigrationError, match="schema version 99, newer than this Namida knows"):
        await Store.open(path)


async def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path):
    path = tmp_path / "namida.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="not a usable SQLite database"):
        await Store.open(path)


async def test_concurrent_transactions_do_not_commit_each_others_work(database):
    store = database
    started = asyncio.Event()

    async def failing_writer():
        async with store.transaction() as db:
            await db.execute("INSERT INTO meta VALUES ('a', '1', 'now')")
            started.set()
            await asyncio.sleep(0.05)
            raise RuntimeError("crash after a half-done write")

    async def other_writer():
        await started.wait()
        await store.remember_command_sync("x", "2")

    results = await asyncio.gather(failing_writer(), other_writer(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert await store.fetch_value("SELECT count(*) FROM meta WHERE key = 'a'") == 0
    assert await store.command_sync_digest("x") == "2"


async def test_a_read_during_another_coroutines_transaction_sees_only_committed_rows(database):
    store = database
    written, read = asyncio.Event(), asyncio.Event()
    query = "SELECT count(*) FROM meta WHERE key = 'pending'"

    async def writer() -> object:
        async with store.transaction() as db:
            await db.execute("INSERT INTO meta VALUES ('pending', '1', 'now')")
            own_view = await store.fetch_value(query)  # the transaction sees its own row
            written.set()
            await read.wait()
        return own_view

    async def reader() -> object:
        await written.wait()
        try:
            return await store.fetch_value(query)
        finally:
            read.set()

    own_view, outside_view = await asyncio.gather(writer(), reader())
    assert (own_view, outside_view) == (1, 0)
    assert await store.fetch_value(query) == 1  # and everyone sees it once committed


async def test_a_one_trip_transaction_keeps_all_of_its_work_or_none(tmp_path):
    store = await Store.open(tmp_path / "namida.db")

    def write_then_fail(db):
        db.execute("INSERT INTO meta VALUES ('half', '1', 'now')")
        raise RuntimeError("crash after a half-done write")

    with pytest.raises(RuntimeError):
        await store.run_transaction(write_then_fail)
    assert await store.run_transaction(lambda db: db.execute("INSERT INTO meta VALUES ('whole', '1', 'now')").rowcount)
    assert [r[0] for r in await store.fetch_all("SELECT key FROM meta WHERE key IN ('half', 'whole')")] == ["whole"]
    await store.close()


def test_migration_files_are_numbered_without_gaps(tmp_path):
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match="without gaps"):
        load_migrations(tmp_path)
