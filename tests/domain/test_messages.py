"""The exact words members read when something can't be done, and the words a maintainer reads."""

import pytest

from bot.domain.catalog import Catalog
from bot.domain.errors import (
    CatalogError,
    ForeignComponent,
    ListFileProblem,
    StaleComponent,
    UnknownEntry,
    UnknownList,
    UserFacingError,
)
from bot.domain.polls import Mode, parse_duration, validate_ballot
from bot.domain.spoilers import Spoiler, tag
from tests.polls import make_poll


def test_an_unknown_list_names_every_list_there_is():
    refused = UnknownList("nope", ["Top Ten", "Other"])
    assert refused.message == "I don't know a list called that. Lists I have: `Top Ten`, `Other`."
    assert refused.query == "nope"


def test_an_unknown_entry_offers_its_suggestions_in_bold():
    refused = UnknownEntry("mad", ["#10 · Madoka Magica", "#1 · Made in Abyss"])
    assert refused.message == (
        "I couldn't find that entry. Did you mean: **#10 · Madoka Magica**, **#1 · Made in Abyss**?"
    )
    assert (refused.query, refused.suggestions) == ("mad", ["#10 · Madoka Magica", "#1 · Made in Abyss"])


def test_an_unknown_entry_without_suggestions_says_how_to_ask():
    assert UnknownEntry("zzz", []).message == (
        "I couldn't find that entry. Try a rank like `3`, or part of a show's title."
    )


def test_a_stale_button_says_to_run_the_command_again():
    assert StaleComponent().message == (
        "That button or menu belongs to an entry or list I no longer have. Run the command again to get a fresh one."
    )


def test_a_private_step_used_elsewhere_says_nothing_changed():
    assert ForeignComponent().message == (
        "That button or menu only works on the private message it was made for, so I changed nothing. "
        "Run the command again to get a fresh one."
    )


def test_a_catalog_error_lists_each_problem_on_its_own_line():
    problems = [ListFileProblem("a.yaml", "list", "title", "is empty"), ListFileProblem("b.yaml", "file", None, "bad")]
    assert str(CatalogError(problems)) == "a.yaml: list, key 'title': is empty\nb.yaml: file: bad"
    assert CatalogError(problems).problems == problems


def test_an_unknown_list_from_the_catalog_names_the_lists(catalog):
    with pytest.raises(UnknownList) as refused:
        catalog.get("  no such list ")
    assert refused.value.query == "no such list"
    assert refused.value.message == 'I don\'t know a list called that. Lists I have: `Top 10 "Sad" Anime Moments`.'


def test_the_catalog_finds_lists_by_id_and_suggests_by_title_or_id(catalog):
    assert catalog.find("top10-sad-anime-moments") is catalog.default
    assert catalog.find("gone") is None
    assert catalog.suggest("sad anime") == [catalog.default]
    assert catalog.suggest("top10") == [catalog.default]
    assert catalog.suggest("happy") == []
    assert Catalog(tuple([catalog.default] * 30)).suggest("") == [catalog.default] * 25


@pytest.mark.parametrize(
    ("choices", "mode", "max_choices", "message"),
    [
        ([], Mode.SINGLE, 1, "Pick at least one option."),
        (
            [7],
            Mode.SINGLE,
            1,
            "One of those options was never offered in this poll. Open the poll again and pick from it.",
        ),
        ([1, 1], Mode.RANKED, 3, "Each option can appear only once in your ranking."),
        ([1, 1], Mode.APPROVAL, 3, "You picked the same option twice."),
        ([0, 1], Mode.APPROVAL, 1, "You can pick at most 1 option in this poll."),
        ([0, 1, 2], Mode.APPROVAL, 2, "You can pick at most 2 options in this poll."),
    ],
)
def test_a_ballot_refusal_in_members_words(choices, mode, max_choices, message):
    poll = make_poll(["A", "B", "C"], mode=mode, max_choices=max_choices)
    with pytest.raises(UserFacingError) as refused:
        validate_ballot(poll, choices)
    assert refused.value.message == message


def test_a_bare_number_asks_for_a_unit_in_members_words():
    with pytest.raises(UserFacingError) as refused:
        parse_duration("15")
    assert refused.value.message == "Add a unit to the number, like `30m` for minutes, `2h` for hours or `3d` for days."


def test_leading_zeros_do_not_count_towards_a_number_too_long_to_read():
    assert parse_duration("0000000001m").total_seconds() == 60


def test_programming_mistakes_are_named_plainly():
    with pytest.raises(TypeError) as wrong:
        Spoiler(3)
    assert str(wrong.value) == "Spoiler text must be a string"
    with pytest.raises(ValueError) as blank:
        tag("  ")
    assert str(blank.value) == "a spoiler needs visible text"
    assert hash(Spoiler("a")) != hash(Spoiler("b"))
