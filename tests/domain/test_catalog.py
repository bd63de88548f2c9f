"""Finding entries the way members type them, and the spoiler-free handles."""

import pytest

from bot.domain.errors import UnknownEntry, UnknownList, UserFacingError

COUNTDOWN = [
    "#10 · Madoka Magica",
    "#9 · Magi",
    "#8 · Black★Rock Shooter",
    "#7 · RahXephon",
    "#6 · Kaguya-sama: Love is War",
    "#5 · Haibane Renmei",
    "#4 · Darling in the Franxx",
    "#3 · Assassination Classroom",
    "#2 · Robotics;Notes",
    "#1 · Made in Abyss",
]
HONORABLE = [
    "Honorable mention · Yuki Yuna is a Hero",
    "Honorable mention · AnoHana",
    "Honorable mention · The Promised Neverland",
    "Honorable mention · Steins;Gate",
    "Honorable mention · Dusk Maiden of Amnesia",
    "Honorable mention · Rascal Does Not Dream of Bunny Girl Senpai",
]


def handles(entries):
    return [e.handle for e in entries]


def test_all_sixteen_entries_in_reading_order(top_list):
    assert handles(top_list.entries) == COUNTDOWN + HONORABLE


def test_handles_never_contain_the_moment(top_list):
    for entry in top_list.entries:
        assert entry.moment.reveal() not in entry.handle


def test_typing_mad_offers_madoka_and_made_in_abyss_first(top_list):
    assert handles(top_list.suggest("mad"))[:2] == ["#10 · Madoka Magica", "#1 · Made in Abyss"]


@pytest.mark.parametrize("query", ["3", "#3", " 3 ", "rank 3"])
def test_typing_a_rank_offers_that_rank(top_list, query):
    assert handles(top_list.suggest(query)) == ["#3 · Assassination Classroom"]


@pytest.mark.parametrize(
    ("query", "handle"),
    [
        ("Puella Magi Madoka Magica", "#10 · Madoka Magica"),
        ("ano hi mita hana", "Honorable mention · AnoHana"),
        ("steins gate", "Honorable mention · Steins;Gate"),
        ("STEINS;GATE", "Honorable mention · Steins;Gate"),
        ("roboticsnotes", "#2 · Robotics;Notes"),
        ("black rock", "#8 · Black★Rock Shooter"),
        ("madoak magica", "#10 · Madoka Magica"),
        ("made-in-abyss", "#1 · Made in Abyss"),
        ("1", "#1 · Made in Abyss"),
    ],
)
def test_resolve_by_alternate_title_rank_key_or_typo(top_list, query, handle):
    assert top_list.resolve(query).handle == handle


def test_ambiguous_query_is_refused_with_suggestions(top_list):
    with pytest.raises(UnknownEntry) as refused:
        top_list.resolve("ma")
    assert "#10 · Madoka Magica" in refused.value.message


def test_unknown_entry_suggests_how_to_ask(top_list):
    with pytest.raises(UnknownEntry) as refused:
        top_list.resolve("zzzzzz")
    assert "rank like `3`" in refused.value.message


def test_empty_query_is_a_friendly_error(top_list):
    with pytest.raises(UserFacingError):
        top_list.resolve("   ")


def test_neighbours_walk_the_countdown_then_the_mentions(top_list):
    first, last = top_list.entries[0], top_list.entries[-1]
    assert top_list.neighbours(first)[0] is None
    assert top_list.neighbours(last)[1] is None
    number_one = top_list.resolve("1")
    assert top_list.neighbours(number_one)[1].handle == HONORABLE[0]


def test_honorable_only_search_ignores_the_countdown(top_list):
    assert handles(top_list.suggest("", honorable_only=True)) == HONORABLE
    with pytest.raises(UnknownEntry):
        top_list.resolve("madoka", honorable_only=True)


def test_show_entry_matches_any_title_ignoring_case_and_punctuation(top_list):
    assert top_list.show_entry("ANOHANA: the flower we saw that day").handle == HONORABLE[1]
    assert top_list.show_entry("Clannad") is None


def test_catalog_defaults_to_first_list_and_refuses_unknown(catalog):
    assert catalog.get(None) is catalog.default
    assert catalog.get("top10-sad-anime-moments") is catalog.default
    with pytest.raises(UnknownList) as refused:
        catalog.get("best-mecha")
    assert 'Top 10 "Sad" Anime Moments' in refused.value.message
