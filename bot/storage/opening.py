"""``open_database``: the engine NAMIDA_DATABASE names, connected and migrated."""

from __future__ import annotations

from pathlib import Path

from bot.storage.database import SqliteStore
from bot.storage.engine import Database
from bot.storage.locations import is_postgresql
from bot.storage.postgresql import PostgresStore


async def open_database(database: str | Path) -> Database:
    """A ``postgresql://`` or ``postgres://`` URL opens PostgreSQL; anything else is a SQLite file."""
    if is_postgresql(database):
        return await PostgresStore.open(str(database))
    return await SqliteStore.open(Path(database))


async def describe_for_check(database: str | Path) -> str:
    """Engine, version, where and schema version, without creating or migrating anything."""
    if is_postgresql(database):
        return await PostgresStore.inspect(str(database))
    return SqliteStore.inspect(Path(database))
