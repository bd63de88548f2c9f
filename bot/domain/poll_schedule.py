"""Polls planned ahead: when one opens, when its reminder is due, and what a moderator may ask for.
Pure: ``now`` is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.polls import DURATION_OUT_OF_RANGE, BadDuration, Poll, format_duration, parse_duration


class BadReminder(BadDuration):
    """A reminder that would come before the poll even opens."""


@dataclass(frozen=True, slots=True)
class Timing:
    starts_at: datetime | None  # None: the poll opens now
    closes_at: datetime  # counted from the start
    remind_before: timedelta | None


def _option_duration(text: str, option: str, out_of_range: str) -> timedelta:
    try:
        return parse_duration(text)
    except BadDuration as error:
        if str(error) == DURATION_OUT_OF_RANGE:
            raise BadDuration(out_of_range) from None
        raise BadDuration(f"`{option}`: {error}") from None


def plan_timing(now: datetime, length: timedelta, starts_in: str | None, remind: str | None) -> Timing:
    """The poll's start, deadline and reminder from the options a moderator typed."""
    delay = None
    if starts_in is not None:
        delay = _option_duration(starts_in, "starts_in", "`starts_in` can be 1 minute to 32 days from now.")
    before = None
    if remind is not None:
        before = _option_duration(remind, "remind", "`remind` can be 1 minute to 32 days before the deadline.")
        if before >= length:
            raise BadReminder(
                f"`remind` must be shorter than the poll itself ({format_duration(length)}), "
                "or the reminder would come before the poll opens."
            )
    starts_at = now + delay if delay is not None else None
    return Timing(starts_at, (starts_at or now) + length, before)


def reminder_time(poll: Poll) -> datetime | None:
    """When the poll's one reminder is due; None if it has none, or it was already sent."""
    if poll.remind_before is None or poll.reminded_at is not None:
        return None
    return poll.closes_at - poll.remind_before


def reminder_due(poll: Poll, now: datetime) -> bool:
    """Due, on a poll that is posted and not closed yet. After downtime that may be past its
    deadline too: the reminder still goes out (saying it is late) before the results."""
    due = reminder_time(poll)
    return due is not None and due <= now and not poll.scheduled and poll.closed_at is None


def reminder_is_late(poll: Poll, now: datetime) -> bool:
    """The deadline passed before the reminder could go out (Namida was down)."""
    return now >= poll.closes_at
