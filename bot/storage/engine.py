"""What every database engine offers the stores: committed reads, locked write transactions,
migrations and a description for ``namida check``. SQLite (bot/storage/database.py) and
PostgreSQL (bot/storage/postgresql.py) fill it; nothing above bot/storage knows which one runs.

SQL is written once, with ``?`` placeholders, in SQL both engines run. Rows answer ``row[0]`` and
``row["name"]`` on both.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.domain.errors import NamidaError, UserFacingError

Params = Sequence[object]


class Row(Protocol):
    """``sqlite3.Row`` and ``asyncpg.Record`` both: by position, by column name, or unpacked."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Executed:
    """What a write statement reports back: how many rows it changed, and on SQLite the new row's
    id (PostgreSQL has none: write ``INSERT … RETURNING id`` and ``fetch_one`` it instead)."""

    lastrowid: int | None
    rowcount: int


class StorageError(NamidaError):
    """The database cannot be used; the message says what to do."""


class StorageUnavailable(UserFacingError):
    """A write failed (read-only file, full disk, I/O error, lost server): nothing of it was kept."""

    def __init__(self) -> None:
        super().__init__("I couldn't save that just now (a storage problem on my side). Please try again later.")


class ConstraintViolation(NamidaError):
    """A statement broke a UNIQUE, CHECK or foreign key constraint (on either engine). On
    PostgreSQL the transaction it happened in can only be rolled back afterwards."""


class Transaction(Protocol):
    """The connection inside ``Database.transaction()``: every statement part of one transaction."""

    async def execute(self, sql: str, params: Params = ()) -> Executed: ...

    async def executemany(self, sql: str, rows: Sequence[Params]) -> Executed: ...

    async def fetch_all(self, sql: str, params: Params = ()) -> Sequence[Row]: ...

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None: ...


class Database(ABC):
    """One engine's connections. Writes run one at a time (``transaction()``), on PostgreSQL across
    processes too; reads outside a transaction see only committed rows, reads inside one (through
    these same methods) see its own changes."""

    engine: str  # "sqlite" or "postgresql"
    # Seconds each write transaction held the write lock, commit included (``/metrics``).
    commit_observer: Callable[[float], None]

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """All statements or none; any exception rolls back. A storage failure becomes
        ``StorageUnavailable``. Never await a Discord call inside one."""

    @abstractmethod
    async def fetch_all(self, sql: str, *params: object) -> Sequence[Row]: ...

    @abstractmethod
    async def fetch_one(self, sql: str, *params: object) -> Row | None: ...

    async def fetch_value(self, sql: str, *params: object) -> Any:
        row = await self.fetch_one(sql, *params)
        return row[0] if row else None

    @abstractmethod
    async def schema_version(self) -> int: ...

    @abstractmethod
    async def ping(self) -> None:
        """Raises if the database does not answer (the health check)."""

    @abstractmethod
    async def describe(self) -> str:
        """One line for ``namida check`` and the start-up log: engine, version, where, schema."""

    @abstractmethod
    async def close(self) -> None:
        """Closes every connection; a second close does nothing."""

    # -- command sync -------------------------------------------------------------------------

    async def command_sync_digest(self, scope: str) -> str | None:
        value = await self.fetch_value("SELECT value FROM meta WHERE key = ?", f"command_sync:{scope}")
        return str(value) if value is not None else None

    async def remember_command_sync(self, scope: str, digest: str) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (f"command_sync:{scope}", digest, utc_text(datetime.now(UTC))),
            )


def utc_text(moment: datetime) -> str:
    """Times are stored as UTC ISO-8601 text, which sorts correctly as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def utc_time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
