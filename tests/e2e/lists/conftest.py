"""Server-list tests run in a server with nominations, review and poll channels, and a moderator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from standin import StandIn, make_guild
from tests.e2e.harness import discord_standin


@pytest_asyncio.fixture
async def discord() -> AsyncIterator[StandIn]:
    channels = ("general", "nominations", "mod-queue", "polls")
    guild = make_guild(channels=channels, roles={"Moderator": ("manage_guild",)})
    async with discord_standin(guild) as standin:
        yield standin


@pytest_asyncio.fixture
async def configured(discord, namida):
    guild = discord.guild
    await namida.nominations.update_guild_settings(
        guild.id,
        datetime.now(UTC),
        nominations_channel_id=guild.channel("nominations").id,
        review_channel_id=guild.channel("mod-queue").id,
        poll_channel_id=guild.channel("polls").id,
        cooldown_seconds=0,
    )
    return namida


@pytest.fixture
def mod(discord):
    return discord.member("mod", permissions="manage_guild")


@pytest.fixture
def carol(discord):
    return discord.member("carol")
