"""Planning a poll ahead: start, deadline from the start, reminder rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.domain.poll_schedule import BadReminder, plan_timing, reminder_due, reminder_is_late, reminder_time
from bot.domain.polls import BadDuration
from tests.polls import CREATED, make_poll

HOUR = timedelta(hours=1)


def test_a_poll_without_planning_opens_now_and_has_no_reminder():
    timing = plan_timing(CREATED, HOUR, None, None)
    assert (timing.starts_at, timing.closes_at, timing.remind_before) == (None, CREATED + HOUR, None)


def test_the_deadline_counts_from_the_scheduled_start():
    timing = plan_timing(CREATED, 2 * HOUR, "1d", "30m")
    assert timing.starts_at == CREATED + timedelta(days=1)
    assert timing.closes_at == CREATED + timedelta(days=1, hours=2)
    assert timing.remind_before == timedelta(minutes=30)


@pytest.mark.parametrize(("starts_in", "delay"), [("1m", timedelta(minutes=1)), ("32d", timedelta(days=32))])
def test_a_start_exactly_at_either_bound_is_taken(starts_in, delay):
    timing = plan_timing(CREATED, HOUR, starts_in, None)
    assert (timing.starts_at, timing.closes_at) == (CREATED + delay, CREATED + delay + HOUR)


@pytest.mark.parametrize(
    ("starts_in", "expected"),
    [("30s", "`starts_in` can be 1 minute to 32 days"), ("33d", "`starts_in` can be 1 minute to 32 days"),
     ("soon", "`starts_in`: I couldn't read that duration"), ("5", "`starts_in`: Add a unit")],
)  # fmt: skip
def test_a_start_out_of_range_or_unreadable_is_refused_naming_the_option(starts_in, expected):
    with pytest.raises(BadDuration) as refused:
        plan_timing(CREATED, HOUR, starts_in, None)
    assert str(refused.value).startswith(expected)


@pytest.mark.parametrize("remind", ["1h", "2h", "32d"])
def test_a_reminder_as_long_as_the_poll_or_longer_is_refused(remind):
    with pytest.raises(BadReminder, match="shorter than the poll itself"):
        plan_timing(CREATED, HOUR, None, remind)


def test_a_reminder_one_minute_short_of_the_duration_is_fine():
    assert plan_timing(CREATED, HOUR, None, "59m").remind_before == timedelta(minutes=59)


def test_a_reminder_is_due_before_the_deadline_and_only_once():
    poll = replace(make_poll(["a", "b"]), remind_before=HOUR)
    due = poll.closes_at - HOUR
    assert reminder_time(poll) == due
    assert not reminder_due(poll, due - timedelta(seconds=1)) and reminder_due(poll, due)
    assert not reminder_due(replace(poll, reminded_at=due), due)
    assert reminder_time(replace(poll, reminded_at=due)) is None


def test_no_reminder_before_the_poll_starts_or_once_it_closed():
    poll = replace(make_poll(["a", "b"]), remind_before=HOUR)
    assert not reminder_due(replace(poll, scheduled=True), poll.closes_at - HOUR)
    assert not reminder_due(replace(poll, closed_at=poll.closes_at - 2 * HOUR), poll.closes_at - HOUR)


def test_a_reminder_missed_past_the_deadline_is_still_due_and_late():
    poll = replace(make_poll(["a", "b"]), remind_before=HOUR)
    assert reminder_due(poll, poll.closes_at + HOUR) and reminder_is_late(poll, poll.closes_at)
    assert not reminder_is_late(poll, poll.closes_at - timedelta(seconds=1))


def test_a_scheduled_poll_is_not_open_before_it_is_posted():
    poll = make_poll(["a", "b"])
    assert poll.is_open(CREATED) and not replace(poll, scheduled=True).is_open(CREATED)
