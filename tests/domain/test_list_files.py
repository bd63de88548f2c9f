"""The strict loader: each problem names the file, the entry and the key."""

import pytest
import yaml

from bot.domain.errors import CatalogError
from bot.domain.list_files import load_catalog

LIST_FILE = "top10-sad-anime-moments.yaml"


def edit(folder, change):
    path = folder / LIST_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems(folder) -> list[str]:
    with pytest.raises(CatalogError) as failed:
        load_catalog(folder)
    return [str(p) for p in failed.value.problems]


def test_shipped_list_loads_with_all_sixteen_entries(top_list):
    assert len(top_list.ranked) == 10 and len(top_list.honorable) == 6
    assert [e.rank for e in top_list.ranked] == list(range(10, 0, -1))


def test_unknown_key_is_named_with_its_entry(lists_copy):
    edit(lists_copy, lambda d: d["ranked"][0].update(director="Akiyuki Shinbo"))
    assert problems(lists_copy) == [
        f"{LIST_FILE}: ranked[0] (Madoka Magica), key 'director': is not a known key "
        "(known: key, show, alt_titles, moment, episode, characters, summary, why_it_hits, themes, catalogue)"
    ]


def test_missing_and_mistyped_fields_are_each_reported(lists_copy):
    def change(d):
        del d["ranked"][1]["summary"]
        d["ranked"][2]["themes"] = "death"
        d["honorable_mentions"][0]["show"] = 42

    edit(lists_copy, change)
    found = problems(lists_copy)
    assert any("ranked[1] (Magi), key 'summary': is missing" in p for p in found)
    assert any("ranked[2] (Black★Rock Shooter), key 'themes': must be a list" in p for p in found)
    assert any("honorable_mentions[0], key 'show': must be text, not int" in p for p in found)


def test_duplicate_rank_and_duplicate_show_are_errors(lists_copy):
    def change(d):
        d["ranked"][1]["rank"] = 10
        d["honorable_mentions"][0]["alt_titles"] = ["madoka magica"]

    edit(lists_copy, change)
    found = "\n".join(problems(lists_copy))
    assert "rank 10 is used more than once" in found
    assert "'madoka magica' is already on the list as #10 · Madoka Magica" in found


def test_text_too_long_for_discord_is_an_error(lists_copy):
    edit(lists_copy, lambda d: d["ranked"][0].update(summary="sad " * 300))
    assert problems(lists_copy) == [
        f"{LIST_FILE}: ranked[0] (Madoka Magica), key 'summary': is 1199 characters; the limit is 1000"
    ]


def test_honorable_mention_with_a_rank_is_an_error(lists_copy):
    edit(lists_copy, lambda d: d["honorable_mentions"][0].update(rank=11))
    assert "honorable mentions have no rank" in "\n".join(problems(lists_copy))


def test_broken_yaml_and_empty_folder(lists_copy, tmp_path):
    (lists_copy / "broken.yaml").write_text("title: [unclosed", encoding="utf-8")
    assert any(p.startswith("broken.yaml: file: is not readable YAML") for p in problems(lists_copy))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "contains no .yaml list files" in problems(empty)[0]


def test_a_second_list_is_loaded_after_the_first(lists_copy):
    text = (lists_copy / LIST_FILE).read_text(encoding="utf-8")
    (lists_copy / "zz-second.yaml").write_text(
        text.replace("title: 'Top 10", "title: 'Second Top 10"), encoding="utf-8"
    )
    catalog = load_catalog(lists_copy)
    assert [t.id for t in catalog.lists] == ["top10-sad-anime-moments", "zz-second"]
    assert catalog.default.id == "top10-sad-anime-moments"
    assert catalog.get('Second Top 10 "Sad" Anime Moments').id == "zz-second"
