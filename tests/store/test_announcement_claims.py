"""Two bot processes on one database both try to post a closed poll's results: exactly one claims
the announcement, a claim given back (Discord failed) can be taken again, and a claim left by a
process that died mid-post goes stale."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.storage.opening import open_database
from bot.storage.polls import STALE_CLAIM, PollStore
from tests.store.test_poll_store import NOW, make_poll


async def test_only_one_of_two_processes_claims_posting_the_results(database_url):
    first, second = await open_database(database_url), await open_database(database_url)
    try:
        one, other = PollStore(first), PollStore(second)
        for _ in range(5):
            poll = await make_poll(one)
            assert not await one.claim_announcement(poll.id, NOW)  # still open: nothing to announce
            await other.close(poll.id, NOW)
            won = await asyncio.gather(*(s.claim_announcement(poll.id, NOW) for s in (one, other, one, other)))
            assert won.count(True) == 1
            await (one if won[0] or won[2] else other).set_results_message(poll.id, 4242)
            assert not await one.claim_announcement(poll.id, NOW + 2 * STALE_CLAIM)  # posted: never again
    finally:
        await first.close()
        await second.close()


async def test_a_released_claim_can_be_taken_again_and_a_stale_one_taken_over(database_url):
    first, second = await open_database(database_url), await open_database(database_url)
    try:
        one, other = PollStore(first), PollStore(second)
        poll = await make_poll(one)
        await one.close(poll.id, NOW)
        assert await one.claim_announcement(poll.id, NOW)
        assert not await other.claim_announcement(poll.id, NOW + timedelta(minutes=1))
        await other.release_announcement(poll.id)  # not its claim: nothing changes
        assert not await other.claim_announcement(poll.id, NOW + timedelta(minutes=1))
        await one.release_announcement(poll.id)
        assert await other.claim_announcement(poll.id, NOW + timedelta(minutes=1))
        # The claimant died mid-post: after a while the claim is stale and one other process takes it.
        later = NOW + timedelta(minutes=1) + STALE_CLAIM + timedelta(seconds=1)
        taken = await asyncio.gather(one.claim_announcement(poll.id, later), other.claim_announcement(poll.id, later))
        assert sorted(taken) == [False, True]
    finally:
        await first.close()
        await second.close()


async def test_reopening_forgets_the_claim_so_the_next_close_is_announced(database):
    polls = PollStore(database)
    poll = await make_poll(polls)
    await polls.close(poll.id, NOW)
    assert await polls.claim_announcement(poll.id, NOW)
    await polls.reopen(poll.id, NOW + timedelta(hours=1))
    await polls.close(poll.id, NOW + timedelta(minutes=5))
    assert await polls.claim_announcement(poll.id, NOW + timedelta(minutes=5))
