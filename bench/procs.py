"""Bot processes for the benchmarks: Namida through its real entry point, or the bare baseline,
each pointed at the stand-in process; resident memory from /proc."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from standin.serve import StandInProcess

REPO = Path(__file__).resolve().parent.parent
BOT_PATH = REPO  # where the bot processes import Namida from (``--bot-path`` measures another checkout)


# tests.e2e.harness.TOKEN, repeated so that importing this module imports no ``bot`` module
# (``--bot-path`` must be able to choose where ``bot`` comes from).
TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GstAnd.in-standin-standin-standin-0"
RUNNING: list[BotProcess] = []  # every bot spawned, so a failed run leaves none behind


@dataclass
class BotProcess:
    """One bot process; ``spawned_at`` is on the same monotonic clock as the stand-in's times."""

    name: str
    process: asyncio.subprocess.Process
    spawned_at: float
    log_path: Path
    ready_at: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_kib(self) -> tuple[int, int]:
        """(VmRSS, VmHWM) in KiB: resident memory now and its peak."""
        values = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
        return values["VmRSS"], values["VmHWM"]

    async def stop(self, timeout: float = 20.0) -> int:  # noqa: ASYNC109
        """SIGTERM (Namida drains its ballot writer and closes cleanly), SIGKILL if it hangs."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        return self.process.returncode

    async def kill(self) -> int:
        if self.process.returncode is None:
            self.process.kill()
        return await self.process.wait()

    @staticmethod
    async def kill_leftovers() -> None:
        for bot in RUNNING:
            await bot.kill()
        RUNNING.clear()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


# Namida as installed without the ``fast`` extra: votes answered through aiohttp, not pyreqwest.
PLAIN = "namida-aiohttp"
POSTGRESQL = "namida-postgresql"  # Namida (with the fast extra) on a PostgreSQL URL


async def spawn(
    discord: StandInProcess,
    kind: str,
    workdir: Path,
    database: Path | str | None = None,
    *,
    log_level: str = "INFO",
    wait_ready: bool = True,
    settings: dict[str, str] | None = None,  # more NAMIDA_* settings, e.g. NAMIDA_CATALOGUE
) -> BotProcess:
    """Start ``namida`` (``python -m standin.launch``, i.e. ``python -m bot``) or ``bare``."""
    module = {"namida": "standin.launch", PLAIN: "standin.launch", POSTGRESQL: "standin.launch", "bare": "bench.bare"}[
        kind
    ]
    profile = os.environ.get("BENCH_PROFILE")  # a folder: run the bot under cProfile, one file per process
    prefix = ["-m", "cProfile", "-o", f"{profile}/{kind}-{time.monotonic_ns()}.prof"] if profile else []
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "NAMIDA_"))}
    env |= {
        "DISCORD_TOKEN": TOKEN,
        "NAMIDA_LOG_LEVEL": log_level,
        "PYTHONPATH": str(BOT_PATH if kind != "bare" else REPO),
    }
    if kind == PLAIN:
        env["NAMIDA_ANSWER_CLIENT"] = "aiohttp"
    if database is not None:
        env["NAMIDA_DATABASE"] = str(database)
    env |= settings or {}
    log_path = workdir / f"{kind}-{time.monotonic_ns()}.log"
    with log_path.open("wb") as log_file:
        spawned_at = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            sys.executable, *prefix, "-m", module, discord.api_base, discord.gateway_url,
            cwd=workdir, env=env, stdout=log_file, stderr=log_file,
        )  # fmt: skip
    bot = BotProcess(kind, process, spawned_at, log_path)
    RUNNING.append(bot)
    if wait_ready:
        bot.ready_at = await discord.call("wait_ready", after=spawned_at, timeout=60)
    return bot
