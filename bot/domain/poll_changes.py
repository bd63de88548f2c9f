"""Changing an open poll: the rules for an option a moderator adds. Pure: ``now`` is passed in."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import UserFacingError
from bot.domain.polls import MAX_OPTIONS, OPTION_LABEL_MAX, Mode, Poll, PollOption
from bot.domain.spoilers import inert
from bot.domain.text import compact

# Every mode shows at most 25 options: single and approval polls past 20 switch from buttons to one
# menu of at most 25 entries, and a ranked ballot in progress keeps at most 25 picks in its custom_id.
MODE_OPTION_LIMITS = {Mode.SINGLE: MAX_OPTIONS, Mode.APPROVAL: MAX_OPTIONS, Mode.RANKED: MAX_OPTIONS}


class OptionRefused(UserFacingError):
    """An option that can't be added to this poll (closed, full, empty, too long or a repeat)."""


def new_option(poll: Poll, label: str, now: datetime) -> PollOption:
    """The option to append, its label made inert (member text: no markdown, no mass mention)."""
    if not poll.is_open(now):
        raise OptionRefused(f"**{poll.handle}** is closed: options can only be added while it runs.")
    limit = MODE_OPTION_LIMITS[poll.mode]
    if len(poll.options) >= limit:
        raise OptionRefused(f"**{poll.handle}** already has {limit} options, the most a {poll.mode} poll can show.")
    cleaned = inert(label).strip()
    if not cleaned:
        raise OptionRefused("The new option needs a label with some text in it.")
    if len(cleaned) > OPTION_LABEL_MAX:
        raise OptionRefused(f"Keep the option under {OPTION_LABEL_MAX} characters (it has {len(cleaned)}).")
    if compact(cleaned) in {compact(option.label) for option in poll.options}:
        raise OptionRefused(f"**{poll.handle}** already has that option.")
    index = max((option.index for option in poll.options), default=-1) + 1
    return PollOption(index, cleaned, None, added_at=now)


def added_options(poll: Poll) -> tuple[PollOption, ...]:
    return tuple(option for option in poll.options if option.added_at is not None)
