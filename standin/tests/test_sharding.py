"""Sharding: IDENTIFY with shard, several connections at once, each guild's events on its shard."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
import pytest_asyncio

from standin import StandIn, cancel_view_timeouts, make_guild, point_discord_py_at
from standin.sharding import Shard, parse_shard, shard_of
from standin.tests.test_gateway import Client, connect

pytestmark = [pytest.mark.asyncio, pytest.mark.filterwarnings("error")]
QUERY = "v=10&encoding=json"


@pytest_asyncio.fixture
async def two_shards() -> AsyncIterator[StandIn]:
    guilds = [make_guild("Even", shard=(0, 2)), make_guild("Odd", shard=(1, 2)), make_guild("Odd too", shard=(1, 2))]
    async with StandIn(guilds=guilds, shard_count=2) as running:
        with point_discord_py_at(running):
            yield running


async def identify_shard(client: Client, token: str, shard: list[int]) -> list[dict[str, Any]]:
    """IDENTIFY, then READY and the GUILD_CREATEs it announces."""
    assert (await client.receive())["op"] == 10
    await client.send(2, {"token": token, "intents": 513, "properties": {"os": "linux"}, "shard": shard})
    ready = await client.receive()
    return [ready] + [await client.receive() for _ in ready["d"]["guilds"]]


async def test_shard_rule_and_identify_field() -> None:
    guild = make_guild(shard=(3, 5))
    assert shard_of(guild.id, 5) == 3 and Shard(3, 5).owns(guild.id) and not Shard(2, 5).owns(guild.id)
    assert Shard(0, 5).owns(None) and not Shard(1, 5).owns(None)  # direct messages: shard 0
    assert parse_shard({}) == Shard(0, 1)
    assert parse_shard({"shard": [1, 4]}) == Shard(1, 4)
    for bad in ([4, 4], [-1, 2], [0, 0], [0], "0,1", [True, 2]):
        assert isinstance(parse_shard({"shard": bad}), str), bad


async def test_each_shard_is_told_only_its_guilds_and_events(two_shards: StandIn) -> None:
    even, odd, odd_too = two_shards.world.guilds
    async with aiohttp.ClientSession() as session:
        first, second = await connect(session, two_shards, QUERY), await connect(session, two_shards, QUERY)
        zero = await identify_shard(first, two_shards.token, [0, 2])
        one = await identify_shard(second, two_shards.token, [1, 2])
        assert zero[0]["d"]["shard"] == [0, 2] and zero[0]["d"]["guilds"] == [{"id": str(even.id), "unavailable": True}]
        assert [event["d"]["id"] for event in one[1:]] == [str(odd.id), str(odd_too.id)]
        await two_shards.wait_until_ready(timeout=1, shards=[0, 1])

        await two_shards.gateway.dispatch("TYPING_START", {"guild_id": str(odd.id), "channel_id": "1"})
        await two_shards.gateway.dispatch("TYPING_START", {"guild_id": str(even.id), "channel_id": "2"})
        await two_shards.gateway.dispatch("TYPING_START", {"channel_id": "3"})  # a DM: shard 0
        assert (await second.receive())["d"]["channel_id"] == "1"
        assert [(await first.receive())["d"]["channel_id"] for _ in range(2)] == ["2", "3"]
        with pytest.raises(TimeoutError):
            await second.ws.receive(timeout=0.2)  # shard 1 got nothing of the others
        await first.ws.close()
        await second.ws.close()


async def test_a_guild_whose_shard_is_not_connected_gets_no_dispatch(two_shards: StandIn) -> None:
    odd = two_shards.world.guilds[1]
    async with aiohttp.ClientSession() as session:
        client = await connect(session, two_shards, QUERY)
        await identify_shard(client, two_shards.token, [0, 2])
        with pytest.raises(RuntimeError, match="owns its guild's shard"):
            await two_shards.gateway.dispatch("TYPING_START", {"guild_id": str(odd.id), "channel_id": "1"})
        await client.ws.close()


async def test_invalid_shard_is_refused_with_4010(two_shards: StandIn) -> None:
    async with aiohttp.ClientSession() as session:
        client = await connect(session, two_shards, QUERY)
        assert (await client.receive())["op"] == 10
        await client.send(2, {"token": two_shards.token, "intents": 1, "properties": {}, "shard": [2, 2]})
        closing = await client.ws.receive(timeout=5)
        assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 4010
    with pytest.raises(RuntimeError, match="invalid shard"):
        await two_shards.wait_until_ready(timeout=1)


async def test_gateway_bot_recommends_the_configured_shard_count(two_shards: StandIn) -> None:
    headers = {"Authorization": f"Bot {two_shards.token}"}
    url = f"{two_shards.api_base}/gateway/bot"
    async with aiohttp.ClientSession(headers=headers) as session, session.get(url) as response:
        assert (await response.json())["shards"] == 2


class ShardedBot(discord.AutoShardedClient):
    """Answers /where with the shard that received the interaction."""

    def __init__(self, **options: Any) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.05, **options)
        self.tree = discord.app_commands.CommandTree(self)

        @self.tree.command(description="Which shard answers")
        async def where(interaction: discord.Interaction) -> None:
            guild = interaction.guild
            await interaction.response.send_message(f"shard {guild.shard_id if guild else 0}")

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before each further shard's IDENTIFY (Discord's pacing); the stand-in needs none."""


async def run_bot(standin: StandIn, bot: ShardedBot, shards: list[int]) -> asyncio.Task[None]:
    runner = asyncio.create_task(bot.start(standin.token))
    await standin.wait_until_ready(shards=shards)
    await asyncio.wait_for(bot.wait_until_ready(), timeout=5)
    return runner


async def stop_bot(bot: ShardedBot, runner: asyncio.Task[None]) -> None:
    await bot.close()
    await runner
    await cancel_view_timeouts()


async def test_discord_py_autosharded_bot_gets_each_guilds_interactions_on_its_shard(two_shards: StandIn) -> None:
    bot = ShardedBot()  # asks GET /gateway/bot for the count, then connects both shards
    runner = await run_bot(two_shards, bot, [0, 1])
    try:
        alice = two_shards.user("alice")
        even, odd, _ = two_shards.world.guilds
        assert (await two_shards.slash("where", user=alice, guild=even)).content == "shard 0"
        assert (await two_shards.slash("where", user=alice, guild=odd)).content == "shard 1"
        assert [identify["shard"] for identify in two_shards.gateway.identifies] == [[0, 2], [1, 2]]
    finally:
        await stop_bot(bot, runner)
    two_shards.assert_no_violations()


async def test_two_processes_split_the_shards(two_shards: StandIn) -> None:
    first, second = ShardedBot(shard_ids=[0], shard_count=2), ShardedBot(shard_ids=[1], shard_count=2)
    runners = [await run_bot(two_shards, first, [0]), await run_bot(two_shards, second, [1])]
    try:
        even, odd, odd_too = two_shards.world.guilds
        assert {guild.id for guild in first.guilds} == {even.id}
        assert {guild.id for guild in second.guilds} == {odd.id, odd_too.id}
        result = await two_shards.slash("where", user=two_shards.user("bob"), guild=odd_too)
        assert result.content == "shard 1"
    finally:
        for bot, runner in zip([first, second], runners, strict=True):
            await stop_bot(bot, runner)
    two_shards.assert_no_violations()


async def test_an_outage_of_one_shard_holds_only_that_shard(two_shards: StandIn) -> None:
    gateway = two_shards.gateway
    async with aiohttp.ClientSession() as session:
        first, second = await connect(session, two_shards, QUERY), await connect(session, two_shards, QUERY)
        await identify_shard(first, two_shards.token, [0, 2])
        await identify_shard(second, two_shards.token, [1, 2])
        async with gateway.outage(longest=5, shard=0):
            assert gateway.ready_shards == {1}  # shard 1's connection stayed up
            held = await connect(session, two_shards, QUERY)
            assert (await held.receive())["op"] == 10
            await held.send(2, {"token": two_shards.token, "intents": 513, "properties": {}, "shard": [0, 2]})
            # Sent after shard 0's IDENTIFY, shard 1's is answered at once: only shard 0 waits.
            await identify_shard(await connect(session, two_shards, QUERY), two_shards.token, [1, 2])
            assert gateway.ready_shards == {1}
        assert (await held.receive())["t"] == "READY"
        await two_shards.wait_until_ready(timeout=1, shards=[0, 1])
