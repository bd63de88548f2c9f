"""Poll tests run in a server with a poll channel, a voter role and a moderator, once with each
database engine (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from bot.settings import Settings
from standin import StandIn, make_guild
from tests.e2e.harness import discord_standin


@pytest_asyncio.fixture
async def discord() -> AsyncIterator[StandIn]:
    guild = make_guild(channels=("general", "polls"), roles={"Moderator": ("manage_guild",), "Voters": ()})
    async with discord_standin(guild) as standin:
        yield standin


@pytest.fixture
def settings(settings: Settings, database_url: str | Path) -> Settings:
    return replace(settings, database=database_url)


@pytest_asyncio.fixture
async def configured(discord, namida):
    await namida.guild_settings.update(
        discord.guild.id, datetime.now(UTC), poll_channel_id=discord.guild.channel("polls").id
    )
    return namida


@pytest.fixture
def mod(discord):
    return discord.member("mod", permissions="manage_guild")
