"""Runs the same bot ``python -m bot`` runs (``build_bot`` + ``start``) against the stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime

from bot.app import Namida
from bot.runner import build_bot
from bot.settings import Settings
from bot.shards import Shards
from standin import GuildSpec, StandIn, cancel_view_timeouts, point_discord_py_at

# Shaped like a real token (three dot-separated parts) so settings validation accepts it.
TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GstAnd.in-standin-standin-standin-0"


@asynccontextmanager
async def discord_standin(guild: GuildSpec | None = None) -> AsyncIterator[StandIn]:
    """A stand-in Discord with discord.py pointed at it; on the way out, no payload may have broken
    one of Discord's rules."""
    async with StandIn(token=TOKEN, guilds=[guild] if guild else None) as standin:
        with point_discord_py_at(standin):
            yield standin
    standin.assert_no_violations()


@asynccontextmanager
async def running_namida(standin: StandIn, settings: Settings, *, force_sync: bool = False) -> AsyncIterator[Namida]:
    # The stand-in sends every GUILD_CREATE at once; discord.py's 2 s wait for stragglers is moot.
    try:
        async with started(settings, force_sync=force_sync) as bot:
            yield bot
    finally:
        await cancel_view_timeouts()
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
    assert not leftovers, f"tasks still running after the bot closed: {leftovers}"


@asynccontextmanager
async def started(settings: Settings, *, force_sync: bool = False) -> AsyncIterator[Namida]:
    """One bot started and ready; closed on the way out. Several may run side by side (shards)."""
    bot = await build_bot(settings, force_sync=force_sync, guild_ready_timeout=0.05)
    runner = asyncio.create_task(bot.start(settings.token or ""))
    try:
        await asyncio.wait_for(bot.wait_until_ready(), timeout=10)
        yield bot
    finally:
        await bot.close()
        await runner


def shard_process(settings: Settings, shard_id: int, count: int = 2) -> AbstractAsyncContextManager[Namida]:
    """One bot as ``NAMIDA_SHARD_COUNT=count NAMIDA_SHARDS=shard_id`` would start it."""
    return started(replace(settings, shards=Shards(count, (shard_id,))))


async def set_up_channels(namida: Namida, standin: StandIn, *, polls: bool = True) -> Namida:
    """Namida told the stand-in server's nominations, review and (unless ``polls=False``) poll
    channels, with no nomination cooldown: the set-up most feature tests start from."""
    guild = standin.guild
    channels = {
        "nominations_channel_id": guild.channel("nominations").id,
        "review_channel_id": guild.channel("mod-queue").id,
    }
    if polls:
        channels["poll_channel_id"] = guild.channel("polls").id
    await namida.guild_settings.update(guild.id, datetime.now(UTC), **channels, cooldown_seconds=0)
    return namida
