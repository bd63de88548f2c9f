"""Keeps the shape honest: a pure domain layer, cogs that load offline, list files that validate."""

import ast
import re
from pathlib import Path

import pytest

from bot.app import EXTENSIONS
from bot.domain.list_files import load_catalog
from bot.runner import build_bot
from bot.settings import load_settings
from tests.conftest import REPO, SHIPPED_LISTS

FORBIDDEN_IN_DOMAIN = {"discord", "aiosqlite", "sqlite3", "aiohttp"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted((REPO / "bot" / "domain").rglob("*.py")), ids=lambda p: p.name)
def test_domain_imports_neither_discord_nor_a_database(path):
    assert imported_roots(path).isdisjoint(FORBIDDEN_IN_DOMAIN)


@pytest.mark.parametrize("path", sorted(SHIPPED_LISTS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_list_file_validates(path, tmp_path):
    (tmp_path / path.name).write_bytes(path.read_bytes())
    assert load_catalog(tmp_path).lists


async def test_every_cog_loads_offline_and_registers_commands(tmp_path):
    settings = load_settings({"NAMIDA_DATABASE": str(tmp_path / "namida.db")}, require_token=False)
    bot = await build_bot(settings)
    try:
        for extension in EXTENSIONS:
            await bot.load_extension(extension)
        names = {command.qualified_name for command in bot.tree.walk_commands()}
        assert {"list", "entry", "honorable", "random", "about"} <= names
    finally:
        await bot.close()


SQL_STATEMENT = re.compile(r"""["'](SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|PRAGMA|CREATE TABLE)\b""")


def python_outside_storage() -> list[Path]:
    storage = REPO / "bot" / "storage"
    return [
        path
        for folder in ("bot", "cogs")
        for path in sorted((REPO / folder).rglob("*.py"))
        if storage not in path.parents
    ]


@pytest.mark.parametrize("path", python_outside_storage(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_sql_outside_the_storage_package(path):
    assert not SQL_STATEMENT.search(path.read_text(encoding="utf-8"))
