"""Two shard processes on one database: a guild's poll deadline is closed only by the process
that owns the guild's shard, and fires once that process is back; results left unposted are
posted by that process too, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.settings import Settings
from standin import StandIn, make_guild, point_discord_py_at
from tests.e2e.harness import TOKEN, shard_process
from tests.e2e.polling import start_poll, vote
from tests.e2e.polls.test_lifecycle import poll_id_of, results_posts, wait_for_results
from tests.e2e.polls.two_shards import two_shard_processes

pytestmark = pytest.mark.asyncio


async def test_only_the_owning_process_closes_a_poll_and_it_does_once_back(settings: Settings) -> None:
    guild = make_guild(channels=("general", "polls"), roles={"Voters": ()}, shard=(1, 2))
    async with StandIn(token=TOKEN, guilds=[guild], shard_count=2) as discord:
        with point_discord_py_at(discord):
            mod, alice = discord.member("mod", permissions="manage_guild"), discord.member("alice")
            async with shard_process(settings, 0) as other:  # owns shard 0, not this guild
                assert not other.owns_guild(guild.id)
                async with shard_process(settings, 1) as owner:
                    assert owner.owns_guild(guild.id)
                    polls = guild.channel("polls").id
                    await owner.guild_settings.update(guild.id, datetime.now(UTC), poll_channel_id=polls)
                    poll = await start_poll(discord, mod, "custom", question="Soon?", options="Yes; No", duration="1m")
                    await vote(discord, poll, "1. Yes", alice)
                # The owner is down and the deadline passes: the other process leaves the poll alone.
                await other.polls.extend(poll_id_of(poll), datetime.now(UTC) - timedelta(minutes=1))
                await other.get_cog("Polls").closer.close_due()
                assert [p.id for p in await other.polls.recent(guild.id, open_only=True)] == [poll_id_of(poll)]
                assert results_posts(discord) == []

                since = len(discord.requests)
                async with shard_process(settings, 1):  # back: it closes the poll at start-up
                    results = await wait_for_results(discord, since)
                    assert results["embeds"][0]["description"].startswith("🏆 **1. Yes** wins.")
                    assert len(results_posts(discord)) == 1
    discord.assert_no_violations()


async def test_results_left_unposted_are_posted_by_the_owning_process_only(settings: Settings) -> None:
    async with two_shard_processes(settings) as shards:
        discord, owner, other = shards.discord, shards.owner, shards.other
        poll = await start_poll(discord, shards.mod, "custom", question="Later?", options="Yes; No")
        await vote(discord, poll, "1. Yes", shards.alice)
        # Closed, but its results not posted yet (as when Discord failed at that moment).
        assert await other.polls.close(poll_id_of(poll), datetime.now(UTC))
        await other.get_cog("Polls").closer.close_due()
        assert results_posts(discord) == []
        since = len(discord.requests)
        await owner.get_cog("Polls").closer.close_due()
        results = await wait_for_results(discord, since)
        assert results["embeds"][0]["title"] == "Results: Later?"
        await other.get_cog("Polls").closer.close_due()
        assert len(results_posts(discord)) == 1
