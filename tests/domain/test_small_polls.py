"""The smallest polls: one ballot, three-way ties of one vote each, ballots with nothing countable.
What members read from these is the winner line, the percentage and the bar."""

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.domain.polls import Mode, bar, count_votes, instant_runoff
from tests.domain.test_polls import make_poll, ranked

A, B, C = range(3)


@pytest.mark.parametrize("mode", [Mode.SINGLE, Mode.APPROVAL])
def test_one_ballot_has_a_winner_with_the_full_share_and_a_full_bar(mode):
    result = count_votes(make_poll(3, mode, 1), {B: 1}, 1)
    assert result.winners == (B,) and not result.is_tie
    assert [(t.votes, t.percent) for t in result.totals] == [(0, 0.0), (1, 100.0), (0, 0.0)]
    assert bar(result.totals[B].percent) == "█" * 12


def test_a_one_one_one_tie_is_shared_by_all_three_at_a_third_each():
    result = count_votes(make_poll(3), {A: 1, B: 1, C: 1}, 3)
    assert result.winners == (A, B, C) and result.is_tie
    assert [round(t.percent, 1) for t in result.totals] == [33.3, 33.3, 33.3]
    assert [bar(t.percent) for t in result.totals] == ["████░░░░░░░░"] * 3


def test_a_two_way_tie_is_a_tie_and_one_winner_is_not():
    assert count_votes(make_poll(3), {A: 1, C: 1}, 2).is_tie
    assert not count_votes(make_poll(3), {A: 2, C: 1}, 3).is_tie


def test_ballots_that_picked_nothing_countable_name_no_winner():
    result = count_votes(make_poll(3, Mode.APPROVAL, 3), {}, 2)
    assert result.winners == () and [t.percent for t in result.totals] == [0.0, 0.0, 0.0]


def test_a_ranked_poll_with_one_ballot_has_a_winner_in_round_one():
    result = instant_runoff(ranked(3), {(C, A): 1})
    assert result.winners == (C,) and result.ballots == 1
    assert [(r.number, r.votes, r.eliminated, r.exhausted) for r in result.rounds] == [(1, {A: 0, B: 0, C: 1}, (), 0)]
    assert [(t.votes, t.percent) for t in result.totals] == [(0, 0.0), (0, 0.0), (1, 100.0)]


def test_a_ranked_one_one_one_tie_is_shared_by_all_three():
    result = instant_runoff(ranked(3), {(A,): 1, (B,): 1, (C,): 1})
    assert result.winners == (A, B, C) and result.is_tie
    assert [(r.votes, r.eliminated, r.exhausted) for r in result.rounds] == [({A: 1, B: 1, C: 1}, (), 0)]


def test_a_ranked_poll_of_only_empty_rankings_has_one_round_and_no_winner():
    result = instant_runoff(ranked(3), {(): 2})
    assert result.ballots == 2 and result.winners == ()
    assert [(r.number, r.votes, r.eliminated, r.exhausted) for r in result.rounds] == [(1, {A: 0, B: 0, C: 0}, (), 2)]


def test_a_poll_is_closed_from_its_closing_moment_on():
    poll = make_poll(3)
    assert poll.is_open(poll.closes_at - timedelta(seconds=1))
    assert not poll.is_open(poll.closes_at)


def test_a_result_belongs_to_its_poll():
    poll = make_poll(3)
    assert count_votes(poll, {A: 1}, 1).poll is poll
    assert instant_runoff(ranked(3), {}).poll.mode is Mode.RANKED
    ranked_poll = ranked(3)
    assert instant_runoff(ranked_poll, {(A,): 1}).poll is ranked_poll


def test_a_poll_without_options_or_a_tally_without_ballots_names_no_winner():
    assert count_votes(replace(make_poll(3), options=()), {}, 1).winners == ()
    assert count_votes(make_poll(3), {A: 2}, 0).winners == ()


def test_a_ranked_tie_all_the_way_back_is_decided_in_its_round():
    result = instant_runoff(ranked(3), {(A,): 3, (B,): 3, (C, A): 1, (C, B): 1})
    assert [(r.number, r.eliminated) for r in result.rounds] == [(1, (C,)), (2, ())]
    assert result.winners == (A, B)


@pytest.mark.parametrize("width", [0, -3])
def test_a_bar_with_no_room_is_empty(width):
    assert bar(50, width) == ""


def test_count_votes_says_why_it_refuses_a_ranked_poll():
    with pytest.raises(ValueError) as refused:
        count_votes(ranked(3), {}, 0)
    assert str(refused.value) == "ranked polls are counted by instant_runoff"
