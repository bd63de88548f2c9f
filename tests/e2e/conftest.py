"""End-to-end fixtures: a stand-in Discord, discord.py pointed at it, and Namida running on it.

Every test ends by asserting that no payload the bot sent broke one of Discord's rules."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.settings import Settings
from standin import StandIn
from tests.conftest import SHIPPED_LISTS
from tests.e2e.harness import TOKEN, discord_standin, running_namida


@pytest_asyncio.fixture
async def discord() -> AsyncIterator[StandIn]:
    async with discord_standin() as standin:
        yield standin


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        token=TOKEN,
        database=tmp_path / "namida.db",
        lists_dir=SHIPPED_LISTS,
        dev_guild=None,
        log_level="INFO",
        catalogue=tmp_path / "anime-offline-database.json",  # absent unless a test puts one there
    )


@pytest_asyncio.fixture
async def namida(discord: StandIn, settings: Settings):
    async with running_namida(discord, settings) as bot:
        yield bot


@pytest.fixture
def alice(discord: StandIn):
    return discord.member("alice")


@pytest.fixture
def bob(discord: StandIn):
    return discord.member("bob")
