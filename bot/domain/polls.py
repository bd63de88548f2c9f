"""Community polls: options, ballots, durations, and the counting rules. Pure: ``now`` is passed in."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.errors import UserFacingError

MIN_OPTIONS = 2
MAX_OPTIONS = 25
QUESTION_MAX = 200
OPTION_LABEL_MAX = 80
MIN_DURATION = timedelta(minutes=1)
MAX_DURATION = timedelta(days=32)
DEFAULT_DURATION = timedelta(hours=24)
HONORABLE_QUESTION = "Which honorable mention deserved a top-10 slot?"
NOMINATIONS_QUESTION = "Which nominated moment hits hardest?"


class Mode(StrEnum):
    SINGLE = "single"
    APPROVAL = "approval"
    RANKED = "ranked"


class Kind(StrEnum):
    HONORABLE = "honorable"
    NOMINATIONS = "nominations"
    CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class PollOption:
    index: int
    label: str  # a spoiler-free handle, never a moment name
    ref: str | None = None  # the list entry key or nomination id the option stands for
    added_at: datetime | None = None  # when a moderator added it to the open poll; None: there from the start


@dataclass(frozen=True, slots=True)
class NewPoll:
    """What a moderator chooses when posting a poll; a stored ``Poll`` adds what the store assigns."""

    guild_id: int
    channel_id: int
    kind: Kind
    list_id: str | None
    question: str
    options: tuple[PollOption, ...]
    mode: Mode
    max_choices: int
    hide_results: bool
    anonymous: bool
    role_id: int | None
    creator_id: int
    closes_at: datetime
    # Planning ahead (bot/domain/poll_schedule.py); keyword-only, so a poll posted at once leaves
    # them out and ``Poll`` can still add fields without defaults.
    starts_at: datetime | None = field(default=None, kw_only=True)  # set: stored now, posted then
    ping_role_id: int | None = field(default=None, kw_only=True)  # pinged at start, reminder, results
    remind_before: timedelta | None = field(default=None, kw_only=True)  # one reminder this long before


@dataclass(frozen=True, slots=True)
class Poll(NewPoll):
    id: int
    message_id: int | None
    created_at: datetime
    closed_at: datetime | None = None
    scheduled: bool = field(default=False, kw_only=True)  # planned ahead and not posted yet
    reminded_at: datetime | None = field(default=None, kw_only=True)

    def is_open(self, now: datetime) -> bool:
        return not self.scheduled and self.closed_at is None and now < self.closes_at

    @property
    def handle(self) -> str:
        return f"Poll #{self.id}"


@dataclass(frozen=True, slots=True)
class OptionTotal:
    index: int
    label: str
    votes: int
    percent: float  # of the ballots cast (approval percentages can add up to more than 100)


@dataclass(frozen=True, slots=True)
class Round:
    """One instant-runoff round: each continuing option's votes, who was eliminated after it."""

    number: int
    votes: dict[int, int]
    eliminated: tuple[int, ...]
    exhausted: int  # ballots with no continuing option left


@dataclass(frozen=True, slots=True)
class Result:
    poll: Poll
    ballots: int
    totals: tuple[OptionTotal, ...]  # in option order; for ranked polls, first preferences
    winners: tuple[int, ...]  # option indices: one winner, several for a tie, none without ballots
    rounds: tuple[Round, ...] = field(default=())

    @property
    def is_tie(self) -> bool:
        return len(self.winners) > 1


# --- Durations -------------------------------------------------------------------------------------

DURATION_EXAMPLES = "`30m`, `2h` or `3d`"
DURATION_UNREADABLE = f"I couldn't read that duration. Try something like {DURATION_EXAMPLES}."
DURATION_OUT_OF_RANGE = "A poll runs for 1 minute to 32 days."
_UNIT_SECONDS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("d", "day", "days"), 86400),
    **dict.fromkeys(("w", "week", "weeks"), 7 * 86400),
}
# One "<number> <unit>" part, optionally followed by "," or "and" before the next part.
_DURATION_PART = re.compile(r"\s*([0-9]+)\s*([a-z]+)\s*(?:,|and\b)?")
# 10**9 seconds is already years: a longer number is out of range whatever its unit, and never
# reaches int() (which refuses very long digit strings) or timedelta (which overflows).
_DIGITS_MAX = 9


class BadDuration(UserFacingError):
    """A poll length a member typed that we can't read or won't accept."""


class BadBallot(UserFacingError):
    """Choices this poll can't take."""


def parse_duration(text: str) -> timedelta:
    """``"30m"``, ``"1h30m"``, ``"1d 12h"``, ``"2 hours and 30 minutes"`` … within MIN..MAX_DURATION."""
    cleaned = text.strip().lower()
    if not cleaned:
        raise BadDuration(f"Tell me how long the poll should run, like {DURATION_EXAMPLES}.")
    if cleaned.startswith("-"):
        raise BadDuration(DURATION_OUT_OF_RANGE)
    if cleaned.isascii() and cleaned.isdigit():
        raise BadDuration("Add a unit to the number, like `30m` for minutes, `2h` for hours or `3d` for days.")
    seconds, position, too_long = 0, 0, False
    while position < len(cleaned):
        part = _DURATION_PART.match(cleaned, position)
        if part is None or part.group(2) not in _UNIT_SECONDS:
            raise BadDuration(DURATION_UNREADABLE)
        digits = part.group(1).lstrip("0")
        if len(digits) > _DIGITS_MAX:
            too_long = True  # keep reading: an unreadable rest deserves the "couldn't read" answer
        else:
            seconds += int(digits or "0") * _UNIT_SECONDS[part.group(2)]
        position = part.end()
    if too_long or not MIN_DURATION.total_seconds() <= seconds <= MAX_DURATION.total_seconds():
        raise BadDuration(DURATION_OUT_OF_RANGE)
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """``"3 d 4 h"``, ``"1 h 30 min"``: to the nearest minute, zero parts dropped, at least ``"1 min"``."""
    minutes = max(1, math.floor(delta.total_seconds() / 60 + 0.5))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{n} {unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min")) if n]
    return " ".join(parts)


# --- Ballots and counting --------------------------------------------------------------------------


def validate_ballot(poll: Poll, choices: Sequence[int]) -> tuple[int, ...]:
    """The ballot as stored: single → one index; approval → sorted; ranked → first preference first."""
    picked = tuple(choices)
    if not picked:
        raise BadBallot("Pick at least one option.")
    offered = {option.index for option in poll.options}
    if any(choice not in offered for choice in picked):
        raise BadBallot("One of those options was never offered in this poll. Open the poll again and pick from it.")
    if len(set(picked)) != len(picked):
        if poll.mode is Mode.RANKED:
            raise BadBallot("Each option can appear only once in your ranking.")
        raise BadBallot("You picked the same option twice.")
    if poll.mode is Mode.SINGLE and len(picked) > 1:
        raise BadBallot("You can pick only one option in this poll.")
    if poll.mode is Mode.APPROVAL:
        if len(picked) > poll.max_choices:
            noun = "option" if poll.max_choices == 1 else "options"
            raise BadBallot(f"You can pick at most {poll.max_choices} {noun} in this poll.")
        return tuple(sorted(picked))
    return picked


def _totals(poll: Poll, votes: Mapping[int, int], ballots: int) -> tuple[OptionTotal, ...]:
    totals = []
    for option in poll.options:
        n = votes.get(option.index, 0)
        totals.append(OptionTotal(option.index, option.label, n, n * 100 / ballots if ballots > 0 else 0.0))
    return tuple(totals)


def count_votes(poll: Poll, votes_per_option: Mapping[int, int], ballots: int) -> Result:
    """Single choice and approval: every option with the most votes wins (several for a tie)."""
    if poll.mode is Mode.RANKED:
        raise ValueError("ranked polls are counted by instant_runoff")
    totals = _totals(poll, votes_per_option, ballots)
    top = max((total.votes for total in totals), default=0)
    winners = tuple(t.index for t in totals if t.votes == top) if ballots > 0 and top > 0 else ()
    return Result(poll, ballots, totals, winners)


def instant_runoff(poll: Poll, patterns: Mapping[tuple[int, ...], int]) -> Result:
    """Ranked choice over ballot patterns (a ranking → how many members cast exactly it).

    Each round every ballot counts for its highest-ranked continuing option. A strict majority of
    the non-exhausted ballots wins; otherwise the fewest-votes option goes out (ties: see
    ``_to_eliminate``). If everyone left is tied all the way back, they share the win.
    No ballots: no winners and no rounds.
    """
    order = [option.index for option in poll.options]
    groups = [(ranking, n) for ranking, n in patterns.items() if n > 0]
    ballots = sum(n for _, n in groups)
    if ballots == 0:
        return Result(poll, 0, _totals(poll, {}, ballots), ())
    continuing = set(order)
    tally = dict.fromkeys(order, 0)
    piles: dict[int, list[int]] = {index: [] for index in order}  # option → groups counting for it
    position = [0] * len(groups)

    # Only the eliminated options' piles move, so a whole count walks each ranking at most once.
    def place(group: int) -> None:
        ranking, n = groups[group]
        at = position[group]
        while at < len(ranking) and ranking[at] not in continuing:
            at += 1
        position[group] = at
        if at < len(ranking):
            tally[ranking[at]] += n
            piles[ranking[at]].append(group)

    for group in range(len(groups)):
        place(group)
    totals = _totals(poll, tally, ballots)
    rounds: list[Round] = []
    winners: tuple[int, ...] = ()
    while True:
        votes = {index: tally[index] for index in order if index in continuing}
        active = sum(votes.values())
        number, exhausted = len(rounds) + 1, ballots - active
        if active == 0:  # only empty rankings were cast: nobody got a vote
            rounds.append(Round(number, votes, (), exhausted))
            break
        leader = max(votes, key=votes.__getitem__)
        if 2 * votes[leader] > active:
            winners = (leader,)
            rounds.append(Round(number, votes, (), exhausted))
            break
        out = _to_eliminate(votes, rounds)
        if len(out) == len(votes):
            winners = out
            rounds.append(Round(number, votes, (), exhausted))
            break
        rounds.append(Round(number, votes, out, exhausted))
        continuing.difference_update(out)
        for index in out:
            for group in piles.pop(index):
                place(group)
    return Result(poll, ballots, totals, winners, tuple(rounds))


def _to_eliminate(votes: dict[int, int], earlier: list[Round]) -> tuple[int, ...]:
    """The options with the fewest votes. A tie looks back round by round, most recent first,
    keeping only those that had the fewest there; whoever is still tied goes out together."""
    fewest = min(votes.values())
    tied = [index for index, n in votes.items() if n == fewest]
    for round_ in reversed(earlier):
        if len(tied) == 1:
            break
        least = min(round_.votes[index] for index in tied)
        tied = [index for index in tied if round_.votes[index] == least]
    return tuple(tied)


def bar(percent: float, width: int = 12) -> str:
    """``"██████░░░░░░"``: the share to the nearest cell, always exactly ``width`` characters."""
    width = max(width, 0)
    share = percent / 100 if math.isfinite(percent) else 0.0
    filled = min(width, max(0, math.floor(share * width + 0.5)))
    return "█" * filled + "░" * (width - filled)
