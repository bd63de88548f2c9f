"""Nomination tests run in a server with nominations, review and locked channels."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from standin import StandIn
from tests.e2e.harness import discord_standin, set_up_channels
from tests.e2e.nominating import nominations_guild


@pytest_asyncio.fixture
async def discord() -> AsyncIterator[StandIn]:
    """A server with channels for nominations (one the bot may not post in)."""
    async with discord_standin(nominations_guild()) as standin:
        yield standin


@pytest_asyncio.fixture
async def configured(discord, namida):
    """Namida in a server with nominations and review channels set, and no cooldown."""
    return await set_up_channels(namida, discord, polls=False)


@pytest.fixture
def mod(discord):
    return discord.member("mod", permissions="manage_guild")


@pytest_asyncio.fixture
async def ready(namida):
    """Namida once its anime catalogue (when the test put one in place) is searchable."""
    assert await namida.anime_catalogue.wait_ready()
    return namida
