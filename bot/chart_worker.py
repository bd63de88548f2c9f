"""Charts are drawn in a separate process (``python -m bot.chart_process``), never in the bot's.

matplotlib costs tens of MB and 0.1–1.5 s of CPU per chart, holding the GIL: in the bot's process
that is memory it never gives back and votes answered late. The worker process is started by the
first chart request and ended once it has been idle for ``idle_seconds``; the bot only waits on a
pipe, so its event loop keeps answering votes while a chart is drawn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import bot
from bot.chart_wire import LENGTH, WireError, frame_length, parse_answer, request_frame
from bot.domain.polls import Result

log = logging.getLogger(__name__)
IDLE_SECONDS = 60.0
RENDER_TIMEOUT = 60.0  # a 25-option, 12-round chart takes about 1.5 s; a minute means it is stuck
STOP_TIMEOUT = 5.0


class ChartUnavailable(Exception):
    """The chart process failed or could not be started: results go out without a chart."""


def default_command() -> list[str]:
    return [sys.executable, "-m", "bot.chart_process"]


def _child_environment() -> dict[str, str]:
    """The child imports the same ``bot`` package as this process, wherever it was imported from."""
    env = dict(os.environ)
    root = str(Path(bot.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env.setdefault("MPLBACKEND", "Agg")
    return env


class ChartWorker:
    """One chart process at a time, requests served in turn; started when needed, ended when idle."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS, command: Sequence[str] | None = None) -> None:
        self.idle_seconds = idle_seconds
        self.command = list(command) if command else default_command()
        self._process: asyncio.subprocess.Process | None = None
        self._lock = asyncio.Lock()
        self._idle_task: asyncio.Task[None] | None = None
        self._last_used = 0.0
        self._requests = 0
        self._closed = False
        self.starts = 0  # processes started so far
        self.renders = 0  # charts drawn by every process this worker started

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def render(self, result: Result) -> bytes:
        if self._closed:
            raise ChartUnavailable("the chart worker is closed")
        async with self._lock:
            try:
                return await asyncio.wait_for(self._exchange(result), RENDER_TIMEOUT)
            except (OSError, WireError, asyncio.IncompleteReadError, TimeoutError) as error:
                log.warning("The chart process failed (%s: %s); stopping it", type(error).__name__, error)
                await self._stop_process()
                raise ChartUnavailable(str(error) or type(error).__name__) from error
            finally:
                self._last_used = asyncio.get_running_loop().time()

    async def _exchange(self, result: Result) -> bytes:
        process = await self._ensure_started()
        assert process.stdin is not None and process.stdout is not None
        self._requests += 1
        process.stdin.write(request_frame(self._requests, result))
        await process.stdin.drain()
        length = frame_length(await process.stdout.readexactly(LENGTH.size))
        answer = parse_answer(await process.stdout.readexactly(length))
        if answer.request != self._requests:
            raise WireError(f"an answer to request {answer.request} while waiting for {self._requests}")
        self.renders += 1 if answer.png else 0
        if answer.png is None:
            raise ChartUnavailable(answer.error or "the chart process drew nothing")
        return answer.png

    async def _ensure_started(self) -> asyncio.subprocess.Process:
        if self._process is not None and self._process.returncode is None:
            return self._process
        if self._process is not None:
            log.warning("The chart process had ended (exit code %s); starting another", self._process.returncode)
        self._process = await asyncio.create_subprocess_exec(
            *self.command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=_child_environment()
        )
        self.starts += 1
        log.info("Started the chart process (pid %s)", self._process.pid)
        if self._idle_task is None or self._idle_task.done():
            self._idle_task = asyncio.create_task(self._stop_when_idle(), name="chart-worker-idle")
        return self._process

    async def stopped_when_idle(self) -> None:
        """Returns once the process in use has ended (idle, closed or dead); at once if none runs."""
        if self._idle_task is not None:
            await asyncio.shield(self._idle_task)

    async def _stop_when_idle(self) -> None:
        loop = asyncio.get_running_loop()
        while self.running:
            wait = self._last_used + self.idle_seconds - loop.time()
            if wait <= 0 and not self._lock.locked():
                async with self._lock:  # a request that got in first keeps it alive
                    if self._last_used + self.idle_seconds <= loop.time():
                        log.info("Stopping the idle chart process")
                        await self._stop_process()
                        return
                continue
            await asyncio.sleep(max(wait, 0.05))

    async def _stop_process(self) -> None:
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        if process.stdin is not None:
            process.stdin.close()  # its input ends: it finishes the frame in hand and exits
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()

    async def close(self) -> None:
        self._closed = True
        async with self._lock:  # a render in progress finishes first
            await self._stop_process()
        if self._idle_task is not None:
            self._idle_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._idle_task
