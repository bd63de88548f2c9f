"""Nomination tests run in a server with nominations, review and locked channels."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest_asyncio

from standin import StandIn
from tests.e2e.harness import discord_standin
from tests.e2e.nominating import nominations_guild


@pytest_asyncio.fixture
async def discord() -> AsyncIterator[StandIn]:
    """A server with channels for nominations (one the bot may not post in)."""
    async with discord_standin(nominations_guild()) as standin:
        yield standin


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
