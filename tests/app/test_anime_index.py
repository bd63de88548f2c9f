"""Searching the catalogue the way members type: parts of titles, any script, small typos."""

import pytest

from bot.storage.anime_index import AnimeIndex, build_from_file, stamp
from tests.domain.test_anime import FIXTURE


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    path = tmp_path_factory.mktemp("index") / "catalogue.index.sqlite"
    build_from_file(FIXTURE, path)
    opened = AnimeIndex(path)
    yield opened
    opened.close()


def titles(found) -> list[str]:
    return [anime.title for anime in found]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("lie in apr", "Shigatsu wa Kimi no Uso"),  # part of a synonym
        ("四月は君の嘘", "Shigatsu wa Kimi no Uso"),  # Japanese script
        ("まどか", "Mahou Shoujo Madoka★Magica"),
        ("clanad aftr story", "Clannad: After Story"),  # two typos
        ("CLANNAD ~AFTER STORY~", "Clannad: After Story"),  # case and punctuation
        ("frieren", "Sousou no Frieren"),
    ],
)
def test_search_finds_what_members_type(index, typed, first):
    assert titles(index.search(typed))[0] == first


def test_search_returns_at_most_the_limit_each_show_once(index):
    found = index.search("ma", limit=5)
    assert len(found) == 5 and len({a.key for a in found}) == 5


def test_nothing_to_search_finds_nothing(index):
    assert index.search("!!!") == [] and index.search("zzzzqqqq") == []


def test_exact_matches_one_show_however_it_is_spelled(index):
    assert titles(index.exact("clannad after story")) == ["Clannad: After Story"]
    assert titles(index.exact("CLANNAD ~AFTER STORY~")) == ["Clannad: After Story"]
    assert index.exact("clannad after") == []
    assert index.by_key("https://myanimelist.net/anime/4181").title == "Clannad: After Story"


def test_the_index_remembers_what_it_was_built_from(index):
    assert index.stamp == stamp(FIXTURE)
    assert index.facts.count == 51 and index.facts.last_update == "2026-11-28"
