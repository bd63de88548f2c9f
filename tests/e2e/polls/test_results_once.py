"""Two bot processes on one database (each engine) close the same poll at the same moment, as a
moderator's /poll close in one and the deadline in the other would: the results are posted once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.settings import Settings
from cogs.polls.service import Announced, announce_results, close_and_announce
from standin import StandIn, make_guild, point_discord_py_at
from tests.e2e.harness import TOKEN, shard_process
from tests.e2e.polling import start_poll, vote
from tests.e2e.polls.test_lifecycle import poll_id_of, results_posts


async def test_two_processes_closing_one_poll_post_its_results_once(settings: Settings) -> None:
    guild = make_guild(channels=("general", "polls"), roles={"Voters": ()}, shard=(1, 2))
    async with StandIn(token=TOKEN, guilds=[guild], shard_count=2) as discord:
        with point_discord_py_at(discord):
            mod, alice = discord.member("mod", permissions="manage_guild"), discord.member("alice")
            async with shard_process(settings, 0) as other, shard_process(settings, 1) as owner:
                polls = guild.channel("polls").id
                await owner.guild_settings.update(guild.id, datetime.now(UTC), poll_channel_id=polls)
                for question in ("First?", "Second?"):
                    poll = await start_poll(discord, mod, "custom", question=question, options="Yes; No")
                    await vote(discord, poll, "1. Yes", alice)
                    poll_id, now = poll_id_of(poll), datetime.now(UTC)
                    outcomes = await asyncio.gather(
                        close_and_announce(other, poll_id, now), close_and_announce(owner, poll_id, now)
                    )
                    assert sorted(outcomes, key=str) == [None, Announced.POSTED]  # one closes, and posts
                    # A closer in each process finding it closed but (as far as it knows) unannounced:
                    stored = await owner.polls.poll(poll_id)
                    again = await asyncio.gather(announce_results(other, stored), announce_results(owner, stored))
                    assert set(again) == {Announced.ELSEWHERE}
                    closers = (bot.get_cog("Polls").closer for bot in (other, owner))
                    await asyncio.gather(*(closer.close_due() for closer in closers))
                assert [p["embeds"][0]["title"] for p in results_posts(discord)] == [
                    "Results: First?",
                    "Results: Second?",
                ]
    discord.assert_no_violations()
