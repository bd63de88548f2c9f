"""How a click changes a member's ballot. Applied by the store inside the write transaction, so
two fast clicks by one member are applied one after the other, never both to the same old ballot."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import UserFacingError
from bot.domain.polls import Mode, Poll


@dataclass(frozen=True, slots=True)
class Toggle:
    """A vote button: single choice switches to (or takes back) this option; approval adds or
    removes it."""

    index: int


@dataclass(frozen=True, slots=True)
class Replace:
    """A menu or a ranked ballot: the whole ballot at once (empty clears it)."""

    choices: tuple[int, ...]


Intent = Toggle | Replace


class TooManyChoices(UserFacingError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"You can pick at most {limit} options in this poll: take one back first.")


class PollClosed(UserFacingError):
    def __init__(self) -> None:
        super().__init__("This poll is closed, so votes can't change any more.")


def next_ballot(poll: Poll, old: tuple[int, ...], intent: Intent) -> tuple[int, ...]:
    if isinstance(intent, Replace):
        return intent.choices
    index = intent.index
    if poll.mode is Mode.SINGLE:
        return () if old == (index,) else (index,)
    if index in old:
        return tuple(i for i in old if i != index)
    if len(old) >= poll.max_choices:
        raise TooManyChoices(poll.max_choices)
    return tuple(sorted((*old, index)))


def counted(poll: Poll, ballot: tuple[int, ...]) -> tuple[int, ...]:
    """The options a ballot adds a vote to: every choice, or only the first preference if ranked."""
    return ballot[:1] if poll.mode is Mode.RANKED else ballot


def encode(ballot: tuple[int, ...]) -> str:
    return ",".join(str(i) for i in ballot)


def decode(text: str) -> tuple[int, ...]:
    return tuple(int(i) for i in text.split(",")) if text else ()
