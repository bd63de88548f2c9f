"""A ``sqlite3`` connection that lives on one thread of its own, driven from the event loop.

Every call is a plain function run on that thread with the connection, so a transaction written
as one function (``BEGIN … COMMIT`` inside it) cannot be interleaved with any other coroutine's
statements, and the event loop never blocks on the disk.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
Params = Sequence[object]


@dataclass(frozen=True, slots=True)
class Executed:
    """What a write statement reports back: the new row's id and how many rows it changed."""

    lastrowid: int | None
    rowcount: int


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
            cursor = connection.execute(sql, params)
            return Executed(cursor.lastrowid, cursor.rowcount)

        return await self.run(execute)

    async def executemany(self, sql: str, rows: Sequence[Params]) -> Executed:
        def executemany(connection: sqlite3.Connection) -> Executed:
            cursor = connection.executemany(sql, rows)
            return Executed(cursor.lastrowid, cursor.rowcount)

        return await self.run(executemany)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        return await self.run(lambda connection: connection.execute(sql, params).fetchall())

    async def close(self) -> None:
        if self._closed:  # the bot and its runner may both close the store on the way out
            return
        self._closed = True
        try:
            await self.run(lambda connection: connection.close())
        finally:
            self._executor.shutdown(wait=True)
