"""``namida check`` and the catalogue: named with its size and date, optional, broken = one sentence."""

import shutil

import pytest

from tests.app.test_cli import run_cli
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
