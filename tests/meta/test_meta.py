"""Keeps the shape honest: cogs that load offline, list files that validate (the import rules
are in test_import_graph.py)."""

import pytest

from bot.domain.list_files import load_catalog
from tests.conftest import SHIPPED_LISTS


@pytest.mark.parametrize("path", sorted(SHIPPED_LISTS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_list_file_validates(path, tmp_path):
    (tmp_path / path.name).write_bytes(path.read_bytes())
    assert load_catalog(tmp_path).lists


async def test_every_cog_loads_offline_and_registers_commands(loaded_bot):
    names = {command.qualified_name for command in loaded_bot.tree.walk_commands()}
    assert {"list", "entry", "honorable", "random", "about"} <= names
