"""A ``sqlite3`` connection that lives on one thread of its own, driven from the event loop.

Every call is a plain function run on that thread with the connection, so a transaction written
as one function (``BEGIN … COMMIT`` inside it) cannot be interleaved with any other coroutine's
statements, and the event loop never blocks on the disk.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from bot.storage.engine import ConstraintViolation, Executed, Params

T = TypeVar("T")


class SqliteThread:
    def __init__(self, connection: sqlite3.Connection, executor: ThreadPoolExecutor) -> None:
        self._connection = connection
        self._closed = False
        self._executor = executor

    @classmethod
    async def connect(cls, path: Path, name: str) -> SqliteThread:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

        def connect() -> sqlite3.Connection:
            # Autocommit: transactions are explicit BEGIN … COMMIT, never opened behind our back.
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            return connection

        try:
            connection = await asyncio.get_running_loop().run_in_executor(executor, connect)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(connection, executor)

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work(connection)`` on this connection's thread; only there may it touch the connection."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, work, self._connection)

    async def execute(self, sql: str, params: Params = ()) -> Executed:
        def execute(connection: sqlite3.Connection) -> Executed:
            with _constraints_named():
                cursor = connection.execute(sql, params)
            return Executed(cursor.lastrowid, cursor.rowcount)

        return await self.run(execute)

    async def executemany(self, sql: str, rows: Sequence[Params]) -> Executed:
        def executemany(connection: sqlite3.Connection) -> Executed:
            with _constraints_named():
                cursor = connection.executemany(sql, rows)
            return Executed(cursor.lastrowid, cursor.rowcount)

        return await self.run(executemany)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        def fetch_all(connection: sqlite3.Connection) -> list[sqlite3.Row]:
            with _constraints_named():  # an INSERT … RETURNING is fetched too
                return connection.execute(sql, params).fetchall()

        return await self.run(fetch_all)

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def close(self) -> None:
        if self._closed:  # the bot and its runner may both close the store on the way out
            return
        self._closed = True
        try:
            await self.run(lambda connection: connection.close())
        finally:
            self._executor.shutdown(wait=True)


@contextmanager
def _constraints_named() -> Iterator[None]:
    """Both engines report a broken constraint as the same ``ConstraintViolation``."""
    try:
        yield
    except sqlite3.IntegrityError as error:
        raise ConstraintViolation(str(error)) from error
