"""``/healthz`` and ``/metrics`` on ``NAMIDA_HTTP_HOST:NAMIDA_HTTP_PORT`` (off unless a port is set).

Served by aiohttp's web server, which discord.py already depends on. Health means what an
orchestrator needs to decide on a restart: connected to Discord's gateway, and the database answers.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.metrics import CONTENT_TYPE, Metrics
from bot.settings import SettingsError

log = logging.getLogger(__name__)

DATABASE_TIMEOUT = 2.0  # seconds: a health probe must answer well within a checker's timeout


class GatewayState:
    """Which of this process's gateway connections are up, from discord.py's own events: each is up
    from its READY or RESUMED until its next disconnect. Healthy only while every one is up (with
    several shards, one shard coming back must not hide another that is still down)."""

    def __init__(self, shard_ids: tuple[int, ...] = ()) -> None:
        self.expected: set[int | None] = set(shard_ids) or {None}  # None: the one unsharded connection
        self.up: set[int | None] = set()

    def problem(self) -> str | None:
        down = self.expected - self.up
        if not down:
            return None
        if down == {None}:
            return "not connected to Discord's gateway"
        listed = ", ".join(str(shard_id) for shard_id in sorted(s for s in down if s is not None))
        return f"shard {listed} not connected to Discord's gateway"

    async def on_connected(self) -> None:
        self.up.add(None)

    async def on_disconnected(self) -> None:
        self.up.discard(None)

    async def on_shard_connected(self, shard_id: int) -> None:
        self.up.add(shard_id)

    async def on_shard_disconnected(self, shard_id: int) -> None:
        self.up.discard(shard_id)


class HealthServer:
    def __init__(
        self,
        gateway: GatewayState,
        database_answers: Callable[[], Awaitable[object]],
        metrics: Metrics,
        refresh_metrics: Callable[[], Awaitable[None]],
    ) -> None:
        self.gateway = gateway
        self.database_answers = database_answers
        self.metrics = metrics
        self.refresh_metrics = refresh_metrics
        self._runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_page)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, host, port).start()
        except OSError as error:  # a port in use, an address this machine doesn't have
            await self.close()
            reason = os.strerror(error.errno) if error.errno and error.errno > 0 else str(error)
            raise SettingsError(
                f"NAMIDA_HTTP_PORT: I can't listen on {host}:{port} ({reason}); pick a free port, "
                "or check NAMIDA_HTTP_HOST."
            ) from error
        log.info("Health and metrics on http://%s:%s/healthz and /metrics", host, port)

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def problems(self) -> dict[str, str]:
        found = {}
        gateway = self.gateway.problem()
        if gateway is not None:
            found["gateway"] = gateway
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT):
                await self.database_answers()
        except Exception as error:  # noqa: BLE001 - any failure means the database does not answer
            found["database"] = f"the database does not answer ({type(error).__name__})"
        return found

    async def healthz(self, _request: web.Request) -> web.Response:
        problems = await self.problems()
        if problems:
            return web.json_response({"status": "unhealthy", "problems": problems}, status=503)
        return web.json_response({"status": "ok"})

    async def metrics_page(self, _request: web.Request) -> web.Response:
        try:
            await self.refresh_metrics()
        except Exception:  # the in-process metrics are still worth serving
            log.warning("Could not read open polls and nominations for /metrics", exc_info=True)
        body = self.metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})
