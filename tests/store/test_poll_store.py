"""Polls on a real database (SQLite and PostgreSQL): one ballot per member, counters in step, group commit, closing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.ballots import PollClosed, Replace, Toggle, TooManyChoices
from bot.domain.polls import Kind, Mode, PollOption
from bot.storage.polls import NewPoll, PollStore

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
async def polls(database):
    return PollStore(database)


async def make_poll(polls: PollStore, mode: Mode = Mode.SINGLE, options: int = 3, max_choices: int = 1):
    new = NewPoll(
        guild_id=1, channel_id=2, kind=Kind.CUSTOM, list_id=None, question="Q?",
        options=tuple(PollOption(i, f"Option {i}") for i in range(options)), mode=mode, max_choices=max_choices,
        hide_results=False, anonymous=True, role_id=None, creator_id=9, closes_at=NOW + timedelta(hours=1),
    )  # fmt: skip
    return await polls.create_poll(new, NOW)


async def ballot_rows(polls: PollStore, poll_id: int) -> int:
    return int(await polls.store.fetch_value("SELECT count(*) FROM ballots WHERE poll_id = ?", poll_id))


async def test_single_choice_change_and_removal_keep_counters_in_step(polls):
    poll = await make_poll(polls)
    assert await polls.cast(poll, 100, Toggle(0), NOW) == (0,)
    assert await polls.cast(poll, 100, Toggle(2), NOW) == (2,)
    assert await polls.cast(poll, 101, Toggle(2), NOW) == (2,)
    assert await polls.cast(poll, 101, Toggle(2), NOW) == ()
    assert await polls.counts(poll.id) == ({0: 0, 1: 0, 2: 1}, 1)
    assert await ballot_rows(polls, poll.id) == 1


async def test_approval_toggles_within_the_limit(polls):
    poll = await make_poll(polls, Mode.APPROVAL, options=4, max_choices=2)
    await polls.cast(poll, 100, Toggle(0), NOW)
    assert await polls.cast(poll, 100, Toggle(3), NOW) == (0, 3)
    with pytest.raises(TooManyChoices):
        await polls.cast(poll, 100, Toggle(1), NOW)
    assert await polls.counts(poll.id) == ({0: 1, 1: 0, 2: 0, 3: 1}, 1)


async def test_ranked_ballots_are_grouped_into_patterns(polls):
    poll = await make_poll(polls, Mode.RANKED)
    await polls.cast(poll, 100, Replace((2, 0)), NOW)
    await polls.cast(poll, 101, Replace((2, 0)), NOW)
    await polls.cast(poll, 102, Replace((1,)), NOW)
    await polls.cast(poll, 101, Replace((0, 1, 2)), NOW)
    assert await polls.patterns(poll.id) == {(2, 0): 1, (1,): 1, (0, 1, 2): 1}
    assert await polls.counts(poll.id) == ({0: 1, 1: 1, 2: 1}, 3)


async def test_concurrent_clicks_by_one_member_never_make_two_ballots(polls):
    poll = await make_poll(polls)
    outcomes = await asyncio.gather(*(polls.cast(poll, 100, Toggle(i % 3), NOW) for i in range(30)))
    assert await ballot_rows(polls, poll.id) <= 1
    counts, ballots = await polls.counts(poll.id)
    assert sum(counts.values()) == ballots == await ballot_rows(polls, poll.id)
    assert outcomes[-1] == await polls.ballot_of(poll.id, 100)


async def test_a_burst_is_committed_in_a_few_transactions(polls):
    poll = await make_poll(polls)
    await asyncio.gather(*(polls.cast(poll, 1000 + i, Toggle(i % 3), NOW) for i in range(1000)))
    assert polls.writer.batches < 50
    assert await polls.counts(poll.id) == ({0: 334, 1: 333, 2: 333}, 1000)


async def test_a_refused_click_does_not_spoil_the_others_in_its_batch(polls):
    poll = await make_poll(polls, Mode.APPROVAL, options=3, max_choices=1)
    await polls.cast(poll, 100, Toggle(0), NOW)
    results = await asyncio.gather(
        polls.cast(poll, 100, Toggle(1), NOW), polls.cast(poll, 101, Toggle(1), NOW), return_exceptions=True
    )
    assert isinstance(results[0], TooManyChoices) and results[1] == (1,)


async def test_closing_is_idempotent_and_closed_polls_refuse_votes(polls):
    poll = await make_poll(polls)
    assert await polls.close(poll.id, NOW) is True
    assert await polls.close(poll.id, NOW) is False
    with pytest.raises(PollClosed):
        await polls.cast(poll, 100, Toggle(0), NOW)
    with pytest.raises(PollClosed):  # past its deadline, even if nobody closed it yet
        other = await make_poll(polls)
        await polls.cast(other, 100, Toggle(0), NOW + timedelta(hours=2))


async def test_due_polls_and_the_next_deadline(polls):
    early, late = await make_poll(polls), await make_poll(polls)
    await polls.extend(late.id, NOW + timedelta(days=2))
    assert await polls.next_deadline() == NOW + timedelta(hours=1)
    assert [p.id for p in await polls.due(NOW + timedelta(hours=1))] == [early.id]
    await polls.close(early.id, NOW)
    assert await polls.next_deadline() == NOW + timedelta(days=2)
    await polls.reopen(early.id, NOW + timedelta(minutes=5))
    assert (await polls.poll(early.id)).closed_at is None


async def test_votes_already_clicked_are_committed_before_shutdown(polls):
    poll = await make_poll(polls)
    clicks = [asyncio.create_task(polls.cast(poll, 5000 + i, Toggle(0), NOW)) for i in range(200)]
    await asyncio.sleep(0)  # the clicks are queued, none committed yet
    await polls.writer.drain()
    assert all(click.done() for click in clicks)
    assert await polls.counts(poll.id) == ({0: 200, 1: 0, 2: 0}, 200)


async def test_a_read_overlapping_a_close_never_leaves_a_stale_open_poll_cached(polls, monkeypatch):
    poll = await make_poll(polls)
    polls._cache.clear()  # the next read goes to the database
    read_options, closed = asyncio.Event(), asyncio.Event()
    fetch_all = polls.store.fetch_all

    async def options_after_the_close(sql, *params):
        if "FROM poll_options" in sql:  # the reader has the poll row (still open) by now
            read_options.set()
            await closed.wait()
        return await fetch_all(sql, *params)

    monkeypatch.setattr(polls.store, "fetch_all", options_after_the_close)
    reading = asyncio.ensure_future(polls.poll(poll.id))
    await read_options.wait()
    await polls.close(poll.id, NOW)
    closed.set()
    assert (await reading).is_open(NOW)  # what that read saw...
    assert not (await polls.poll(poll.id)).is_open(NOW)  # ...is not what later readers get


async def test_extending_only_moves_the_deadline_of_a_poll_still_open(polls):
    open_poll, closed, lapsed = await make_poll(polls), await make_poll(polls), await make_poll(polls)
    await polls.close(closed.id, NOW)
    later = NOW + timedelta(days=1)
    assert await polls.extend_open(open_poll.id, later, NOW) is True
    assert await polls.extend_open(closed.id, later, NOW) is False
    assert await polls.extend_open(lapsed.id, later, NOW + timedelta(hours=2)) is False  # its deadline passed
    assert (await polls.poll(open_poll.id)).closes_at == later
    assert (await polls.poll(closed.id)).closes_at == closed.closes_at
    assert (await polls.poll(lapsed.id)).closes_at == lapsed.closes_at
