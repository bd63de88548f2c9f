"""A throwaway PostgreSQL server for the tests, started from the machine's own binaries.

One server per test session, on a unix socket in a temporary folder (no TCP port, so parallel
sessions never collide). It runs as an unprivileged user: PostgreSQL refuses to run as root.
Tests share one migrated database, emptied before each test (much faster than a database per
test); a test that needs a database of its own (empty, or with a schema of its own) asks for one.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import asyncpg

SERVICE_USER = "namida-test"
ROLE = "namida"
SHARED = "namida_tests"
REQUIRE = "NAMIDA_REQUIRE_POSTGRESQL"
_SETTINGS = (
    # Test data is thrown away: skip flushing to disk (a commit is still a real commit).
    "fsync=off", "full_page_writes=off", "synchronous_commit=on", "listen_addresses=", "max_connections=300",
    "shared_buffers=32MB", "log_min_messages=warning",
)  # fmt: skip


def find_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``postgres``: pg_config's, the PATH's, or Debian's."""
    candidates: list[Path] = []
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10, check=True)
        candidates.append(Path(found.stdout.strip()))
    on_path = shutil.which("postgres")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [p / "bin" for p in debian.iterdir() if p.name.isdigit()]
        candidates += sorted(versions, key=lambda p: int(p.parent.name), reverse=True)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            return folder
    return None


def postgresql_required() -> bool:
    return os.environ.get(REQUIRE, "") == "1"


class PostgresServer:
    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.root = Path(tempfile.mkdtemp(prefix="namida-pg-"))
        self._process: subprocess.Popen[bytes] | None = None
        self._names = itertools.count(1)
        self._as: dict[str, int] = {}
        self._emptying = ""  # the statements that empty the shared database, once it is migrated

    def url(self, database: str) -> str:
        return f"postgresql://{ROLE}@/{database}?host={self.root}"

    def start(self) -> None:
        self._as = _unprivileged()
        if self._as:
            os.chown(self.root, self._as["user"], self._as["group"])
        data = self.root / "data"
        subprocess.run(
            [self.binaries / "initdb", "-D", data, "-U", ROLE, "--auth=trust", "--encoding=UTF8", "--locale=C",
             "--no-sync"],
            check=True, capture_output=True, timeout=120, **self._as,
        )  # fmt: skip
        options = [arg for setting in _SETTINGS for arg in ("-c", setting)]
        self._process = subprocess.Popen(
            [self.binaries / "postgres", "-D", data, "-k", self.root, *options],
            stdout=subprocess.DEVNULL, stderr=open(self.root / "server.log", "wb"),  # noqa: SIM115 - the server owns it
            start_new_session=True, **self._as,
        )  # fmt: skip
        atexit.register(self.stop)  # also when the session is interrupted before its teardown
        deadline = time.monotonic() + 60
        while not self._accepting():
            if self._process.poll() is not None or time.monotonic() > deadline:
                log = (self.root / "server.log").read_text(errors="replace")
                self.stop()
                raise RuntimeError(f"the test PostgreSQL server did not start:\n{log}")
            time.sleep(0.05)

    def _accepting(self) -> bool:
        ready = subprocess.run(
            [self.binaries / "pg_isready", "-q", "-h", self.root, "-U", ROLE, "-d", "postgres"], check=False, timeout=30
        )
        return ready.returncode == 0

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)  # fast shutdown: disconnect everyone, no checkpoint wait
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    async def admin(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.url("postgres"))

    async def create_database(self, name: str | None = None) -> str:
        """A new, empty database (no schema at all)."""
        name = name or f"test_{next(self._names)}"
        connection = await self.admin()
        try:
            await connection.execute(f"CREATE DATABASE {name}")
        finally:
            await connection.close()
        return name

    async def prepare_shared(self) -> None:
        """The shared database, migrated; and the statements that empty it again."""
        from bot.storage.postgresql import PostgresStore  # the code under test, only once a server runs

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


def _unprivileged() -> dict[str, int]:
    """``subprocess`` arguments to run as an unprivileged user when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return {}
    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        created = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            capture_output=True,
            check=False,
        )
        entry = pwd.getpwnam(SERVICE_USER) if created.returncode == 0 else pwd.getpwnam("nobody")
    return {"user": entry.pw_uid, "group": entry.pw_gid}
