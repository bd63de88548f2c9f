"""Every problem `check` reports in a list file, in the exact words a list maintainer reads: the
file, the entry and the key, then what is wrong. A small list of its own keeps each case readable."""

import copy

import pytest
import yaml

from bot.domain.errors import CatalogError, ListFileProblem
from bot.domain.list_files import _first_line, load_catalog
from bot.domain.spoilers import Spoiler

FILE = "tiny-list.yaml"


def entry(key, show, rank=None, **extra):
    fields = {"key": key, "show": show, "alt_titles": [f"{show} Alt"], "moment": f"{show} moment"}
    fields.update(episode="Episode 1", characters=["Hero"], summary="What happens.", why_it_hits="Why.")
    fields["themes"] = ["loss"]
    if rank is not None:
        fields = {"rank": rank, **fields}
    return {**fields, **extra}


TINY = {
    "title": "Tiny Sad List",
    "credit": {"author": "An Author", "publication": "A Blog", "source": "A Post"},
    "spoiler_warning": "Spoilers ahead.",
    "rules": {"contained_scene": "One scene.", "pathos": "Tears.", "series_only": "Series.", "one_per_show": "One."},
    "ranked": [entry("second", "Second Show", 2), entry("first", "First Show", 1)],
    "honorable_mentions": [entry("extra", "Extra Show")],
}


def write(folder, data, name=FILE):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems_after(tmp_path, change) -> list[str]:
    data = copy.deepcopy(TINY)
    change(data)
    write(tmp_path / "lists", data)
    with pytest.raises(CatalogError) as failed:
        load_catalog(tmp_path / "lists")
    assert str(failed.value) == "\n".join(str(p) for p in failed.value.problems)
    return [str(p) for p in failed.value.problems]


def test_the_tiny_list_loads_with_every_value_in_place(tmp_path):
    write(tmp_path / "lists", TINY)
    (top,) = load_catalog(tmp_path / "lists").lists
    assert (top.id, top.title, top.spoiler_warning) == ("tiny-list", "Tiny Sad List", "Spoilers ahead.")
    assert (top.credit.author, top.credit.publication, top.credit.source) == ("An Author", "A Blog", "A Post")
    assert top.rules.as_list() == ["One scene.", "Tears.", "Series.", "One."]
    assert [e.handle for e in top.entries] == ["#2 · Second Show", "#1 · First Show", "Honorable mention · Extra Show"]
    first = top.entry("first")
    assert (first.key, first.rank, first.show, first.alt_titles) == ("first", 1, "First Show", ("First Show Alt",))
    assert (first.moment, first.episode) == (Spoiler("First Show moment"), "Episode 1")
    assert (first.summary, first.why_it_hits) == (Spoiler("What happens."), Spoiler("Why."))
    assert (first.characters, first.themes) == ((Spoiler("Hero"),), (Spoiler("loss"),))
    assert top.entry("extra").rank is None


def test_ranked_entries_are_put_in_countdown_order_whatever_the_file_order(tmp_path):
    data = copy.deepcopy(TINY)
    data["ranked"] = [entry("first", "First Show", 1), entry("third", "Third Show", 3), entry("second", "Second", 2)]
    write(tmp_path / "lists", data)
    (top,) = load_catalog(tmp_path / "lists").lists
    assert [e.rank for e in top.ranked] == [3, 2, 1]


def test_text_is_trimmed_and_optional_fields_may_be_left_out_or_empty(tmp_path):
    data = copy.deepcopy(TINY)
    data["title"] = "  Tiny Sad List \n"
    del data["ranked"][0]["episode"]
    del data["ranked"][0]["alt_titles"]
    data["ranked"][1]["episode"] = None
    data["ranked"][1]["alt_titles"] = None
    write(tmp_path / "lists", data)
    (top,) = load_catalog(tmp_path / "lists").lists
    assert top.title == "Tiny Sad List"
    assert [(e.episode, e.alt_titles) for e in top.ranked] == [(None, ()), (None, ())]


def test_lists_load_in_file_name_order_and_other_files_are_ignored(tmp_path):
    write(tmp_path / "lists", {**TINY, "title": "Zed"}, "b-list.yaml")
    write(tmp_path / "lists", {**TINY, "title": "Aye"}, "a-list.yaml")
    (tmp_path / "lists" / "notes.txt").write_text("not a list", encoding="utf-8")
    assert [(t.id, t.title) for t in load_catalog(tmp_path / "lists").lists] == [("a-list", "Aye"), ("b-list", "Zed")]


def test_every_file_is_checked_and_every_problem_reported(tmp_path):
    write(tmp_path / "lists", TINY, "good.yaml")
    write(tmp_path / "lists", {**TINY, "title": ""}, "bad-one.yaml")
    write(tmp_path / "lists", {**TINY, "spoiler_warning": 7}, "bad-two.yaml")
    with pytest.raises(CatalogError) as failed:
        load_catalog(tmp_path / "lists")
    assert [str(p) for p in failed.value.problems] == [
        "bad-one.yaml: list, key 'title': is empty",
        "bad-two.yaml: list, key 'spoiler_warning': must be text, not int",
    ]


@pytest.mark.parametrize("folder", ["missing", "empty"])
def test_a_folder_without_list_files_is_named(tmp_path, folder):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.md").write_text("no lists", encoding="utf-8")
    with pytest.raises(CatalogError) as failed:
        load_catalog(tmp_path / folder)
    (problem,) = failed.value.problems
    assert str(problem) == f"{tmp_path / folder}: folder: contains no .yaml list files"
    assert (problem.file, problem.where, problem.key) == (str(tmp_path / folder), "folder", None)


def test_a_problem_keeps_its_file_entry_and_key_apart(tmp_path):
    with pytest.raises(CatalogError) as failed:
        load_catalog(_written(tmp_path, lambda d: d["ranked"][0].update(why_it_hits=" ")))
    (problem,) = failed.value.problems
    assert isinstance(problem, ListFileProblem)
    assert (problem.file, problem.where, problem.key, problem.problem) == (
        FILE,
        "ranked[0] (Second Show)",
        "why_it_hits",
        "is empty",
    )


def _written(tmp_path, change):
    data = copy.deepcopy(TINY)
    change(data)
    write(tmp_path / "lists", data)
    return tmp_path / "lists"


def _set(path, value):
    def change(data):
        *parents, last = path
        target = data
        for step in parents:
            target = target[step]
        target[last] = value

    return change


def _delete(*path):
    def change(data):
        *parents, last = path
        target = data
        for step in parents:
            target = target[step]
        del target[last]

    return change


CASES = {
    "unknown list key": (
        _set(["subtitle"], "x"),
        [
            f"{FILE}: list, key 'subtitle': is not a known key "
            "(known: title, credit, spoiler_warning, rules, ranked, honorable_mentions)"
        ],
    ),
    "missing title": (_delete("title"), [f"{FILE}: list, key 'title': is missing"]),
    "null title": (_set(["title"], None), [f"{FILE}: list, key 'title': is missing"]),
    "title too long": (_set(["title"], "t" * 101), [f"{FILE}: list, key 'title': is 101 characters; the limit is 100"]),
    "title at the limit": (_set(["title"], "t" * 100), None),
    "title counted in UTF-16": (
        _set(["title"], "😢" * 51),
        [f"{FILE}: list, key 'title': is 102 characters; the limit is 100"],
    ),
    "credit not a mapping": (
        _set(["credit"], "me"),
        [f"{FILE}: list, key 'credit': must be a mapping of author, publication, source"],
    ),
    "credit not a mapping and a later key missing": (
        lambda d: d.update(credit=None) or d.pop("spoiler_warning"),
        [
            f"{FILE}: list, key 'credit': must be a mapping of author, publication, source",
            f"{FILE}: list, key 'spoiler_warning': is missing",
        ],
    ),
    "rules missing": (
        _delete("rules"),
        [f"{FILE}: list, key 'rules': must be a mapping of contained_scene, pathos, series_only, one_per_show"],
    ),
    "nested unknown and missing": (
        lambda d: d["credit"].update(editor="x") or d["credit"].pop("source"),
        [
            f"{FILE}: list > credit, key 'editor': is not a known key (known: author, publication, source)",
            f"{FILE}: list > credit, key 'source': is missing",
        ],
    ),
    "nested not text": (
        _set(["rules", "pathos"], ["a"]),
        [f"{FILE}: list > rules, key 'pathos': must be text, not list"],
    ),
    "ranked missing": (
        _delete("ranked"),
        [f"{FILE}: list, key 'ranked': is missing"],
    ),
    "honorable mentions missing": (
        _delete("honorable_mentions"),
        [f"{FILE}: list, key 'honorable_mentions': is missing"],
    ),
    "ranked empty": (_set(["ranked"], []), [f"{FILE}: ranked: must be a list of entries (at least one)"]),
    "ranked not a list": (_set(["ranked"], {"a": 1}), [f"{FILE}: ranked: must be a list of entries (at least one)"]),
    "honorable mentions not a list": (
        _set(["honorable_mentions"], "none"),
        [f"{FILE}: honorable_mentions: must be a list of entries"],
    ),
    "no honorable mentions": (_set(["honorable_mentions"], []), None),
    "entry not a mapping": (_set(["ranked", 0], "Second Show"), [f"{FILE}: ranked[0]: must be a mapping"]),
    "entry without a show": (
        _delete("honorable_mentions", 0, "show"),
        [f"{FILE}: honorable_mentions[0], key 'show': is missing"],
    ),
    "entry key unknown": (
        lambda d: d["honorable_mentions"][0].update(studio="x"),
        [
            f"{FILE}: honorable_mentions[0] (Extra Show), key 'studio': is not a known key "
            "(known: key, show, alt_titles, moment, episode, characters, summary, why_it_hits, themes, catalogue)"
        ],
    ),
    "episode too long": (
        _set(["ranked", 0, "episode"], "e" * 61),
        [f"{FILE}: ranked[0] (Second Show), key 'episode': is 61 characters; the limit is 60"],
    ),
    "names not a list": (
        _set(["ranked", 0, "characters"], "Hero"),
        [f"{FILE}: ranked[0] (Second Show), key 'characters': must be a list of strings"],
    ),
    "characters and themes may be left out (a community entry names none)": (
        lambda d: (d["ranked"][0].pop("themes"), d["ranked"][0].update(characters=[])),
        None,
    ),
    "names too many": (
        _set(["ranked", 0, "themes"], [f"t{i}" for i in range(7)]),
        [f"{FILE}: ranked[0] (Second Show), key 'themes': must have 0 to 6 items (has 7)"],
    ),
    "names at their limits": (
        lambda d: d["ranked"][0].update(themes=[f"t{i}" for i in range(6)], alt_titles=[]),
        None,
    ),
    "one name wrong": (
        _set(["ranked", 0, "alt_titles"], ["Fine", 3, "y" * 101]),
        [
            f"{FILE}: ranked[0] (Second Show), key 'alt_titles[1]': must be text, not int",
            f"{FILE}: ranked[0] (Second Show), key 'alt_titles[2]': is 101 characters; the limit is 100",
        ],
    ),
    "rank on an honorable mention": (
        _set(["honorable_mentions", 0, "rank"], 3),
        [f"{FILE}: honorable_mentions[0] (Extra Show), key 'rank': honorable mentions have no rank"],
    ),
    "rank missing": (
        _delete("ranked", 0, "rank"),
        [f"{FILE}: ranked[0] (Second Show), key 'rank': must be a whole number from 1"],
    ),
    "rank zero": (
        _set(["ranked", 0, "rank"], 0),
        [f"{FILE}: ranked[0] (Second Show), key 'rank': must be a whole number from 1"],
    ),
    "rank true": (
        _set(["ranked", 0, "rank"], True),
        [f"{FILE}: ranked[0] (Second Show), key 'rank': must be a whole number from 1"],
    ),
    "rank text": (
        _set(["ranked", 0, "rank"], "1"),
        [f"{FILE}: ranked[0] (Second Show), key 'rank': must be a whole number from 1"],
    ),
    "rank past 999": (
        _set(["ranked", 0, "rank"], 1000),
        [f"{FILE}: ranked[0] (Second Show), key 'rank': must be a whole number from 1"],
    ),
    "rank with a gap": (
        _set(["ranked", 0, "rank"], 3),
        [f"{FILE}: ranked, key 'rank': ranks must run from 1 to 2 without gaps"],
    ),
    "rank used twice": (
        _set(["ranked", 0, "rank"], 1),
        [
            f"{FILE}: ranked (#1), key 'rank': rank 1 is used more than once",
            f"{FILE}: ranked, key 'rank': ranks must run from 1 to 2 without gaps",
        ],
    ),
    "entry key with capitals": (
        _set(["ranked", 0, "key"], "Second"),
        [f"{FILE}: ranked[0] (Second Show), key 'key': must be lowercase letters, digits and dashes, at most 32"],
    ),
    "entry key not text": (
        _set(["ranked", 0, "key"], 5),
        [f"{FILE}: ranked[0] (Second Show), key 'key': must be text, not int"],
    ),
    "rank 999 is a rank": (
        _set(["ranked", 0, "rank"], 999),
        [f"{FILE}: ranked, key 'rank': ranks must run from 1 to 2 without gaps"],
    ),
    "entry key used twice": (
        _set(["honorable_mentions", 0, "key"], "first"),
        [f"{FILE}: Honorable mention · Extra Show, key 'key': 'first' is also used by #1 · First Show"],
    ),
    "title used by another entry": (
        _set(["honorable_mentions", 0, "alt_titles"], ["first  SHOW!"]),
        [
            f"{FILE}: Honorable mention · Extra Show, key 'show': "
            "'first  SHOW!' is already on the list as #1 · First Show"
        ],
    ),
    "one entry repeating its own title": (_set(["ranked", 1, "alt_titles"], ["First Show"]), None),
}


@pytest.mark.parametrize(("change", "expected"), CASES.values(), ids=CASES.keys())
def test_each_problem_names_the_file_the_entry_and_the_key(tmp_path, change, expected):
    if expected is None:
        (top,) = load_catalog(_written(tmp_path, change)).lists
        assert top.id == "tiny-list"
    else:
        assert problems_after(tmp_path, change) == expected


def test_more_entries_than_a_server_list_holds(tmp_path):
    def change(data):
        data["ranked"] = [entry(f"k{rank}", f"Show {rank}", rank) for rank in range(1, 102)]
        data["honorable_mentions"] = [entry(f"h{n}", f"Mention {n}") for n in range(101)]

    assert problems_after(tmp_path, change) == [
        f"{FILE}: ranked: has 101 entries; the limit is 100",
        f"{FILE}: honorable_mentions: has 101 entries; the limit is 100",
    ]


def test_a_hundred_entries_each_still_fit(tmp_path):
    def change(data):
        data["ranked"] = [entry(f"k{rank}", f"Show {rank}", rank) for rank in range(1, 101)]
        data["honorable_mentions"] = [entry(f"h{n}", f"Mention {n}") for n in range(100)]

    (top,) = load_catalog(_written(tmp_path, change)).lists
    assert (len(top.ranked), len(top.honorable)) == (100, 100)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: [unclosed", "is not readable YAML (while parsing a flow sequence)"),
        ("- just\n- a list\n", "must be a mapping with title, credit, rules, ranked, …"),
        ("", "must be a mapping with title, credit, rules, ranked, …"),
    ],
)
def test_a_file_that_is_not_a_list_mapping_says_so(tmp_path, text, expected):
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / FILE).write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as failed:
        load_catalog(tmp_path / "lists")
    assert [str(p) for p in failed.value.problems] == [f"{FILE}: file: {expected}"]


def test_a_folder_named_like_a_list_file_is_not_readable(tmp_path):
    (tmp_path / "lists" / FILE).mkdir(parents=True)
    with pytest.raises(CatalogError) as failed:
        load_catalog(tmp_path / "lists")
    (problem,) = [str(p) for p in failed.value.problems]
    assert problem.startswith(f"{FILE}: file: is not readable YAML ([Errno 21] Is a directory: ")


def test_an_error_without_words_is_named_by_its_kind():
    assert _first_line(OSError()) == "OSError"
    assert _first_line(ValueError("  first line\nsecond line")) == "first line"


def test_a_file_that_is_not_utf8_is_not_readable(tmp_path):
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / FILE).write_bytes(b"title: \xff\xfe")
    with pytest.raises(CatalogError) as failed:
        load_catalog(tmp_path / "lists")
    (problem,) = [str(p) for p in failed.value.problems]
    assert problem.startswith(f"{FILE}: file: is not readable YAML ('utf-8' codec can't decode byte 0xff")


@pytest.mark.parametrize("name", ["Tiny.yaml", "tiny_list.yaml", "-tiny.yaml", f"{'a' * 33}.yaml"])
def test_a_list_file_name_that_cannot_be_an_id_is_refused(tmp_path, name):
    write(tmp_path / "lists", TINY, name)
    with pytest.raises(CatalogError) as failed:
        load_catalog(tmp_path / "lists")
    assert [str(p) for p in failed.value.problems] == [
        f"{name}: file name: must be lowercase letters, digits and dashes, at most 32"
    ]


def test_a_list_file_name_of_32_characters_is_fine(tmp_path):
    write(tmp_path / "lists", TINY, f"{'a' * 32}.yaml")
    assert load_catalog(tmp_path / "lists").default.id == "a" * 32
