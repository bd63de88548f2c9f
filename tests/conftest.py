"""Shared fixtures: the shipped lists, a writable copy of them for tests that break a file, and
the database engines."""

import asyncio
import shutil
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.domain.list_files import load_catalog
from bot.storage.engine import Database
from bot.storage.opening import open_database
from tests.pg_server import REQUIRE, PostgresServer, find_binaries, postgresql_required

REPO = Path(__file__).resolve().parent.parent
SHIPPED_LISTS = REPO / "data" / "lists"


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(SHIPPED_LISTS)


@pytest.fixture
def top_list(catalog):
    return catalog.default


@pytest.fixture
def lists_copy(tmp_path) -> Path:
    folder = tmp_path / "lists"
    shutil.copytree(SHIPPED_LISTS, folder)
    return folder


# -- database engines ---------------------------------------------------------------------------
# Tests that ask for ``database_url`` run once on SQLite and once on PostgreSQL (a throwaway
# server from the machine's binaries, tests/pg_server.py; skipped without them unless
# NAMIDA_REQUIRE_POSTGRESQL=1).

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgresServer]:
    binaries = find_binaries()
    if binaries is None:
        reason = "no PostgreSQL binaries (initdb, postgres) found: install Debian's postgresql package"
        if postgresql_required():
            pytest.fail(f"{REQUIRE}=1 but {reason}")
        pytest.skip(reason)
    server = PostgresServer(binaries)
    server.start()
    try:
        # Its own thread and loop: the first test to need it may be running inside a loop already.
        with ThreadPoolExecutor(max_workers=1) as thread:
            thread.submit(lambda: asyncio.run(server.prepare_shared())).result()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture
async def database_url(engine, tmp_path, request) -> str | Path:
    """A fresh, migrated database of the test's engine: a SQLite path, or a PostgreSQL URL."""
    if engine == "sqlite":
        return tmp_path / "namida.db"
    server: PostgresServer = request.getfixturevalue("postgresql_server")
    return await server.emptied_shared()


@pytest.fixture
async def database(database_url) -> AsyncIterator[Database]:
    store = await open_database(database_url)
    yield store
    await store.close()
