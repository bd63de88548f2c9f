"""Results a poll's closer has not posted yet: the sweep for unposted results leaves a poll that
closed seconds ago to whoever closed it (a moderator's /poll close is posting them), and posts
what is older; so a moderator is told "posted", and nothing is posted twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.e2e.polling import start_poll, vote
from tests.e2e.polls.test_lifecycle import poll_id_of, results_posts, wait_for_results


async def test_a_poll_closed_seconds_ago_is_left_to_its_closer_then_swept(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Swept?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    closer = configured.get_cog("Polls").closer
    await closer.close_due()  # the pass every start begins with has run
    assert await configured.polls.close(poll_id_of(poll), datetime.now(UTC))  # a /poll close, posting
    await closer.close_due()
    assert results_posts(discord) == [] and closer.retry_pending  # not taken from it; looked at again soon

    await configured.polls.reopen(poll_id_of(poll), datetime.now(UTC) + timedelta(hours=1))
    assert await configured.polls.close(poll_id_of(poll), datetime.now(UTC) - timedelta(minutes=1))
    since = len(discord.requests)
    await closer.close_due()  # closed a minute ago and still unposted: its closer failed, so post them
    results = await wait_for_results(discord, since)
    assert results["embeds"][0]["description"].startswith("🏆 **1. Yes** wins.")
    await closer.close_due()
    assert len(results_posts(discord)) == 1

