"""Two Namida processes splitting two shards over one database: each connects only its guilds,
one of them syncs the commands, and members in either guild are answered."""

from __future__ import annotations

from contextlib import AsyncExitStack

import pytest

from bot.settings import Settings
from standin import StandIn, cancel_view_timeouts, make_guild, point_discord_py_at
from tests.e2e.harness import TOKEN, shard_process

pytestmark = pytest.mark.asyncio


async def test_two_shard_processes_split_the_guilds_and_sync_once(settings: Settings) -> None:
    even, odd = make_guild("Even", shard=(0, 2)), make_guild("Odd", shard=(1, 2))
    async with StandIn(token=TOKEN, guilds=[even, odd], shard_count=2) as discord, AsyncExitStack() as bots:
        with point_discord_py_at(discord):
            # Shard 1 first: it must not sync, so the count below is the shard 0 process alone.
            second = await bots.enter_async_context(shard_process(settings, 1, 2))
            assert discord.sync_counts == {}
            first = await bots.enter_async_context(shard_process(settings, 0, 2))
            assert discord.sync_counts == {None: 1}
            assert [guild.id for guild in first.guilds] == [even.id]
            assert [guild.id for guild in second.guilds] == [odd.id]
            assert [identify["shard"] for identify in discord.gateway.identifies] == [[1, 2], [0, 2]]
            alice = discord.member("alice")
            for guild in (even, odd):
                about = await discord.slash("about", user=alice, guild=guild)
                assert "Commands" in about.all_text()
            await bots.aclose()
    await cancel_view_timeouts()
    discord.assert_no_violations()
