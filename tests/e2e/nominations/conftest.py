"""Nomination tests run in a server with nominations, review and locked channels."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest_asyncio

from tests.e2e.harness import TOKEN
from tests.e2e.nominating import nominations_guild
from tests.standin import StandIn, point_discord_py_at


@pytest_asyncio.fixture
async def discord() -> AsyncIterator[StandIn]:
    """A server with channels for nominations (one the bot may not post in)."""
    async with StandIn(token=TOKEN, guilds=[nominations_guild()]) as standin:
        with point_discord_py_at(standin):
            yield standin
    standin.assert_no_violations()


@pytest_asyncio.fixture
async def configured(discord, namida):
    """Namida in a server with nominations and review channels set, and no cooldown."""
    guild = discord.guild
    await namida.nominations.update_guild_settings(
        guild.id,
        datetime.now(UTC),
        nominations_channel_id=guild.channel("nominations").id,
        review_channel_id=guild.channel("mod-queue").id,
        cooldown_seconds=0,
    )
    return namida
