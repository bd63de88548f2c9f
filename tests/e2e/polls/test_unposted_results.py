"""A poll closed by a moderator (or its deadline) is claimed for posting in the same transaction
that closes it: the sweep for unposted results, in any process, never takes it in between, so the
moderator is told "posted", and the results go out once."""

from __future__ import annotations

from datetime import UTC, datetime

from cogs.polls.service import Announced, announce_results
from tests.e2e.polling import start_poll, vote
from tests.e2e.polls.test_lifecycle import poll_id_of, results_posts, wait_for_results


async def test_a_poll_being_closed_is_left_to_its_closer_by_the_sweep(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Swept?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    closer = configured.get_cog("Polls").closer
    assert await configured.polls.close_claiming(poll_id_of(poll), datetime.now(UTC))  # /poll close, mid-way
    await closer.close_due()  # a sweep in between
    assert results_posts(discord) == []

    since = len(discord.requests)
    stored = await configured.polls.poll(poll_id_of(poll))
    assert await announce_results(configured, stored, claimed=True) is Announced.POSTED  # the close goes on
    results = await wait_for_results(discord, since)
    assert results["embeds"][0]["description"].startswith("🏆 **1. Yes** wins.")
    await closer.close_due()
    assert len(results_posts(discord)) == 1
