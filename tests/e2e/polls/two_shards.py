"""Two Namida processes on one database, one per shard of a two-shard stand-in, and a guild on
shard 1: ``owner`` owns it, ``other`` does not. Both are running and the poll channel is set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.app import Namida
from bot.settings import Settings
from standin import FakeUser, GuildSpec, StandIn, make_guild, point_discord_py_at
from tests.e2e.harness import TOKEN, shard_process


@dataclass(frozen=True)
class TwoShards:
    discord: StandIn
    guild: GuildSpec
    owner: Namida
    other: Namida
    mod: FakeUser
    alice: FakeUser


@asynccontextmanager
async def two_shard_processes(settings: Settings) -> AsyncIterator[TwoShards]:
    guild = make_guild(channels=("general", "polls"), roles={"Voters": ()}, shard=(1, 2))
    async with StandIn(token=TOKEN, guilds=[guild], shard_count=2) as discord:
        with point_discord_py_at(discord):
            mod, alice = discord.member("mod", permissions="manage_guild"), discord.member("alice")
            async with shard_process(settings, 0) as other, shard_process(settings, 1) as owner:
                polls = guild.channel("polls").id
                await owner.guild_settings.update(guild.id, datetime.now(UTC), poll_channel_id=polls)
                yield TwoShards(discord, guild, owner, other, mod, alice)
    discord.assert_no_violations()
