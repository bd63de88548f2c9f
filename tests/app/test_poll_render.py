"""What a member reads about their own ballot fits in one Discord message, however long the labels."""

from __future__ import annotations

from bot.domain import limits
from bot.domain.polls import Mode
from cogs.polls.render import BALLOT_TEXT, ballot_text
from tests.polls import make_poll


def test_a_short_ballot_names_every_pick_in_order():
    poll = make_poll(["Clannad", "Kanon", "Air"], mode=Mode.RANKED)
    assert ballot_text(poll, (2, 0)) == "**3. Air** → **1. Clannad**"


def test_a_ballot_of_25_long_labels_is_cut_with_a_count_of_the_rest():
    poll = make_poll([f"{n:02d} " + "a very long and very sad show title " * 3 for n in range(25)], mode=Mode.APPROVAL)
    everything = tuple(range(25))
    text = ballot_text(poll, everything)
    assert limits.discord_len(text) <= BALLOT_TEXT
    assert text.startswith("**1. 00 a very long") and text.count("**") % 2 == 0
    shown = text.count("**") // 2
    assert text.endswith(f", and {25 - shown} more") and 0 < shown < 25
    assert limits.discord_len(f"Your vote: {text}.") <= limits.MESSAGE_CONTENT
