"""Adding an option to an open poll: what is accepted, what is refused, and how ranked counting
treats an option that earlier ballots never ranked."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from bot.domain.poll_changes import MODE_OPTION_LIMITS, OptionRefused, added_options, new_option
from bot.domain.polls import MAX_OPTIONS, Mode, instant_runoff, validate_ballot
from tests.polls import CREATED, make_poll

NOW = CREATED + timedelta(hours=1)


def test_the_new_option_comes_last_inert_and_dated():
    poll = make_poll(["Yes", "No"])
    option = new_option(poll, "  @everyone   *Maybe*  ", NOW)
    assert (option.index, option.added_at, option.ref) == (2, NOW, None)
    assert "*" not in option.label and "@everyone" not in option.label and option.label.endswith("Maybe")
    with_it = dataclasses.replace(poll, options=(*poll.options, option))
    assert added_options(with_it) == (option,) and added_options(poll) == ()
    assert validate_ballot(with_it, [2]) == (2,)


@pytest.mark.parametrize(
    ("label", "refusal"),
    [
        ("", "needs a label"),
        ("** __ ~~", "needs a label"),
        ("x" * 81, "under 80 characters"),
        ("YES", "already has that option"),
        ("N o", "already has that option"),
    ],
)
def test_bad_labels_are_refused(label, refusal):
    with pytest.raises(OptionRefused, match=refusal):
        new_option(make_poll(["Yes", "No"]), label, NOW)


def test_a_closed_or_full_poll_takes_no_option():
    poll = make_poll(["Yes", "No"])
    with pytest.raises(OptionRefused, match="is closed"):
        new_option(poll, "Maybe", poll.closes_at)
    with pytest.raises(OptionRefused, match="is closed"):
        new_option(dataclasses.replace(poll, closed_at=NOW), "Maybe", NOW)
    for mode in Mode:
        full = make_poll([f"Option {i}" for i in range(MODE_OPTION_LIMITS[mode])], mode=mode)
        with pytest.raises(OptionRefused, match=f"already has {MAX_OPTIONS} options"):
            new_option(full, "One more", NOW)
        almost = make_poll([f"Option {i}" for i in range(MODE_OPTION_LIMITS[mode] - 1)], mode=mode)
        assert new_option(almost, "The last", NOW).index == MAX_OPTIONS - 1


def test_earlier_ranked_ballots_simply_do_not_rank_the_new_option():
    poll = make_poll(["A", "B"], mode=Mode.RANKED)
    grown = dataclasses.replace(poll, options=(*poll.options, new_option(poll, "C", NOW)))
    result = instant_runoff(grown, {(0, 1): 2, (1, 0): 1, (2, 1): 2})
    assert [t.votes for t in result.totals] == [2, 1, 2]
    assert result.rounds[0].eliminated == (1,)
    assert result.winners == (0,)  # B's ballot moves to A, who then has a majority
