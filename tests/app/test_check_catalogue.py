"""``namida check`` and the catalogue: named with its size and date, optional, broken = one sentence."""

import json
import re
import shutil

import pytest

from bot.domain.anime import AnimeType, parse_catalogue
from bot.domain.list_files import load_catalog
from tests.app.test_cli import run_cli
from tests.conftest import REPO, SHIPPED_LISTS
from tests.domain.test_anime import FIXTURE


def test_check_names_the_catalogue_its_entries_and_last_update(tmp_path):
    shutil.copyfile(FIXTURE, tmp_path / "anime-offline-database.json")
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Catalogue: anime-offline-database.json — 51 entries, last updated 2026-11-28" in result.stdout


def test_a_missing_catalogue_is_a_note_not_a_problem(tmp_path):
    result = run_cli("check", env={"NAMIDA_CATALOGUE": str(tmp_path / "cat.json")}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    note = f"Catalogue: none at {tmp_path / 'cat.json'} (optional: `namida catalogue update` downloads it"
    assert note in result.stdout
    assert "OK: 1 list(s), 16 entries" in result.stdout


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        ('{"data": [', "is not a JSON file (Expecting value: line 1 column 11 (char 10))."),
        ('{"data": []}', "is not an anime-offline-database catalogue: 'data' is empty."),
        ('{"data": [{"sources": ["https://x"], "title": "A", "type": "FILM", "episodes": 1}]}',
         "is not an anime-offline-database catalogue: data[0]: 'type' must be one of"),
    ],
)  # fmt: skip
def test_a_broken_catalogue_is_an_error_naming_the_file(tmp_path, content, sentence):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    result = run_cli("check", env={"NAMIDA_CATALOGUE": str(path)}, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"namida: The catalogue {path} ") and sentence in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "OK:" not in result.stdout


def lists_with_catalogue_key(tmp_path, entry_key: str, catalogue: str):
    """A copy of the shipped list whose entry ``entry_key`` names ``catalogue`` as its show."""
    folder = tmp_path / "lists"
    folder.mkdir()
    text = (SHIPPED_LISTS / "top10-sad-anime-moments.yaml").read_text(encoding="utf-8")
    entry = text.index(f"key: {entry_key}\n")
    start = text.index("    catalogue: ", entry)
    end = text.index("\n", start)
    (folder / "top10-sad-anime-moments.yaml").write_text(
        text[:start] + f"    catalogue: {catalogue}" + text[end:], encoding="utf-8"
    )
    return folder


def test_every_shipped_list_entry_names_a_show_of_the_fixture_catalogue(tmp_path):
    shutil.copyfile(FIXTURE, tmp_path / "anime-offline-database.json")
    catalog = load_catalog(SHIPPED_LISTS)
    assert all(entry.catalogue for top_list in catalog.lists for entry in top_list.entries)
    assert run_cli("check", cwd=tmp_path).returncode == 0


def test_a_list_entry_naming_a_show_the_catalogue_lacks_is_an_error_naming_entry_and_key(tmp_path):
    shutil.copyfile(FIXTURE, tmp_path / "anime-offline-database.json")
    folder = lists_with_catalogue_key(tmp_path, "haibane-renmei", "https://myanimelist.net/anime/999999")
    result = run_cli("check", env={"NAMIDA_LISTS": str(folder)}, cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "top10-sad-anime-moments.yaml: #5 · Haibane Renmei: catalogue: 'https://myanimelist.net/anime/999999'"
        " is not a source URL of any show in anime-offline-database.json"
    ) in result.stderr
    assert "OK:" not in result.stdout and "Traceback" not in result.stderr


def test_a_list_entry_s_catalogue_key_must_be_a_source_url(tmp_path):
    folder = lists_with_catalogue_key(tmp_path, "haibane-renmei", "Haibane Renmei")
    result = run_cli("check", env={"NAMIDA_LISTS": str(folder)}, cwd=tmp_path)
    assert result.returncode == 1
    assert "catalogue" in result.stderr and "must be a source URL of the show in the anime catalogue" in result.stderr
    assert "Haibane Renmei" in result.stderr and "Traceback" not in result.stderr


def test_the_readme_documents_the_catalogue_format_namida_reads():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The catalogue file", 1)[1].split("\n## ", 1)[0]
    example = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    (anime,) = parse_catalogue({"data": [example]}).anime
    assert (anime.key, anime.title, anime.type, anime.episodes, anime.year) == (
        "https://myanimelist.net/anime/4181", "Clannad: After Story", AnimeType.TV, 24, 2008
    )
    assert anime.page == anime.key and anime.thumbnail == example["thumbnail"]
    types = section.split("| `type` |", 1)[1].split("|", 1)[0]
    assert re.findall(r"`([A-Z]+)`", types) == [kind.value for kind in AnimeType]
    for field in ("sources", "title", "synonyms", "type", "episodes", "animeSeason.year", "thumbnail"):
        assert f"| `{field}` |" in section
