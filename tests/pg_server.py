"""The tests' PostgreSQL: one throwaway server per session (standin/postgresql.py).

Tests share one migrated database, emptied before each test (much faster than a database per
test); a test that needs a database of its own (empty, or with a schema of its own) asks for one.
"""

from __future__ import annotations

import os

import asyncpg

from bot.storage.postgresql import PostgresStore
from standin import postgresql
from standin.postgresql import find_binaries

__all__ = ["REQUIRE", "SHARED", "PostgresServer", "find_binaries", "postgresql_required"]

SHARED = "namida_tests"
REQUIRE = "NAMIDA_REQUIRE_POSTGRESQL"


def postgresql_required() -> bool:
    return os.environ.get(REQUIRE, "") == "1"


class PostgresServer(postgresql.PostgresServer):
    _emptying = ""  # the statements that empty the shared database, once it is migrated

    async def prepare_shared(self) -> None:
        """The shared database, migrated; and the statements that empty it again."""
        await self.create_database(SHARED)
        store = await PostgresStore.open(self.url(SHARED))
        await store.close()
        connection = await asyncpg.connect(self.url(SHARED))
        try:
            tables = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_version'"
            )
            identities = await connection.fetch(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' AND is_identity = 'YES'"
            )
        finally:
            await connection.close()
        self._emptying = (
            "SET session_replication_role = replica;"  # no foreign key checks while everything goes
            + "".join(f"DELETE FROM {row[0]};" for row in tables)
            + "".join(f"ALTER TABLE {row[0]} ALTER COLUMN {row[1]} RESTART;" for row in identities)
            + "RESET session_replication_role"
        )

    async def emptied_shared(self) -> str:
        """The shared database's URL, every row of the previous test gone and ids starting at 1."""
        connection = await asyncpg.connect(self.url(SHARED))
        try:
            await connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                SHARED,
            )  # a connection a failed test left open must not hold a lock
            await connection.execute(self._emptying)
        finally:
            await connection.close()
        return self.url(SHARED)

    async def drop_database(self, name: str) -> None:
        connection = await self.admin()
        try:
            await connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            await connection.close()
