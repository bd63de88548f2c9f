"""``namida migrate --to postgresql://…``: a SQLite database copied into an empty PostgreSQL one.

The SQLite file itself is only read: a working copy of it and the PostgreSQL database are first
brought to the newest schema; then every table is copied in one PostgreSQL
transaction (parents before children), the identity sequences are moved past the copied ids, and
the row counts are compared table by table before anything is committed.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import asyncpg

from bot.domain.errors import NamidaError
from bot.storage.backup import backup_database
from bot.storage.database import SqliteStore
from bot.storage.locations import is_postgresql, shown
from bot.storage.postgresql import UNAVAILABLE, PostgresStore, connect, storable, unreachable

SCHEMA_VERSION_TABLE = "schema_version"  # created by PostgresStore's migrations, Namida's mark


class TransferError(NamidaError):
    """The copy was refused or failed; no row was committed to PostgreSQL."""


@dataclass(frozen=True, slots=True)
class Copied:
    table: str
    rows: int


@dataclass(frozen=True, slots=True)
class Transfer:
    source: Path
    target: str
    schema_version: int
    tables: tuple[Copied, ...]
    seconds: float

    def report(self) -> list[str]:
        width = max((len(t.table) for t in self.tables), default=0)
        lines = [f"  {t.table.ljust(width)}  {row_count(t.rows):>14}, counts match" for t in self.tables]
        total = sum(t.rows for t in self.tables)
        return [
            f"Copied {self.source} into {shown(self.target)} (schema version {self.schema_version}):",
            *lines,
            f"{row_count(total)} in {len(self.tables)} tables in {self.seconds:.1f} s. Set NAMIDA_DATABASE to the "
            "PostgreSQL URL and start Namida; keep the SQLite file as a backup.",
        ]


async def migrate_to_postgresql(
    source: Path, target: str, progress: Callable[[str], None] = lambda _line: None
) -> Transfer:
    started = time.perf_counter()
    if not is_postgresql(target):
        raise TransferError("--to must be a PostgreSQL URL (postgresql://user@host/database).")
    if not await asyncio.to_thread(source.is_file):
        raise TransferError(f"There is no SQLite database at {source} to copy (check --from or NAMIDA_DATABASE).")
    await _refuse_a_database_in_use(target)
    # The operator's file stays as it was (their last backup, usable by the Namida that made it):
    # a working copy is brought to the newest schema and copied from.
    with tempfile.TemporaryDirectory(prefix="namida-migrate-") as scratch:
        working = Path(scratch) / source.name
        progress(f"Copying {source} to a working copy in {scratch}")
        await asyncio.to_thread(backup_database, source, working)
        progress(f"Bringing the working copy and {shown(target)} to the newest schema")
        version = await _migrate_both(working, target)
        copied = await _copy_all(working, target, progress)
    return Transfer(source, target, version, tuple(copied), time.perf_counter() - started)


async def _copy_all(working: Path, target: str, progress: Callable[[str], None]) -> list[Copied]:
    with closing(sqlite3.connect(f"file:{working}?mode=ro", uri=True)) as sqlite:
        plan = _plan(sqlite)
        connection = await connect(target)
        try:
            async with connection.transaction():
                copied = [await _copy(sqlite, connection, table, columns, progress) for table, columns in plan]
                await _move_identities_past_the_copied_ids(connection)
        except (asyncpg.PostgresError,) + UNAVAILABLE as error:  # the server refused, or went away
            if isinstance(error.__context__, TransferError):  # the rollback failed after a table did
                raise error.__context__ from error
            raise TransferError(
                f"The copy failed ({error}); no row was committed to PostgreSQL (only Namida's empty tables), "
                "so the same command can run again once the cause is fixed."
            ) from error
        finally:
            await connection.close()
    return copied


async def _refuse_a_database_in_use(target: str) -> None:
    """Empty means no table at all, or only Namida's own tables without a row in them (what a copy
    that failed part-way leaves behind: its schema was committed, none of its rows)."""
    try:
        connection = await connect(target)
    except UNAVAILABLE + (asyncpg.PostgresError,) as error:
        raise TransferError(unreachable(target, error, "--to")) from error
    try:
        tables = [
            row[0]
            for row in await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
        ]
        namida_schema = SCHEMA_VERSION_TABLE in tables
        in_use = [
            table
            for table in tables
            if table != SCHEMA_VERSION_TABLE and await connection.fetchval(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
        ]
    finally:
        await connection.close()
    if tables and not namida_schema:
        raise TransferError(
            f"The PostgreSQL database {shown(target)} is not empty (it has the tables {_some(tables)}): migrate "
            "copies into an empty database only, so create a new one (for example `createdb namida`) and "
            "point --to at it."
        )
    if in_use:
        raise TransferError(
            f"The PostgreSQL database {shown(target)} is not empty (the tables {_some(in_use)} have rows): migrate "
            "copies into an empty database only, so create a new one (for example `createdb namida`) and "
            "point --to at it."
        )


def row_count(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def _some(tables: list[str]) -> str:
    return f"{', '.join(tables[:5])}{'…' if len(tables) > 5 else ''}"


async def _migrate_both(source: Path, target: str) -> int:
    sqlite = await SqliteStore.open(source)
    try:
        sqlite_version = await sqlite.schema_version()
    finally:
        await sqlite.close()
    postgresql = await PostgresStore.open(target)
    try:
        postgresql_version = await postgresql.schema_version()
    finally:
        await postgresql.close()
    if sqlite_version != postgresql_version:
        raise TransferError(
            f"The SQLite schema is at version {sqlite_version} but PostgreSQL's at {postgresql_version}: "
            "this Namida lacks a migration for one engine, so nothing was copied."
        )
    return sqlite_version


def _plan(sqlite: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    """Every table with its columns, each table after the tables it refers to."""
    tables = [
        row[0]
        for row in sqlite.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    parents = {t: {r[2] for r in sqlite.execute(f"PRAGMA foreign_key_list({t})")} - {t} for t in tables}
    try:
        order = list(TopologicalSorter(parents).static_order())
    except CycleError as error:
        raise TransferError(
            f"The tables refer to each other in a cycle ({error.args[1]}); nothing was copied."
        ) from error
    return [(t, [r[1] for r in sqlite.execute(f"PRAGMA table_info({t})")]) for t in order if t in parents]


async def _copy(
    sqlite: sqlite3.Connection,
    connection: asyncpg.Connection,
    table: str,
    columns: list[str],
    progress: Callable[[str], None],
) -> Copied:
    """One table by COPY. A column referring to its own table (a merged nomination's target) is
    copied empty and filled in afterwards, when every row it may point at is there."""
    own = [r[3] for r in sqlite.execute(f"PRAGMA foreign_key_list({table})") if r[2] == table]
    listed = ", ".join(columns)
    rows = sqlite.execute(f"SELECT {listed} FROM {table}").fetchall()
    blanked = [
        storable(tuple(None if name in own else value for name, value in zip(columns, row, strict=True)))
        for row in rows
    ]
    try:
        await connection.copy_records_to_table(table, records=blanked, columns=columns)
        for column in own:
            key = columns.index("id")
            at = columns.index(column)
            links = [(row[at], row[key]) for row in rows if row[at] is not None]
            await connection.executemany(f"UPDATE {table} SET {column} = $1 WHERE id = $2", links)
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OverflowError, ValueError) as error:
        # A value PostgreSQL's column cannot take (SQLite's INTEGER is wider than some of them).
        raise TransferError(
            f"The table {table} could not be copied ({error}); no row was committed to PostgreSQL (only "
            "Namida's empty tables), so the same command can run again once the cause is fixed."
        ) from error
    expected = sqlite.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    stored = await connection.fetchval(f"SELECT count(*) FROM {table}")
    if stored != expected:
        raise TransferError(f"{table}: {stored} rows arrived of {expected}; no row was committed to PostgreSQL.")
    progress(f"{table}: {row_count(stored)}")
    return Copied(table, stored)


async def _move_identities_past_the_copied_ids(connection: asyncpg.Connection) -> None:
    """The next id PostgreSQL hands out follows the largest one copied."""
    identities = await connection.fetch(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND is_identity = 'YES'"
    )
    for table, column in identities:
        await connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE(MAX({column}), 0) + 1, false)"
            f" FROM {table}"
        )
