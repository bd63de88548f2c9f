"""The benchmark's generated catalogue: a valid anime-offline-database file, the same for a seed."""

from collections import Counter

from bench.catalogue import generated_catalogue, queries
from bot.domain.anime import AnimeType, parse_catalogue


def test_the_generated_catalogue_parses_has_every_type_and_is_the_same_for_a_seed():
    document = generated_catalogue(2_000, seed=7)
    parsed = parse_catalogue(document)
    assert len(parsed.anime) == 2_000 and len({a.key for a in parsed.anime}) == 2_000
    assert {a.type for a in parsed.anime} == set(AnimeType)
    assert any(count > 1 for count in Counter(a.title for a in parsed.anime).values())  # shared titles
    assert all(any("\u3040" <= ch <= "\u30ff" for ch in a.synonyms[1]) for a in parsed.anime)  # kana
    assert generated_catalogue(2_000, seed=7) == document != generated_catalogue(2_000, seed=8)
    assert queries(document, 100, seed=7) == queries(document, 100, seed=7)
