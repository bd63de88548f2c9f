"""Fault tests run in a server with a configured poll channel, nominations and review channels,
and a moderator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from standin import StandIn, make_guild
from tests.e2e.harness import discord_standin, set_up_channels


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
    await set_up_channels(namida, discord)
    namida.refresher.interval = 0.2  # coalesce tally edits over 0.2 s instead of 5 s: tests wait less
    return namida


@pytest.fixture
def mod(discord):
    return discord.member("mod", permissions="manage_guild")
