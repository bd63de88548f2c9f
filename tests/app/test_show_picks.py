"""The show menus Namida remembers while they are open: one member's, for 15 minutes, a bounded number."""

import time

import pytest

from cogs.nominations import show_choice
from cogs.nominations.show_choice import OpenPick, OpenPicks, PickExpired

ALICE, BOB = 11, 22


def pick(user_id: int = ALICE, *, seconds_left: float = 60.0) -> OpenPick:
    return OpenPick(user_id, "top10-sad-anime-moments", "hunter x hunter", ("a", "b"), time.monotonic() + seconds_left)


def test_a_menu_answers_the_member_it_was_shown_to_and_nobody_else():
    picks = OpenPicks()
    token = picks.add(pick())
    assert picks.get(token, ALICE).keys == ("a", "b")
    with pytest.raises(PickExpired):
        picks.get(token, BOB)
    with pytest.raises(PickExpired):
        picks.get("0" * 16, ALICE)  # never shown, or shown before a restart


def test_an_expired_menu_is_refused_and_forgotten():
    picks = OpenPicks()
    old = picks.add(pick(seconds_left=-1.0))
    with pytest.raises(PickExpired):
        picks.get(old, ALICE)
    picks.add(pick())
    assert len(picks) == 1  # the expired one was dropped when the next menu was shown


def test_a_flood_of_menus_keeps_only_the_newest(monkeypatch):
    monkeypatch.setattr(show_choice, "OPEN_PICKS_MAX", 3)
    picks = OpenPicks()
    tokens = [picks.add(pick()) for _ in range(5)]
    with pytest.raises(PickExpired):
        picks.get(tokens[0], ALICE)
    assert all(picks.get(token, ALICE) for token in tokens[2:]) and len(picks) == 3
