"""/healthz of a process running several shards: unhealthy while any one of them is down, even
when another one reconnects meanwhile."""

from __future__ import annotations

import json
from dataclasses import replace

from bot.settings import Settings
from bot.shards import Shards
from standin import StandIn, cancel_view_timeouts, make_guild, point_discord_py_at
from tests.e2e.endpoints import free_port, get
from tests.e2e.harness import TOKEN, started


async def test_health_names_the_shard_that_is_down_while_another_reconnects(settings: Settings) -> None:
    even, odd = make_guild("Even", shard=(0, 2)), make_guild("Odd", shard=(1, 2))
    both = replace(settings, shards=Shards(2, (0, 1)), http_port=free_port())
    async with StandIn(token=TOKEN, guilds=[even, odd], shard_count=2) as discord:
        with point_discord_py_at(discord):
            async with started(both) as bot:
                assert await get(bot, "/healthz") == (200, '{"status": "ok"}')
                async with discord.gateway.outage(longest=10, shard=0):
                    await discord.gateway.drop_connection(shard=1)
                    # Answered over shard 1's connection once it has resumed: shard 1 is back.
                    about = await discord.slash("about", user=discord.member("alice"), guild=odd, timeout=10)
                    assert "Commands" in about.all_text()
                    status, body = await get(bot, "/healthz")
                    assert (status, json.loads(body)) == (
                        503,
                        {"status": "unhealthy", "problems": {"gateway": "shard 0 not connected to Discord's gateway"}},
                    )
                await discord.wait_until_ready()
                about = await discord.slash("about", user=discord.member("alice"), guild=even, timeout=10)
                assert "Commands" in about.all_text()
                assert (await get(bot, "/healthz"))[0] == 200
    await cancel_view_timeouts()
    discord.assert_no_violations()
