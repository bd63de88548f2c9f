"""Pointing the real discord.py client at a running StandIn."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .server import StandIn


@contextmanager
def point_discord_py_at(standin: StandIn) -> Iterator[None]:
    """Route REST (bot and webhook/interaction routes share Route.BASE) and the gateway to the stand-in.

    discord.py 2.7's Client.connect never asks GET /gateway/bot: it opens
    DiscordWebSocket.DEFAULT_GATEWAY directly, so that has to be redirected as well.
    """
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = standin.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(standin.gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


async def cancel_view_timeouts() -> None:
    """discord.py gives views on ephemeral messages a 15-minute timeout task that close() leaves running."""
    timeouts = [t for t in asyncio.all_tasks() if t.get_coro().__qualname__ == "BaseView.__timeout_task_impl"]
    for task in timeouts:
        task.cancel()
    await asyncio.gather(*timeouts, return_exceptions=True)
