"""Finding an entry in a small list of its own: exact keys, the clear-match rules, neighbours and
the suggestions a member is offered."""

import pytest

from bot.domain.catalog import Credit, Entry, Rules, TopList
from bot.domain.errors import UnknownEntry, UserFacingError
from bot.domain.spoilers import Spoiler


def entry(key, show, rank=None, alt_titles=()):
    hidden = Spoiler("hidden")
    return Entry(key, rank, show, tuple(alt_titles), hidden, None, (), hidden, hidden, ())


def top_list(*entries):
    ranked = tuple(e for e in entries if e.rank is not None)
    honorable = tuple(e for e in entries if e.rank is None)
    return TopList("tiny", "Tiny", Credit("a", "b", "c"), "warning", Rules("1", "2", "3", "4"), ranked, honorable)


ALPHA, GAMMA, DELTA = entry("k1", "Alpha Beta", 3), entry("k2", "Gamma Alphabeta", 2), entry("k3", "Delta", 1)
TINY = top_list(ALPHA, GAMMA, DELTA, entry("h1", "Omega"))


def test_an_entry_is_found_by_its_key_and_a_missing_key_finds_none():
    assert TINY.entry("k2") is GAMMA
    assert TINY.entry("nope") is None


def test_neighbours_at_both_ends_and_in_the_middle():
    entries = TINY.entries
    assert TINY.neighbours(entries[0]) == (None, entries[1])
    assert TINY.neighbours(entries[1]) == (entries[0], entries[2])
    assert TINY.neighbours(entries[2]) == (entries[1], entries[3])
    assert TINY.neighbours(entries[3]) == (entries[2], None)


@pytest.mark.parametrize("query", ["k3", "  k3 "])
def test_an_autocomplete_key_resolves_to_its_entry(query):
    assert TINY.resolve(query) is DELTA


def test_an_empty_query_asks_which_entry():
    with pytest.raises(UserFacingError) as refused:
        TINY.resolve("   ")
    assert refused.value.message == "Tell me which entry: a rank like `3`, or part of a show's title."


def test_a_title_prefix_ahead_of_a_weaker_match_resolves():
    assert TINY.resolve("alpha") is ALPHA  # a prefix of Alpha Beta, only a word prefix of Gamma Alphabeta


def test_a_word_prefix_ahead_of_a_substring_resolves():
    assert TINY.resolve("beta") is ALPHA  # the start of a word in Alpha Beta, inside a word in Gamma Alphabeta


def test_a_query_of_only_symbols_matches_nothing():
    with pytest.raises(UnknownEntry) as refused:
        TINY.resolve("?!")
    assert refused.value.suggestions == [] and refused.value.query == "?!"


def test_at_most_five_suggestions_are_offered():
    many = top_list(*[entry(f"k{i}", f"Sad Show {i}", i + 1) for i in range(8)])
    with pytest.raises(UnknownEntry) as refused:
        many.resolve("sad show")
    assert refused.value.suggestions == [f"#{i + 1} · Sad Show {i}" for i in range(5)]


def test_suggestions_for_an_empty_query_stop_at_twenty_five():
    many = top_list(*[entry(f"k{i}", f"Show {i}", i + 1) for i in range(30)])
    assert len(many.suggest("")) == 25


ROBOTICS, ROBOTICS_TWO = entry("r1", "Robotics;Notes", 4), entry("r2", "Robotics Notes Two", 5)
TYPOS = top_list(ALPHA, GAMMA, DELTA, ROBOTICS, ROBOTICS_TWO, entry("h1", "Omega"))


def test_a_title_typed_without_its_punctuation_is_an_exact_match():
    assert TYPOS.resolve("roboticsnotes") is ROBOTICS


def test_a_typo_longer_than_the_title_still_finds_it():
    assert TYPOS.resolve("omegaa").show == "Omega"


def test_a_five_letter_typo_is_only_suggested():
    with pytest.raises(UnknownEntry) as refused:
        TYPOS.resolve("omgea")
    assert refused.value.suggestions == ["Honorable mention · Omega"]


def test_a_typo_close_to_two_titles_is_only_suggested_best_first():
    with pytest.raises(UnknownEntry) as refused:
        TYPOS.resolve("alphx")
    assert refused.value.suggestions == ["#3 · Alpha Beta", "#2 · Gamma Alphabeta"]
