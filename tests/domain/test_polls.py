"""Poll rules without Discord or a database: durations, ballots, plurality and approval counts,
instant-runoff rounds and tie rules, and the text bars."""

import random
from datetime import timedelta

import pytest

from bot.domain.errors import UserFacingError
from bot.domain.polls import (
    DURATION_OUT_OF_RANGE,
    DURATION_UNREADABLE,
    MAX_DURATION,
    MIN_DURATION,
    BadBallot,
    BadDuration,
    Mode,
    Poll,
    bar,
    count_votes,
    format_duration,
    instant_runoff,
    parse_duration,
    validate_ballot,
)
from tests.polls import make_poll as any_poll

A, B, C, D, E = range(5)


def make_poll(options: int = 3, mode: Mode = Mode.SINGLE, max_choices: int = 1) -> Poll:
    return any_poll([f"Option {i + 1}" for i in range(options)], mode=mode, max_choices=max_choices)


def ranked(options: int = 3) -> Poll:
    return make_poll(options, Mode.RANKED, options)


def round_votes(result):
    return [r.votes for r in result.rounds]


# --- Durations -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("1h30m", timedelta(minutes=90)),
        ("1d 12h", timedelta(hours=36)),
        ("90 minutes", timedelta(minutes=90)),
        ("2 hours", timedelta(hours=2)),
        ("2 HOURS", timedelta(hours=2)),
        ("  45 Min ", timedelta(minutes=45)),
        ("1 hr 5 mins", timedelta(minutes=65)),
        ("2 hours and 30 minutes", timedelta(minutes=150)),
        ("1 day, 6 hours", timedelta(hours=30)),
        ("90s", timedelta(seconds=90)),
        ("60 seconds", timedelta(minutes=1)),
        ("1 sec 1 min", timedelta(seconds=61)),
        ("1w", timedelta(weeks=1)),
        ("4 weeks 4 days", timedelta(days=32)),
        ("007m", timedelta(minutes=7)),
    ],
)
def test_readable_durations(text, expected):
    assert parse_duration(text) == expected


def test_the_bounds_themselves_are_accepted():
    assert parse_duration("1m") == MIN_DURATION == timedelta(minutes=1)
    assert parse_duration("32d") == MAX_DURATION == timedelta(days=32)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("59s", DURATION_OUT_OF_RANGE),
        ("32d 1m", DURATION_OUT_OF_RANGE),
        ("32d 1s", DURATION_OUT_OF_RANGE),
        ("0m", DURATION_OUT_OF_RANGE),
        ("-5m", DURATION_OUT_OF_RANGE),
        ("99999d", DURATION_OUT_OF_RANGE),
        ("5 weeks", DURATION_OUT_OF_RANGE),
        ("9" * 400 + "d", DURATION_OUT_OF_RANGE),
        ("9" * 5000 + "s", DURATION_OUT_OF_RANGE),  # past Python's int() digit limit
        ("1h " + "9" * 400 + "d", DURATION_OUT_OF_RANGE),
        ("abc", DURATION_UNREADABLE),
        ("5x", DURATION_UNREADABLE),
        ("1h30", DURATION_UNREADABLE),
        ("1.5h", DURATION_UNREADABLE),
        ("m", DURATION_UNREADABLE),
        ("²m", DURATION_UNREADABLE),
        ("9" * 400 + "d and cake", DURATION_UNREADABLE),
    ],
)
def test_unusable_durations_are_refused_with_a_reason(text, message):
    with pytest.raises(BadDuration) as refused:
        parse_duration(text)
    assert refused.value.message == message


@pytest.mark.parametrize("text", ["5", "0", " 12 "])
def test_a_bare_number_asks_for_a_unit(text):
    with pytest.raises(BadDuration, match="Add a unit"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_duration_asks_for_one(text):
    with pytest.raises(BadDuration, match="how long"):
        parse_duration(text)


def test_duration_errors_are_shown_to_members():
    assert issubclass(BadDuration, UserFacingError)
    assert issubclass(BadBallot, UserFacingError)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=30), "30 min"),
        (timedelta(hours=2), "2 h"),
        (timedelta(days=3, hours=4), "3 d 4 h"),
        (timedelta(minutes=90), "1 h 30 min"),
        (timedelta(days=1, minutes=5), "1 d 5 min"),
        (timedelta(days=32), "32 d"),
        (timedelta(minutes=59, seconds=29), "59 min"),
        (timedelta(minutes=59, seconds=31), "1 h"),
        (timedelta(seconds=20), "1 min"),
        (timedelta(0), "1 min"),
    ],
)
def test_format_duration(delta, text):
    assert format_duration(delta) == text


# --- Ballots ---------------------------------------------------------------------------------------


def test_valid_ballots_per_mode():
    assert validate_ballot(make_poll(3), [2]) == (2,)
    assert validate_ballot(make_poll(4, Mode.APPROVAL, 3), [3, 0, 2]) == (0, 2, 3)
    assert validate_ballot(ranked(4), [3, 0, 2]) == (3, 0, 2)  # preference order is kept
    assert validate_ballot(ranked(4), [1, 3, 0, 2]) == (1, 3, 0, 2)


@pytest.mark.parametrize(
    "poll", [make_poll(3), make_poll(3, Mode.APPROVAL, 2), ranked(3)], ids=["single", "approval", "ranked"]
)
@pytest.mark.parametrize("choices", [[], [3], [-1], [0, 99]])
def test_empty_ballots_and_options_never_offered_are_refused(poll, choices):
    expected = "at least one" if not choices else "never offered"
    with pytest.raises(BadBallot, match=expected):
        validate_ballot(poll, choices)


@pytest.mark.parametrize(
    ("poll", "message"),
    [
        (make_poll(3), "same option twice"),
        (make_poll(3, Mode.APPROVAL, 3), "same option twice"),
        (ranked(3), "only once in your ranking"),
    ],
)
def test_duplicates_are_refused(poll, message):
    with pytest.raises(BadBallot, match=message):
        validate_ballot(poll, [1, 1])


def test_too_many_choices_are_refused():
    with pytest.raises(BadBallot) as single:
        validate_ballot(make_poll(3), [0, 1])
    assert single.value.message == "You can pick only one option in this poll."
    with pytest.raises(BadBallot) as approval:
        validate_ballot(make_poll(5, Mode.APPROVAL, 3), [0, 1, 2, 4])
    assert approval.value.message == "You can pick at most 3 options in this poll."
    with pytest.raises(BadBallot, match="only once"):
        validate_ballot(ranked(3), [0, 1, 2, 0])  # more entries than options means a repeat


def test_approval_at_the_limit_is_accepted():
    assert validate_ballot(make_poll(5, Mode.APPROVAL, 3), [4, 1, 2]) == (1, 2, 4)


# --- Single choice and approval --------------------------------------------------------------------


def test_single_choice_counts_and_percentages():
    result = count_votes(make_poll(3), {0: 3, 2: 1}, 4)
    assert [(t.index, t.label, t.votes, t.percent) for t in result.totals] == [
        (0, "Option 1", 3, 75.0),
        (1, "Option 2", 0, 0.0),
        (2, "Option 3", 1, 25.0),
    ]
    assert result.ballots == 4 and result.winners == (0,) and not result.is_tie and result.rounds == ()


def test_single_choice_tie_has_several_winners():
    result = count_votes(make_poll(4), {0: 2, 1: 1, 3: 2}, 5)
    assert result.winners == (0, 3) and result.is_tie


def test_no_ballots_means_no_winner_and_zero_percent():
    result = count_votes(make_poll(3, Mode.APPROVAL, 2), {}, 0)
    assert result.winners == () and result.ballots == 0
    assert [(t.votes, t.percent) for t in result.totals] == [(0, 0.0)] * 3


def test_approval_percentages_can_add_up_past_one_hundred():
    result = count_votes(make_poll(3, Mode.APPROVAL, 3), {0: 4, 1: 3, 2: 1}, 4)
    assert [t.percent for t in result.totals] == [100.0, 75.0, 25.0]
    assert sum(t.percent for t in result.totals) == 200.0
    assert result.winners == (0,)


def test_count_votes_refuses_a_ranked_poll():
    with pytest.raises(ValueError):
        count_votes(ranked(3), {0: 1}, 1)


# --- Instant runoff --------------------------------------------------------------------------------


def test_majority_in_the_first_round():
    result = instant_runoff(ranked(3), {(A, B): 6, (B, A): 3, (C,): 1})
    assert result.winners == (A,) and result.ballots == 10
    assert len(result.rounds) == 1
    only = result.rounds[0]
    assert (only.number, only.votes, only.eliminated, only.exhausted) == (1, {A: 6, B: 3, C: 1}, (), 0)


def test_exactly_half_is_not_a_majority():
    result = instant_runoff(ranked(3), {(A,): 5, (B,): 4, (C, B): 1})
    # 5 of 10 in round 1 and 5-5 in round 2 both fall short; B had fewer in round 1, so B goes out.
    assert round_votes(result) == [{A: 5, B: 4, C: 1}, {A: 5, B: 5}, {A: 5}]
    assert [r.eliminated for r in result.rounds] == [(C,), (B,), ()]
    assert result.winners == (A,)


def test_first_round_leader_can_lose():
    # Hand count, 25 ballots, majority needs 13:
    # R1 A8 B7 C6 D4 → D out, its 4 go to C. R2 A8 B7 C10 → B out, its 7 go to C. R3 A8 C17 → C.
    result = instant_runoff(ranked(4), {(A,): 8, (B, C): 7, (C, B): 6, (D, C): 4})
    assert round_votes(result) == [{A: 8, B: 7, C: 6, D: 4}, {A: 8, B: 7, C: 10}, {A: 8, C: 17}]
    assert [r.eliminated for r in result.rounds] == [(D,), (B,), ()]
    assert [r.number for r in result.rounds] == [1, 2, 3]
    assert [r.exhausted for r in result.rounds] == [0, 0, 0]
    assert result.winners == (C,)
    assert [(t.votes, t.percent) for t in result.totals] == [(8, 32.0), (7, 28.0), (6, 24.0), (4, 16.0)]


def test_exhausted_ballots_leave_the_majority_count():
    # R1 A6 B4 C3 of 13. C out: 2 ballots ranked only C are exhausted, 1 moves to B.
    # R2 A6 B5 with 2 exhausted: 6 of the 11 still counting is a majority (not of all 13).
    result = instant_runoff(ranked(3), {(A,): 6, (B,): 4, (C,): 2, (C, B): 1})
    assert round_votes(result) == [{A: 6, B: 4, C: 3}, {A: 6, B: 5}]
    assert [r.exhausted for r in result.rounds] == [0, 2]
    assert result.winners == (A,) and result.ballots == 13


def test_tie_for_fewest_is_broken_by_the_earlier_round():
    # R1 A10 B6 C5 D2 → D out (1 to C, 1 to A). R2 A11 B6 C6: B and C tie, C had fewer in R1 → C out.
    # R3 A11 B11 (1 exhausted): tie again, B had fewer in R2 → B out. R4 A alone.
    result = instant_runoff(ranked(4), {(A,): 10, (B,): 6, (C, B): 5, (D, C): 1, (D, A): 1})
    assert round_votes(result) == [{A: 10, B: 6, C: 5, D: 2}, {A: 11, B: 6, C: 6}, {A: 11, B: 11}, {A: 11}]
    assert [r.eliminated for r in result.rounds] == [(D,), (C,), (B,), ()]
    assert [r.exhausted for r in result.rounds] == [0, 0, 1, 12]
    assert result.winners == (A,)


def test_tie_break_uses_the_most_recent_round_where_they_differ():
    # R1 A10 B4 C5 D1 E3 → D out, to B. R2 A10 B5 C5 E3 → E out (1 to B, 1 to C, 1 exhausted).
    # R3 A10 B6 C6: tied in R2 as well, so R1 decides: B had 4 to C's 5 → B out.
    patterns = {(A,): 10, (B,): 4, (C,): 5, (D, B): 1, (E, B): 1, (E, C): 1, (E,): 1}
    result = instant_runoff(ranked(5), patterns)
    assert round_votes(result)[:3] == [{A: 10, B: 4, C: 5, D: 1, E: 3}, {A: 10, B: 5, C: 5, E: 3}, {A: 10, B: 6, C: 6}]
    assert result.rounds[2].eliminated == (B,)
    assert result.winners == (A,)


def test_the_most_recent_earlier_round_outranks_older_ones():
    # R1 B3 < C4, but R2 B5 > C4. R3 B5 C5 tie for fewest: R2 decides → C out (R1 would say B).
    patterns = {(A,): 9, (B,): 3, (C,): 4, (D, B): 2, (E, C): 1, (E,): 2}
    result = instant_runoff(ranked(5), patterns)
    assert round_votes(result)[:3] == [{A: 9, B: 3, C: 4, D: 2, E: 3}, {A: 9, B: 5, C: 4, E: 3}, {A: 9, B: 5, C: 5}]
    assert [r.eliminated for r in result.rounds] == [(D,), (E,), (C,), ()]
    assert result.winners == (A,)


def test_options_tied_all_the_way_back_go_out_together():
    # R1: E has no first preferences → out alone. R2: C and D tie at 2, as in R1 → both out at once,
    # B collects all 4 and wins in R3 (one at a time would have taken a round more).
    patterns = {(A,): 5, (B,): 4, (C, B): 2, (D, B): 2}
    result = instant_runoff(ranked(5), patterns)
    assert round_votes(result) == [{A: 5, B: 4, C: 2, D: 2, E: 0}, {A: 5, B: 4, C: 2, D: 2}, {A: 5, B: 8}]
    assert [r.eliminated for r in result.rounds] == [(E,), (C, D), ()]
    assert result.winners == (B,)


def test_options_without_first_preferences_go_out_in_round_one():
    result = instant_runoff(ranked(5), {(A,): 2, (B,): 2, (C, A): 1})
    assert result.rounds[0].votes == {A: 2, B: 2, C: 1, D: 0, E: 0}
    assert [r.eliminated for r in result.rounds] == [(D, E), (C,), ()]
    assert result.winners == (A,)


def test_final_tie_between_the_last_two():
    # R1 A3 B3 C2 → C out, one each way. R2 A4 B4, equal in R1 too → they share the win.
    result = instant_runoff(ranked(3), {(A,): 3, (B,): 3, (C, A): 1, (C, B): 1})
    assert round_votes(result) == [{A: 3, B: 3, C: 2}, {A: 4, B: 4}]
    assert [r.eliminated for r in result.rounds] == [(C,), ()]
    assert result.winners == (A, B) and result.is_tie


def test_everyone_tied_from_the_start_shares_the_win():
    result = instant_runoff(ranked(3), {(A, B): 2, (B, C): 2, (C, A): 2})
    assert result.winners == (A, B, C)
    assert len(result.rounds) == 1 and result.rounds[0].eliminated == ()


def test_no_ballots_means_no_winner_and_no_rounds():
    for patterns in ({}, {(A, B): 0}):
        result = instant_runoff(ranked(3), patterns)
        assert result.ballots == 0 and result.winners == () and result.rounds == ()
        assert [(t.votes, t.percent) for t in result.totals] == [(0, 0.0)] * 3


def test_twenty_five_options_eliminate_one_by_one():
    # Option i has i + 1 single-choice ballots: the smallest goes out each round until 25 beats 24.
    poll = ranked(25)
    result = instant_runoff(poll, {(i,): i + 1 for i in range(25)})
    assert result.ballots == 325
    assert [r.eliminated for r in result.rounds] == [(i,) for i in range(23)] + [()]
    assert result.rounds[-1].votes == {23: 24, 24: 25}
    assert result.rounds[-1].exhausted == sum(range(1, 24))
    assert result.winners == (24,)
    assert [t.votes for t in result.totals] == list(range(1, 26))


def test_a_million_ballots_over_thousands_of_patterns_add_up():
    rng = random.Random(20240501)
    options = list(range(25))
    patterns: dict[tuple[int, ...], int] = {}
    while len(patterns) < 5000:
        patterns[tuple(rng.sample(options, rng.randint(1, 25)))] = 0
    keys = list(patterns)
    for first, second in zip(keys[::2], keys[1::2], strict=True):  # 200 each, moved in pairs: sums to 1M
        shift = rng.randint(-199, 199)
        patterns[first], patterns[second] = 200 + shift, 200 - shift
    result = instant_runoff(ranked(25), patterns)
    assert result.ballots == 1_000_000
    for round_ in result.rounds:
        assert sum(round_.votes.values()) + round_.exhausted == 1_000_000
    assert sum(t.votes for t in result.totals) == 1_000_000  # nobody casts an empty ranking here
    last = result.rounds[-1]
    assert result.winners and set(result.winners) <= set(last.votes)
    if len(result.winners) == 1:
        assert 2 * last.votes[result.winners[0]] > sum(last.votes.values())


# --- Bars ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "width", "expected"),
    [
        (0, 12, "░" * 12),
        (100, 12, "█" * 12),
        (50, 12, "██████░░░░░░"),
        (4.0, 12, "░" * 12),  # 0.48 of a cell
        (4.5, 12, "█" + "░" * 11),  # 0.54 of a cell
        (95.0, 12, "█" * 11 + "░"),  # 11.4 cells
        (96.0, 12, "█" * 12),  # 11.52 cells
        (250.0, 12, "█" * 12),  # approval totals can pass 100
        (-3.0, 12, "░" * 12),
        (float("nan"), 12, "░" * 12),
        (33.3, 3, "█░░"),
        (60, 5, "███░░"),
    ],
)
def test_bar(percent, width, expected):
    assert bar(percent, width) == expected
    assert len(bar(percent, width)) == width
