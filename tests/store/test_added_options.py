"""Options added to an open poll, on a real database (SQLite and PostgreSQL): stored with their moment, counted from
zero, refused once the poll is closed, and counters still equal a recount amid votes."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from bot.domain.ballots import Replace, Toggle, counted
from bot.domain.poll_changes import OptionRefused
from bot.domain.polls import Mode
from bot.storage.polls import PollGone, PollStore
from tests.store.test_poll_store import NOW, make_poll


@pytest.fixture
async def polls(database):
    return PollStore(database)


async def recount(polls: PollStore, poll_id: int) -> tuple[dict[int, int], int]:
    poll = await polls.poll(poll_id)
    ballots = await polls.all_ballots(poll_id)
    votes = Counter(index for _, ballot in ballots for index in counted(poll, ballot))
    return {o.index: votes.get(o.index, 0) for o in poll.options}, len(ballots)


async def test_an_added_option_is_stored_with_its_moment_and_counted_from_zero(polls):
    poll = await make_poll(polls, options=2)
    await polls.cast(poll, 100, Toggle(0), NOW)
    later = NOW + timedelta(minutes=5)
    changed, option = await polls.add_option(poll.id, "Maybe", later)
    assert (option.index, option.label, option.added_at) == (2, "Maybe", later)
    assert changed.options[-1] == option and (await polls.poll(poll.id)).options[-1] == option
    assert await polls.counts(poll.id) == ({0: 1, 1: 0, 2: 0}, 1)
    assert await polls.cast(changed, 101, Toggle(2), later) == (2,)
    assert await polls.counts(poll.id) == await recount(polls, poll.id) == ({0: 1, 1: 0, 2: 1}, 2)


async def test_a_closed_or_unknown_poll_takes_no_option(polls):
    poll = await make_poll(polls, options=2)
    await polls.close(poll.id, NOW)
    with pytest.raises(OptionRefused, match="is closed"):
        await polls.add_option(poll.id, "Maybe", NOW)
    assert len((await polls.poll(poll.id)).options) == 2
    with pytest.raises(PollGone):
        await polls.add_option(999, "Maybe", NOW)


async def test_adds_racing_each_other_and_votes_keep_every_counter_equal_to_a_recount(polls):
    poll = await make_poll(polls, Mode.RANKED, options=2)
    labels = [f"Late {n}" for n in range(6)]
    adds = [polls.add_option(poll.id, label, NOW) for label in labels + labels[:2]]  # two repeats
    votes = [polls.cast(poll, 200 + n, Replace((n % 2, (n + 1) % 2)), NOW) for n in range(40)]
    outcomes = await asyncio.gather(*adds, *votes, return_exceptions=True)
    refused = [o for o in outcomes[: len(adds)] if isinstance(o, Exception)]
    assert len(refused) == 2 and all(isinstance(o, OptionRefused) for o in refused)
    final = await polls.poll(poll.id)
    assert [o.index for o in final.options] == list(range(8))
    assert sorted(o.label for o in final.options[2:]) == sorted(labels)
    assert await polls.counts(poll.id) == await recount(polls, poll.id)
