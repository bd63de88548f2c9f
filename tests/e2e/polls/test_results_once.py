"""Two bot processes on one database (each engine) close the same poll at the same moment, as a
moderator's /poll close in one and the deadline in the other would: the results are posted once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.settings import Settings
from cogs.polls.service import Announced, announce_results, close_and_announce
from tests.e2e.polling import start_poll, vote
from tests.e2e.polls.test_lifecycle import poll_id_of, results_posts
from tests.e2e.polls.two_shards import two_shard_processes


async def test_two_processes_closing_one_poll_post_its_results_once(settings: Settings) -> None:
    async with two_shard_processes(settings) as shards:
        discord, owner, other = shards.discord, shards.owner, shards.other
        for question in ("First?", "Second?"):
            poll = await start_poll(discord, shards.mod, "custom", question=question, options="Yes; No")
            await vote(discord, poll, "1. Yes", shards.alice)
            poll_id, now = poll_id_of(poll), datetime.now(UTC)
            closing = (close_and_announce(bot, poll_id, now) for bot in (other, owner))
            outcomes = await asyncio.gather(*closing)
            assert sorted(outcomes, key=str) == [None, Announced.POSTED]  # one closes, and posts
            # A closer in each process finding it closed but (as far as it knows) unannounced:
            stored = await owner.polls.poll(poll_id)
            assert stored is not None
            again = await asyncio.gather(announce_results(other, stored), announce_results(owner, stored))
            assert set(again) == {Announced.ELSEWHERE}
            closers = (bot.get_cog("Polls").closer for bot in (other, owner))
            await asyncio.gather(*(closer.close_due() for closer in closers))
        assert [p["embeds"][0]["title"] for p in results_posts(discord)] == ["Results: First?", "Results: Second?"]
