"""Fixtures for testing the stand-in: a running StandIn with discord.py pointed at it, and a bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest_asyncio

from standin import StandIn, cancel_view_timeouts, point_discord_py_at
from standin.tests.tiny_bot import TinyBot


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[StandIn]:
    async with StandIn() as running:
        with point_discord_py_at(running):
            yield running


@pytest_asyncio.fixture
async def bot(standin: StandIn) -> AsyncIterator[TinyBot]:
    """TinyBot logged in, commands synced (in setup_hook) and connected to the stand-in gateway."""
    tiny = TinyBot()
    runner = asyncio.create_task(tiny.start(standin.token))
    try:
        await standin.wait_until_ready()
        # discord.py's close() does not cancel its _delay_ready task; let on_ready happen first.
        await asyncio.wait_for(tiny.wait_until_ready(), timeout=5)
        yield tiny
    finally:
        await tiny.close()
        await runner
    await cancel_view_timeouts()
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
    assert not leftovers, f"tasks still running after bot.close(): {leftovers}"
