"""The catalogue as rules see it: strict where Namida relies on a field, and the list's rules."""

import json

import pytest

from bot.domain.anime import (
    Anime,
    AnimeType,
    CatalogueProblem,
    episode_problem,
    known_format,
    one_off_problem,
    parse_catalogue,
)
from bot.domain.nominations import Format
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "anime-offline-database.json"


def fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def show(kind: str, episodes: int, title: str = "Clannad") -> Anime:
    return Anime("https://myanimelist.net/anime/1", title, (), AnimeType(kind), episodes, 2007, None)


def test_the_fixture_parses_with_its_date_licence_and_entries():
    parsed = parse_catalogue(fixture())
    assert parsed.last_update == "2026-11-28" and parsed.licence.startswith("Open Data Commons Open Database License")
    assert len(parsed.anime) == 51
    after_story = next(a for a in parsed.anime if a.title == "Clannad: After Story")
    assert after_story.key == "https://myanimelist.net/anime/4181"  # the first source: a stable key
    assert after_story.label == "Clannad: After Story (TV, 2008, 24 eps)"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda e: e.pop("sources"), "data[0]: 'sources' must be a non-empty list of URLs"),
        (lambda e: e.update(title="  "), "data[0]: 'title' must be a non-empty text"),
        (lambda e: e.update(type="MUSIC"), "data[0]: 'type' must be one of TV, MOVIE, OVA, ONA, SPECIAL, UNKNOWN"),
        (lambda e: e.update(episodes=-1), "data[0]: 'episodes' must be a whole number ≥ 0"),
        (lambda e: e.update(episodes=True), "data[0]: 'episodes' must be a whole number ≥ 0"),
    ],
)
def test_a_broken_entry_is_named_by_its_position_and_key(change, words):
    document = fixture()
    change(document["data"][0])
    with pytest.raises(CatalogueProblem) as refused:
        parse_catalogue(document)
    assert str(refused.value).startswith(words)


def test_a_file_without_a_data_list_is_refused():
    with pytest.raises(CatalogueProblem, match="'data' list"):
        parse_catalogue({"lastUpdate": "2026-11-28"})


def test_unknown_optional_fields_are_ignored():
    document = fixture()
    document["data"][0]["studios"] = ["Shaft"]
    assert parse_catalogue(document).anime[0].title == "Mahou Shoujo Madoka★Magica"


def test_movies_and_one_episode_specials_ovas_and_onas_break_the_multi_episode_rule():
    assert one_off_problem(show("MOVIE", 1, "Koe no Katachi")) == (
        "**Koe no Katachi** is a movie, and the list counts multi-episode shows only."
    )
    for kind in ("SPECIAL", "OVA", "ONA"):
        assert one_off_problem(show(kind, 1)) == (
            f"**Clannad** is a one-off {kind} (one episode): the list counts multi-episode shows only."
        )
        assert one_off_problem(show(kind, 3)) is None  # a multi-episode OVA or ONA is fine
    assert one_off_problem(show("TV", 24)) is None and one_off_problem(show("UNKNOWN", 0)) is None


def test_an_episode_past_the_last_is_refused_naming_the_count():
    assert episode_problem(show("TV", 24), 25) == "**Clannad** has 24 episodes, so there is no episode 25."
    assert episode_problem(show("TV", 24), 24) is None
    assert episode_problem(show("TV", 0), 500) is None  # unknown count: nothing to check against


def test_titles_in_messages_are_inert():
    text = one_off_problem(show("MOVIE", 1, "**@everyone** ||x||"))
    assert text.startswith("**\\*\\*@\u200beveryone\\*\\* \\|\\|x\\|\\|** is a movie")


def entry(**changes) -> dict:
    base = fixture()["data"][0]
    base.update(changes)
    return {"lastUpdate": "2026-11-28", "license": {"name": "ODbL"}, "data": [base]}


def test_missing_date_and_licence_read_as_unknown():
    parsed = parse_catalogue({"data": entry()["data"], "lastUpdate": 20261128, "license": "ODbL"})
    assert (parsed.last_update, parsed.licence) == ("unknown", "unknown licence")
    assert parse_catalogue({"data": entry()["data"], "license": {"name": 3}}).licence == "unknown licence"


@pytest.mark.parametrize(
    "document",
    [[], {"data": {}}, {"data": []}, {"data": ["not an object"]}, {"data": [{**entry()["data"][0], "sources": [""]}]}],
)
def test_documents_without_usable_entries_are_refused(document):
    with pytest.raises(CatalogueProblem):
        parse_catalogue(document)


def test_titles_and_synonyms_are_trimmed_and_empty_synonyms_dropped():
    (anime,) = parse_catalogue(entry(title="  Madoka  ", synonyms=[" まどか ", "", "!!", 7, "Puella"])).anime
    assert anime.title == "Madoka" and anime.synonyms == ("まどか", "Puella")
    assert anime.names == ("Madoka", "まどか", "Puella")
    with pytest.raises(CatalogueProblem, match="'synonyms' must be a list"):
        parse_catalogue(entry(synonyms="Madoka"))
    assert parse_catalogue(entry(synonyms=None)).anime[0].synonyms == ()


def test_year_and_thumbnail_are_kept_only_when_well_formed():
    (good,) = parse_catalogue(entry()).anime
    assert good.year == 2011 and good.thumbnail == "https://cdn.myanimelist.net/images/anime/9756t.jpg"
    (odd,) = parse_catalogue(entry(animeSeason={"season": "FALL", "year": True}, thumbnail="http://x/t.jpg")).anime
    assert odd.year is None and odd.thumbnail is None
    (none,) = parse_catalogue(entry(animeSeason="2011", thumbnail=None)).anime
    assert none.year is None and none.thumbnail is None


def test_labels_say_type_year_and_episodes_in_words_members_read():
    assert show("OVA", 1).label == "Clannad (OVA, 2007, 1 ep)"
    unknown = Anime("k", "Untitled", (), AnimeType.UNKNOWN, 0, None, None)
    assert unknown.label == "Untitled (type unknown)"
    assert parse_catalogue(entry(episodes=0)).anime[0].episodes == 0


def test_a_long_catalogue_title_is_cut_in_sentences():
    title = "Gekijouban " + "Very Long Title " * 12
    movie, one_off = one_off_problem(show("MOVIE", 1, title)), one_off_problem(show("OVA", 1, title))
    episodes = episode_problem(show("TV", 12, title), 13)
    for text in (movie, one_off, episodes):
        shown = text.split("**")[1]
        assert len(shown) == 100 and shown.endswith("…")


@pytest.mark.parametrize(
    ("kind", "episodes", "known"),
    [
        ("TV", 24, Format.TV),
        ("TV", 0, Format.TV),  # not aired yet: a TV series all the same
        ("ONA", 20, Format.ONA),
        ("OVA", 3, Format.OVA_SERIES),
        ("SPECIAL", 6, Format.SPECIAL_SERIES),
        ("OVA", 0, None),  # its count unknown: it may be a one-off, so the member is asked
        ("UNKNOWN", 12, None),
    ],
)
def test_the_catalogue_says_what_kind_of_show_it_is_except_when_it_cannot_know(kind, episodes, known):
    assert known_format(show(kind, episodes)) is known
    assert known is None or known.eligible


def test_every_source_url_is_kept_with_the_first_as_key():
    (anime,) = parse_catalogue(entry()).anime
    assert anime.sources[0] == anime.key == anime.page and len(anime.sources) >= 2


def test_a_long_title_is_cut_in_labels_and_names_but_its_details_stay():
    title = "Gekijouban " + "Very Long Title " * 12
    long_show = show("TV", 12, title)
    assert long_show.label.endswith(" Very… (TV, 2007, 12 eps)") and len(long_show.label) <= 100
    assert long_show.short_title.endswith("…") and len(long_show.short_title) <= 100
    assert long_show.short_title.startswith("Gekijouban Very Long Title")
    assert show("TV", 12).short_title == show("TV", 12).title  # a title that fits stays whole
