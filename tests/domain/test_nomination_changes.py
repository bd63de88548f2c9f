"""Who may edit, second and merge a nomination: the words a member or moderator is shown."""

from dataclasses import replace

import pytest

from bot.domain.errors import UserFacingError
from bot.domain.nomination_changes import (
    NominationNotOpen,
    check_can_edit,
    check_can_merge,
    check_can_second,
    merged_supporters,
)
from bot.domain.nominations import Status
from tests.domain.test_nominations import nomination


@pytest.mark.parametrize("status", [s for s in Status if s is not Status.PENDING])
def test_only_a_pending_nomination_can_be_edited(status):
    with pytest.raises(NominationNotOpen) as refused:
        check_can_edit(nomination(3, status=status))
    assert str(refused.value) == f"**Nomination #3** is {status.value}, so it can't be edited now."
    check_can_edit(nomination(3))


def test_the_author_cannot_second_their_own_nomination():
    own = nomination(1)
    with pytest.raises(UserFacingError, match=r"That's your own nomination: it already counts as yours."):
        check_can_second(own, own.author_id)
    check_can_second(own, own.author_id + 1)
    check_can_second(nomination(1, status=Status.APPROVED), 9)


@pytest.mark.parametrize("status", [Status.REJECTED, Status.MERGED, Status.WITHDRAWN])
def test_a_closed_nomination_cannot_be_seconded_or_merged(status):
    closed = nomination(2, status=status)
    with pytest.raises(NominationNotOpen, match="so it can't be seconded now"):
        check_can_second(closed, 9)
    with pytest.raises(NominationNotOpen, match=r"#2\*\* is .*so it can't be merged now"):
        check_can_merge(nomination(1), closed)
    with pytest.raises(NominationNotOpen, match=r"#2\*\* is .*so it can't be merged now"):
        check_can_merge(closed, nomination(1))


def test_a_nomination_merges_only_into_another_one_of_the_same_server():
    with pytest.raises(UserFacingError, match=r"Pick a different nomination of this server to merge into."):
        check_can_merge(nomination(1), nomination(1))
    with pytest.raises(UserFacingError, match=r"Pick a different nomination of this server to merge into."):
        check_can_merge(nomination(1), replace(nomination(2), guild_id=nomination(2).guild_id + 1))
    check_can_merge(nomination(1), nomination(2))


def test_merged_supporters_are_everyone_once_but_never_the_targets_author():
    source, target = nomination(1), nomination(2)
    supporters = merged_supporters(source, [target.author_id, 77, source.author_id, 77, 78], target)
    assert supporters == [source.author_id, 77, 78]
