"""The SQLite engine: one writer connection, one reader connection, each on its own thread.

Writes run one at a time under ``_write_lock`` inside ``BEGIN IMMEDIATE … COMMIT`` on the writer.
Reads from outside a transaction go to the reader, which in WAL mode sees only committed rows, so
no coroutine ever reads another one's half-done transaction. Reads inside ``transaction()`` use the
writer, so they see that transaction's own changes. Never await a Discord call inside one.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, closing
from contextvars import ContextVar
from functools import partial
from pathlib import Path
from typing import TypeVar

from bot.storage.engine import (
    ConstraintViolation,
    Database,
    Executed,
    Row,
    StorageError,
    StorageUnavailable,
    utc_text,
    utc_time,
)
from bot.storage.migrator import MIGRATIONS_DIR, Migration, MigrationError, load_migrations
from bot.storage.sqlite_thread import SqliteThread

__all__ = [
    "ConstraintViolation", "Executed", "Row", "SqliteStore", "StorageError", "StorageUnavailable", "Store",
    "utc_text", "utc_time",
]  # fmt: skip

log = logging.getLogger(__name__)
T = TypeVar("T")
# The store whose write transaction the current task is inside, if any.
_transaction_of: ContextVar[SqliteStore | None] = ContextVar("namida_transaction_of", default=None)


class SqliteStore(Database):
    engine = "sqlite"

    def __init__(self, writer: SqliteThread, path: Path) -> None:
        self._writer = writer
        self._reader: SqliteThread | None = None  # until open() has migrated the file
        self.path = path
        self._write_lock = asyncio.Lock()
        # Seconds each write transaction held the lock, commit included (``/metrics``).
        self.commit_observer: Callable[[float], None] = lambda _seconds: None

    @classmethod
    async def open(cls, path: Path, migrations_dir: Path = MIGRATIONS_DIR) -> SqliteStore:
        """Open (creating if needed) and migrate the database at ``path``."""
        migrations = load_migrations(migrations_dir)
        try:
            writer = await SqliteThread.connect(path, "namida-db-writer")
        except sqlite3.Error as error:
            raise StorageError(f"Cannot open the database {path} ({error}); check NAMIDA_DATABASE.") from error
        store = cls(writer, path)
        try:
            await store._configure(writer, "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL")
            await store._check_integrity()
            await store._migrate(migrations)
            store._reader = await SqliteThread.connect(path, "namida-db-reader")
            await store._configure(store._reader, "PRAGMA query_only=ON")
        except BaseException:
            await store._close_connections()
            raise
        return store

    @staticmethod
    def inspect(path: Path) -> str:
        """What ``namida check`` says about the file, without creating or migrating it."""
        if not path.exists():
            return f"SQLite at {path} (not created yet: Namida creates it at start-up)"
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise StorageError(unusable(path, error)) from error
        return f"SQLite {sqlite3.sqlite_version} at {path}, schema version {version}"

    async def close(self) -> None:
        async with self._write_lock:
            await self._close_connections()

    async def _close_connections(self) -> None:
        if self._reader is not None:
            await self._reader.close()
        await self._writer.close()

    async def _configure(self, connection: SqliteThread, *pragmas: str) -> None:
        try:
            for pragma in (*pragmas, "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"):
                await connection.execute(pragma)
        except sqlite3.DatabaseError as error:
            raise StorageError(unusable(self.path, error)) from error

    async def _check_integrity(self) -> None:
        """A damaged file is refused at start-up with a sentence, not found out mid-vote."""
        try:
            rows = await self.fetch_all("PRAGMA quick_check")
        except sqlite3.DatabaseError as error:
            problem: str | None = str(error)
        else:
            problem = "; ".join(str(r[0]) for r in rows[:3]) if [r[0] for r in rows] != ["ok"] else None
        if problem:
            raise StorageError(
                f"The database {self.path} is damaged ({problem}). Stop Namida, restore your latest backup "
                "(see Operations in the README), and start it again."
            )

    async def schema_version(self) -> int:
        return int(await self.fetch_value("PRAGMA user_version") or 0)

    async def describe(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} at {self.path}, schema version {await self.schema_version()}"

    async def _migrate(self, migrations: list[Migration]) -> None:
        current = await self.schema_version()
        newest = migrations[-1].version if migrations else 0
        if current > newest:
            raise MigrationError(
                f"The database {self.path} has schema version {current}, newer than this Namida "
                f"knows ({newest}). Upgrade Namida, or point NAMIDA_DATABASE at another file."
            )
        for migration in migrations[current:]:
            async with self._write_lock:
                try:
                    await self._writer.run(partial(_run_script, script=migration.script()))
                except sqlite3.Error as error:
                    if isinstance(error, sqlite3.OperationalError) and (
                        "readonly" in str(error) or "full" in str(error)
                    ):
                        raise StorageError(unusable(self.path, error)) from error
                    raise MigrationError(
                        f"Migration {migration.name} failed ({error}); the database was left unchanged."
                    ) from error
            log.info("Database migrated to version %s (%s)", migration.version, migration.name)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteThread]:
        """``BEGIN IMMEDIATE … COMMIT`` under the write lock; any exception rolls back. A storage
        failure (read-only file, full disk, I/O error) becomes ``StorageUnavailable``."""
        async with self._write_lock:
            started = time.perf_counter()
            inside = _transaction_of.set(self)
            try:
                await self._writer.run(_begin)
                try:
                    yield self._writer
                except BaseException:
                    await self._writer.run(_roll_back)
                    raise
                else:
                    await self._writer.execute("COMMIT")
                    self.commit_observer(time.perf_counter() - started)
            except sqlite3.OperationalError as error:
                await self._writer.run(_roll_back)
                raise _write_failed(error) from error
            finally:
                _transaction_of.reset(inside)

    async def run_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` runs on the database thread inside ``BEGIN IMMEDIATE … COMMIT``, in one trip.

        For the vote path: each trip back to a busy event loop waits behind every other event, and
        a transaction of many awaited statements paid that wait ten times per batch of votes.
        ``work`` must only use the connection it is given and must not touch the event loop.
        """
        async with self._write_lock:
            started = time.perf_counter()
            try:
                result = await self._writer.run(lambda raw: _in_transaction(raw, work))
            except sqlite3.OperationalError as error:
                raise _write_failed(error) from error
            self.commit_observer(time.perf_counter() - started)
            return result

    async def ping(self) -> None:
        await self.fetch_value("SELECT 1")

    # One trip to a database thread each: under load every trip also waits for the GIL.
    async def fetch_one(self, sql: str, *params: object) -> sqlite3.Row | None:
        rows = await self._connection_for_reads().fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, *params: object) -> list[sqlite3.Row]:
        return await self._connection_for_reads().fetch_all(sql, params)

    async def set_writer_pragma(self, pragma: str) -> None:
        """A ``PRAGMA`` on the write connection, between transactions (how tests fake a full disk)."""
        async with self._write_lock:
            await self._writer.execute(pragma)

    async def run_read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` on the connection reads use here (the bench traces the SQL a tally runs)."""
        return await self._connection_for_reads().run(work)

    def _connection_for_reads(self) -> SqliteThread:
        if self._reader is None or _transaction_of.get() is self:
            return self._writer
        return self._reader


Store = SqliteStore  # the name the stores and tests knew before there were two engines


def _write_failed(error: sqlite3.OperationalError) -> StorageUnavailable:
    log.error("Database write failed, nothing kept: %s", error)
    return StorageUnavailable()


def _begin(raw: sqlite3.Connection) -> None:
    """A task cancelled while waiting for its ``BEGIN`` never learnt that the thread ran it: its
    transaction is still open here, and nothing of it may become part of this one."""
    if raw.in_transaction:
        raw.execute("ROLLBACK")
    raw.execute("BEGIN IMMEDIATE")


def _roll_back(raw: sqlite3.Connection) -> None:
    if raw.in_transaction:
        raw.execute("ROLLBACK")


def _run_script(raw: sqlite3.Connection, script: str) -> None:
    """A migration script is all or nothing: a failure part-way rolls back what it began."""
    try:
        raw.executescript(script)
    except BaseException:
        _roll_back(raw)
        raise


def _in_transaction(raw: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """On the database thread: all of ``work`` or none of it."""
    _begin(raw)
    try:
        result = work(raw)
        raw.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raise
    return result


def unusable(path: Path, error: sqlite3.Error) -> str:
    """One sentence for a database Namida cannot start on, saying what to do about it."""
    text = str(error)
    if "readonly" in text or "read-only" in text:
        return (
            f"The database {path} can't be written (a read-only file or folder): fix its permissions, "
            "or point NAMIDA_DATABASE at a writable place."
        )
    if "full" in text:
        return f"The disk holding {path} is full: free some space, then start Namida again."
    return (
        f"{path} is not a usable SQLite database ({text}). Point NAMIDA_DATABASE at another file, or restore a backup."
    )
