"""Server-list tests run in a server with nominations, review and poll channels, and a moderator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from standin import StandIn, make_guild
from tests.e2e.harness import discord_standin, set_up_channels


@pytest_asyncio.fixture
async def discord() -> AsyncIterator[StandIn]:
    channels = ("general", "nominations", "mod-queue", "polls")
    guild = make_guild(channels=channels, roles={"Moderator": ("manage_guild",)})
    async with discord_standin(guild) as standin:
        yield standin


@pytest_asyncio.fixture
async def configured(discord, namida):
    return await set_up_channels(namida, discord)


@pytest.fixture
def mod(discord):
    return discord.member("mod", permissions="manage_guild")


@pytest.fixture
def carol(discord):
    return discord.member("carol")
