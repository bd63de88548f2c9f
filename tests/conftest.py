"""Shared fixtures: the shipped lists, and a writable copy of them for tests that break a file."""

import shutil
from pathlib import Path

import pytest

from bot.domain.list_files import load_catalog

REPO = Path(__file__).resolve().parent.parent
SHIPPED_LISTS = REPO / "data" / "lists"


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(SHIPPED_LISTS)


@pytest.fixture
def top_list(catalog):
    return catalog.default


@pytest.fixture
def lists_copy(tmp_path) -> Path:
    folder = tmp_path / "lists"
    shutil.copytree(SHIPPED_LISTS, folder)
    return folder
