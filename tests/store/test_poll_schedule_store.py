"""Scheduled polls on a real database (SQLite and PostgreSQL): stored before they start, claimed
once to start and once to remind (also by two processes on one database), cancelled only before
they start."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.domain.polls import Kind, Mode, PollOption
from bot.storage.opening import open_database
from bot.storage.polls import NewPoll, PollStore
from tests.store.test_poll_store import NOW

HOUR = timedelta(hours=1)


@pytest.fixture
async def polls(database):
    return PollStore(database)


def planned(starts_in: timedelta | None = HOUR, remind: timedelta | None = timedelta(minutes=10)) -> NewPoll:
    starts_at = NOW + starts_in if starts_in else None
    return NewPoll(
        guild_id=1, channel_id=2, kind=Kind.CUSTOM, list_id=None, question="Later?",
        options=(PollOption(0, "Yes"), PollOption(1, "No")), mode=Mode.SINGLE, max_choices=1, hide_results=False,
        anonymous=True, role_id=None, creator_id=9, closes_at=(starts_at or NOW) + HOUR, starts_at=starts_at,
        ping_role_id=77, remind_before=remind,
    )  # fmt: skip


async def test_a_scheduled_poll_round_trips_and_is_neither_open_nor_due_to_close(polls):
    poll = await polls.create_poll(planned(), NOW)
    assert poll.scheduled and poll.starts_at == NOW + HOUR and poll.closes_at == NOW + 2 * HOUR
    assert (poll.ping_role_id, poll.remind_before, poll.reminded_at) == (77, timedelta(minutes=10), None)
    assert not poll.is_open(NOW + HOUR)
    assert await polls.due(NOW + 3 * HOUR) == [] and await polls.next_deadline() is None
    assert await polls.open_count() == 0
    assert await polls.starts_due(NOW) == [] and [p.id for p in await polls.starts_due(NOW + HOUR)] == [poll.id]
    assert [p.id for p in await polls.scheduled_in(1)] == [poll.id] and await polls.scheduled_in(2) == []


async def test_a_poll_posted_at_once_is_live(polls):
    poll = await polls.create_poll(planned(starts_in=None, remind=None), NOW)
    assert not poll.scheduled and poll.starts_at is None and poll.is_open(NOW)
    assert await polls.starts_due(NOW + 3 * HOUR) == [] and await polls.open_count() == 1


async def test_starting_is_claimed_once_and_a_failed_post_gives_the_start_back(polls):
    poll = await polls.create_poll(planned(), NOW)
    assert await asyncio.gather(*(polls.claim_start(poll.id) for _ in range(3))) == [True, False, False]
    assert (await polls.poll(poll.id)).is_open(NOW + HOUR)
    await polls.release_start(poll.id)
    assert (await polls.poll(poll.id)).scheduled
    assert await polls.claim_start(poll.id)
    await polls.set_message(poll.id, 2, 500)
    await polls.release_start(poll.id)  # posted: nothing to give back
    assert not (await polls.poll(poll.id)).scheduled


async def test_a_reminder_is_pending_once_posted_and_claimed_once(polls):
    poll = await polls.create_poll(planned(), NOW)
    assert await polls.reminders_pending() == []  # not posted yet
    await polls.claim_start(poll.id)
    await polls.set_message(poll.id, 2, 500)
    assert [p.id for p in await polls.reminders_pending()] == [poll.id]
    assert await asyncio.gather(*(polls.claim_reminder(poll.id, NOW) for _ in range(3))) == [True, False, False]
    assert await polls.reminders_pending() == [] and (await polls.poll(poll.id)).reminded_at == NOW
    await polls.release_reminder(poll.id)
    assert [p.id for p in await polls.reminders_pending()] == [poll.id]
    await polls.close(poll.id, NOW)
    assert await polls.reminders_pending() == [] and not await polls.claim_reminder(poll.id, NOW)


async def test_two_processes_on_one_database_send_one_reminder_and_start_once(database_url):
    first, second = await open_database(database_url), await open_database(database_url)
    try:
        polls, other = PollStore(first), PollStore(second)
        poll = await polls.create_poll(planned(), NOW)
        starts = await asyncio.gather(*(s.claim_start(poll.id) for s in (polls, other, polls, other)))
        assert sorted(starts) == [False, False, False, True]
        reminders = await asyncio.gather(*(s.claim_reminder(poll.id, NOW) for s in (polls, other, polls, other)))
        assert sorted(reminders) == [False, False, False, True]
    finally:
        await first.close()
        await second.close()


async def test_only_a_poll_that_has_not_started_can_be_cancelled(polls):
    waiting = await polls.create_poll(planned(), NOW)
    started = await polls.create_poll(replace(planned(), question="Started?"), NOW)
    await polls.claim_start(started.id)
    assert await polls.cancel_scheduled(waiting.id) and await polls.poll(waiting.id) is None
    assert not await polls.cancel_scheduled(waiting.id)
    assert not await polls.cancel_scheduled(started.id) and await polls.poll(started.id) is not None
    count = await polls.store.fetch_value("SELECT COUNT(*) FROM poll_options WHERE poll_id = ?", waiting.id)
    assert count == 0


async def test_rescheduling_moves_the_window(polls):
    poll = await polls.create_poll(planned(), NOW)
    await polls.reschedule(poll.id, NOW - HOUR, NOW)
    moved = await polls.poll(poll.id)
    assert (moved.starts_at, moved.closes_at) == (NOW - HOUR, NOW)
    assert [p.id for p in await polls.starts_due(NOW)] == [poll.id]
