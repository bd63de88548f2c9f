"""The PostgreSQL engine (asyncpg): one writer connection, a small pool for committed reads.

Write transactions run one at a time in this process (``_write_lock``) and, through a
transaction-scoped advisory lock taken together with ``BEGIN``, one at a time across every process
sharing the database: the promise SQLite's ``BEGIN IMMEDIATE`` makes, so a check made inside a
transaction still holds at its commit. Every connection runs with ``synchronous_commit=on``: a
``COMMIT`` returns once it is durable, and a vote is acknowledged only after it. Group commit is
the ballot writer's batching, as on SQLite.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import asyncpg

from bot.storage.engine import (
    ConstraintViolation,
    Database,
    Executed,
    Params,
    Row,
    StorageError,
    StorageUnavailable,
)
from bot.storage.locations import shown
from bot.storage.migrator import POSTGRESQL_MIGRATIONS_DIR, Migration, MigrationError, load_migrations

log = logging.getLogger(__name__)

WRITE_LOCK = 0x4E414D49  # the advisory lock key every Namida process takes to write ("NAMI")
READ_POOL_SIZE = 8
SERVER_SETTINGS = {"synchronous_commit": "on", "application_name": "namida", "TimeZone": "UTC"}
# The server or the connection went away, or it cannot take writes (disk full, read-only, shutdown).
UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.InsufficientResourcesError,
    asyncpg.OperatorInterventionError,
    asyncpg.ReadOnlySQLTransactionError,
    asyncpg.PostgresSystemError,
)
# The client's protocol state, not the server, is the problem: the connection is not reusable.
CONFUSED: tuple[type[BaseException], ...] = (asyncpg.InterfaceError, asyncpg.InternalClientError)
_inside: ContextVar[tuple[PostgresStore, PostgresTransaction] | None] = ContextVar(
    "namida_postgresql_transaction", default=None
)


@lru_cache(maxsize=4096)
def numbered(sql: str) -> str:
    """``?`` placeholders as asyncpg's ``$1, $2…``; a ``?`` inside quotes is left alone."""
    out: list[str] = []
    count, quote = 0, ""
    for char in sql:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "?":
            count += 1
            out.append(f"${count}")
            continue
        out.append(char)
    return "".join(out)


def storable(params: Params) -> Params:
    """PostgreSQL text cannot hold U+0000, which a member's text may carry (SQLite keeps it): it is
    dropped, as it shows nothing anyway, rather than failing the member's request."""
    if not any(isinstance(p, str) and "\x00" in p for p in params):
        return params
    return tuple(p.replace("\x00", "") if isinstance(p, str) else p for p in params)


class PostgresTransaction:
    """The writer connection inside ``PostgresStore.transaction()``."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Params = ()) -> Executed:
        with _constraints_named():
            status = await self._connection.execute(numbered(sql), *storable(params))
        return Executed(None, _rows_changed(status))

    async def executemany(self, sql: str, rows: Sequence[Params]) -> Executed:
        with _constraints_named():
            await self._connection.executemany(numbered(sql), [storable(row) for row in rows])
        return Executed(None, -1)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[asyncpg.Record]:
        with _constraints_named():  # an INSERT … RETURNING is fetched too
            return await self._connection.fetch(numbered(sql), *storable(params))

    async def fetch_one(self, sql: str, params: Params = ()) -> asyncpg.Record | None:
        with _constraints_named():
            return await self._connection.fetchrow(numbered(sql), *storable(params))


class PostgresStore(Database):
    engine = "postgresql"

    def __init__(self, url: str, writer: asyncpg.Connection, readers: asyncpg.Pool) -> None:
        self.url = url
        self._writer = writer
        self._readers = readers
        self._write_lock = asyncio.Lock()
        self._closed = False
        self.commit_observer: Callable[[float], None] = lambda _seconds: None

    @classmethod
    async def open(cls, url: str, migrations_dir: Path = POSTGRESQL_MIGRATIONS_DIR) -> PostgresStore:
        """Connect to ``url`` and bring its schema up to date."""
        migrations = load_migrations(migrations_dir)
        try:
            writer = await connect(url)
        except UNAVAILABLE + (asyncpg.PostgresError,) as error:
            raise StorageError(unreachable(url, error)) from error
        try:
            readers = await asyncpg.create_pool(
                url, min_size=1, max_size=READ_POOL_SIZE, server_settings=SERVER_SETTINGS, reset=_keep_session
            )
        except BaseException:
            await writer.close()
            raise
        store = cls(url, writer, readers)
        try:
            await store._migrate(migrations)
        except BaseException:
            await store.close()
            raise
        return store

    @staticmethod
    async def inspect(url: str) -> str:
        """What ``namida check`` says about the database, without creating or migrating anything."""
        try:
            connection = await connect(url)
        except UNAVAILABLE + (asyncpg.PostgresError,) as error:
            raise StorageError(unreachable(url, error)) from error
        try:
            server = await connection.fetchval("SHOW server_version")
            if await connection.fetchval("SELECT to_regclass('schema_version') IS NULL"):
                schema = "no schema yet (Namida creates it at start-up)"
            else:
                schema = f"schema version {await connection.fetchval('SELECT version FROM schema_version')}"
        finally:
            await connection.close()
        return f"PostgreSQL {server} at {shown(url)}, {schema}"

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        async with self._write_lock:
            try:
                await self._writer.close(timeout=5)
            except UNAVAILABLE:
                self._writer.terminate()
            await self._readers.close()

    # -- schema -------------------------------------------------------------------------------

    async def schema_version(self) -> int:
        return int(await self.fetch_value("SELECT version FROM schema_version") or 0)

    async def describe(self) -> str:
        server = await self.fetch_value("SHOW server_version")
        return f"PostgreSQL {server} at {shown(self.url)}, schema version {await self.schema_version()}"

    async def _migrate(self, migrations: list[Migration]) -> None:
        newest = migrations[-1].version if migrations else 0
        async with self._write_lock, self._writer.transaction():
            await self._writer.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            await self._writer.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);"
                "INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)"
            )
        current = await self.schema_version()
        if current > newest:
            raise MigrationError(
                f"The database {shown(self.url)} has schema version {current}, newer than this Namida knows "
                f"({newest}). Upgrade Namida, or point NAMIDA_DATABASE at another database."
            )
        for migration in migrations[current:]:
            async with self._write_lock:
                try:
                    applied = await self._apply(migration)
                except asyncpg.PostgresError as error:
                    raise MigrationError(
                        f"Migration {migration.name} failed ({error}); the database was left unchanged."
                    ) from error
            if applied:
                log.info("Database migrated to version %s (%s)", migration.version, migration.name)

    async def _apply(self, migration: Migration) -> bool:
        """The migration and its version bump in one transaction; False if another process
        starting at the same moment applied it first."""
        async with self._writer.transaction():
            await self._writer.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            if await self._writer.fetchval("SELECT version FROM schema_version") >= migration.version:
                return False
            await self._writer.execute(migration.sql)
            await self._writer.execute("UPDATE schema_version SET version = $1", migration.version)
        return True

    # -- transactions and reads ---------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresTransaction]:
        async with self._write_lock:
            started = time.perf_counter()
            try:
                connection = await self._begin()
            except UNAVAILABLE + CONFUSED as error:
                raise _write_failed(error) from error
            transaction = PostgresTransaction(connection)
            inside = _inside.set((self, transaction))
            try:
                yield transaction
                await connection.execute("COMMIT")
            except BaseException as error:
                await _roll_back(connection)
                if isinstance(error, UNAVAILABLE + CONFUSED):
                    raise _write_failed(error) from error
                raise
            finally:
                _inside.reset(inside)
            self.commit_observer(time.perf_counter() - started)

    async def fetch_all(self, sql: str, *params: object) -> Sequence[Row]:
        inside = self._transaction_here()
        if inside is not None:
            return await inside.fetch_all(sql, params)
        return await self._readers.fetch(numbered(sql), *storable(params))

    async def fetch_one(self, sql: str, *params: object) -> Row | None:
        inside = self._transaction_here()
        if inside is not None:
            return await inside.fetch_one(sql, params)
        return await self._readers.fetchrow(numbered(sql), *storable(params))

    async def ping(self) -> None:
        await self.fetch_value("SELECT 1")

    def _transaction_here(self) -> PostgresTransaction | None:
        inside = _inside.get()
        return inside[1] if inside is not None and inside[0] is self else None

    async def _begin(self) -> asyncpg.Connection:
        """``BEGIN`` on the writer, connected again if the server dropped it (a restart, a failover,
        an administrator): nothing was sent yet, so trying once more on a new connection is safe."""
        for attempt in (1, 2):
            if self._writer.is_closed():
                self._writer = await connect(self.url)
            try:
                if self._writer.is_in_transaction():  # left open by a task cancelled mid-statement
                    await self._writer.execute("ROLLBACK")
                await self._writer.execute(f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            except UNAVAILABLE + CONFUSED + (asyncpg.PostgresError,) as error:
                if attempt == 2:
                    raise
                if isinstance(error, CONFUSED) and not self._writer.is_closed():
                    # Busy with a cancelled statement, or out of step after the server ended the
                    # session: start afresh (the server rolls back whatever it had open).
                    self._writer.terminate()
                elif not self._writer.is_closed():
                    raise
                log.warning("The database connection was lost; connecting again")
            else:
                break
        return self._writer


async def connect(url: str) -> asyncpg.Connection:
    return await asyncpg.connect(url, server_settings=SERVER_SETTINGS)


def unreachable(url: str, error: BaseException, setting: str = "NAMIDA_DATABASE") -> str:
    return (
        f"Cannot connect to the PostgreSQL database {shown(url)} ({error}); check {setting} "
        "and that the server is running."
    )


async def _keep_session(_connection: asyncpg.Connection) -> None:
    """Readers only read outside transactions, so there is no session state to reset on release
    (asyncpg's default reset would cost a round trip per read)."""


async def _roll_back(connection: asyncpg.Connection) -> None:
    if connection.is_closed():
        return
    try:
        if connection.is_in_transaction():
            await connection.execute("ROLLBACK")
    except UNAVAILABLE + CONFUSED + (asyncpg.PostgresError,):
        connection.terminate()  # a connection in an unknown state is not reused


def _write_failed(error: BaseException) -> StorageUnavailable:
    log.error("Database write failed, nothing kept: %s", error)
    return StorageUnavailable()


def _rows_changed(status: str) -> int:
    """asyncpg reports ``UPDATE 3``, ``INSERT 0 1``, ``DELETE 0``: the last number is the count."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


@contextmanager
def _constraints_named() -> Iterator[None]:
    try:
        yield
    except asyncpg.IntegrityConstraintViolationError as error:
        raise ConstraintViolation(str(error)) from error
