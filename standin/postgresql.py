"""A throwaway PostgreSQL server started from the machine's own binaries: the database counterpart
of the Discord stand-in, for the tests and the benchmarks.

It listens on a unix socket in a temporary folder only (no TCP port, so servers started side by
side never collide), and runs as an unprivileged user: PostgreSQL refuses to run as root. Test
data is thrown away, so it does not flush to disk (``fsync=off``); ``durable=True`` keeps
PostgreSQL's defaults (the benchmarks measure real commits).
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
_SETTINGS = ("listen_addresses=", "max_connections=300", "shared_buffers=32MB", "log_min_messages=warning")
_THROWAWAY = ("fsync=off", "full_page_writes=off")  # a commit is still a real commit, just not flushed


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


class PostgresServer:
    def __init__(self, binaries: Path, *, durable: bool = False) -> None:
        self.binaries = binaries
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="namida-pg-"))
        self._process: subprocess.Popen[bytes] | None = None
        self._names = itertools.count(1)
        self._as: dict[str, int] = {}

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
        settings = _SETTINGS if self.durable else _SETTINGS + _THROWAWAY
        options = [arg for setting in settings for arg in ("-c", setting)]
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
                raise RuntimeError(f"the throwaway PostgreSQL server did not start:\n{log}")
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
