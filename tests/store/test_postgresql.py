"""The PostgreSQL engine on a throwaway server: migrations numbered like SQLite's, the schema
version in a table, refusal of newer schemas and of broken migrations, settings per connection."""

from __future__ import annotations

import asyncio
import shutil

import asyncpg
import pytest

from bot.storage.engine import ConstraintViolation, StorageError
from bot.storage.migrator import MIGRATIONS_DIR, POSTGRESQL_MIGRATIONS_DIR, MigrationError, load_migrations
from bot.storage.postgresql import PostgresStore, numbered

PG = load_migrations(POSTGRESQL_MIGRATIONS_DIR)


@pytest.fixture
async def empty_url(postgresql_server) -> str:
    return postgresql_server.url(await postgresql_server.create_database())


def migrations_upto(tmp_path, version: int):
    folder = tmp_path / f"migrations_{version}"
    folder.mkdir()
    for migration in PG[:version]:
        shutil.copy(POSTGRESQL_MIGRATIONS_DIR / migration.name, folder / migration.name)
    return folder


async def tables(url: str) -> set[str]:
    connection = await asyncpg.connect(url)
    try:
        return {r[0] for r in await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    finally:
        await connection.close()


def test_every_sqlite_migration_has_a_postgresql_twin_with_the_same_number():
    sqlite = [m.name for m in load_migrations(MIGRATIONS_DIR)]
    assert [m.name for m in PG] == sqlite


def test_placeholders_become_numbered_outside_quotes_only():
    assert numbered("SELECT ? WHERE a = ? AND b = '?' AND \"c?\" = ?") == (
        "SELECT $1 WHERE a = $2 AND b = '?' AND \"c?\" = $3"
    )


async def test_a_fresh_database_is_migrated_and_commits_synchronously(empty_url):
    store = await PostgresStore.open(empty_url)
    try:
        assert await store.schema_version() == len(PG)
        assert await store.fetch_value("SHOW synchronous_commit") == "on"
        async with store.transaction() as db:
            assert await db.fetch_one("SHOW synchronous_commit") == ("on",)
        assert (await store.describe()).startswith("PostgreSQL 1")
        assert f"schema version {len(PG)}" in await store.describe()
    finally:
        await store.close()
    await store.close()  # a second close is a no-op


@pytest.mark.parametrize("start", range(len(PG)))
async def test_upgrade_from_each_earlier_version(tmp_path, empty_url, start):
    old = await PostgresStore.open(empty_url, migrations_upto(tmp_path, start))
    await old.close()
    store = await PostgresStore.open(empty_url)
    try:
        assert await store.schema_version() == len(PG)
    finally:
        await store.close()


async def test_two_processes_migrating_at_once_apply_each_migration_once(empty_url):
    first, second = await asyncio.gather(PostgresStore.open(empty_url), PostgresStore.open(empty_url))
    assert await first.schema_version() == await second.schema_version() == len(PG)
    await first.close()
    await second.close()


async def test_a_failing_migration_leaves_the_database_unchanged(tmp_path, empty_url):
    store = await PostgresStore.open(empty_url)
    await store.remember_command_sync("app:global", "abc")
    await store.close()
    before = await tables(empty_url)
    broken = migrations_upto(tmp_path, len(PG))
    (broken / f"{len(PG) + 1:04d}_broken.sql").write_text(
        "CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    )
    with pytest.raises(MigrationError, match="left unchanged"):
        await PostgresStore.open(empty_url, broken)
    assert await tables(empty_url) == before
    store = await PostgresStore.open(empty_url)
    try:
        assert await store.schema_version() == len(PG)
        assert await store.command_sync_digest("app:global") == "abc"
    finally:
        await store.close()


async def test_a_database_newer_than_the_code_is_refused(empty_url):
    store = await PostgresStore.open(empty_url)
    async with store.transaction() as db:
        await db.execute("UPDATE schema_version SET version = 99")
    await store.close()
    with pytest.raises(MigrationError, match="schema version 99, newer than this Namida knows"):
        await PostgresStore.open(empty_url)


async def test_an_unreachable_server_is_one_sentence_without_the_password(tmp_path):
    url = f"postgresql://namida:hunter2@/nowhere?host={tmp_path}"
    with pytest.raises(StorageError, match="Cannot connect to the PostgreSQL database") as raised:
        await PostgresStore.open(url)
    assert "hunter2" not in str(raised.value)


async def test_a_broken_constraint_is_the_same_error_on_both_engines(database):
    async with database.transaction() as db:
        await db.execute("INSERT INTO meta VALUES ('k', '1', 'now')")
    with pytest.raises(ConstraintViolation):
        async with database.transaction() as db:
            await db.execute("INSERT INTO meta VALUES ('k', '2', 'now')")
    assert await database.fetch_value("SELECT value FROM meta WHERE key = 'k'") == "1"
