"""Who may change a nomination, and how: the checks the store runs inside its write transaction."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.errors import UserFacingError
from bot.domain.nominations import Nomination, Status

LIVE = (Status.PENDING, Status.APPROVED)


class NominationNotOpen(UserFacingError):
    def __init__(self, nomination: Nomination, doing: str) -> None:
        # Only the number: the store can't know whether this server hides show titles.
        super().__init__(
            f"**Nomination #{nomination.number}** is {nomination.status.value}, so it can't be {doing} now."
        )


def check_can_edit(nomination: Nomination) -> None:
    if nomination.status is not Status.PENDING:
        raise NominationNotOpen(nomination, "edited")


def check_can_second(nomination: Nomination, user_id: int) -> None:
    if nomination.status not in LIVE:
        raise NominationNotOpen(nomination, "seconded")
    if nomination.author_id == user_id:
        raise UserFacingError("That's your own nomination: it already counts as yours.")


def check_can_merge(source: Nomination, target: Nomination) -> None:
    if source.id == target.id or source.guild_id != target.guild_id:
        raise UserFacingError("Pick a different nomination of this server to merge into.")
    for nomination in (source, target):
        if nomination.status not in LIVE:
            raise NominationNotOpen(nomination, "merged")


def merged_supporters(source: Nomination, seconders: Iterable[int], target: Nomination) -> list[int]:
    """The source's author and seconders, who become the target's seconders: nobody twice, and
    never the target's own author."""
    supporters: list[int] = []
    for user_id in (source.author_id, *seconders):
        if user_id != target.author_id and user_id not in supporters:
            supporters.append(user_id)
    return supporters
