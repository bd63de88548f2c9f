"""Fault tests run in a server with a configured poll channel, nominations and review channels,
and a moderator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from standin import StandIn, make_guild
from tests.e2e.harness import discord_standin


@pytest_asyncio.fixture
async def discord() -> AsyncIterator[StandIn]:
    guild = make_guild(
        channels=("general", "polls", "nominations", "mod-queue"),
        roles={"Moderator": ("manage_guild",)},
    )
    async with discord_standin(guild) as standin:
        yield standin


@pytest_asyncio.fixture
async def configured(discord, namida):
    guild = discord.guild
    await namida.nominations.update_guild_settings(
        guild.id,
        datetime.now(UTC),
        poll_channel_id=guild.channel("polls").id,
        nominations_channel_id=guild.channel("nominations").id,
        review_channel_id=guild.channel("mod-queue").id,
        cooldown_seconds=0,
    )
    namida.refresher.interval = 0.2  # coalesce tally edits over 0.2 s instead of 5 s: tests wait less
    return namida


@pytest.fixture
def mod(discord):
    return discord.member("mod", permissions="manage_guild")
