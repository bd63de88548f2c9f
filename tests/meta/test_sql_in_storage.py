"""All SQL lives in bot/storage: nothing else in bot/ or cogs/ imports a database driver, writes a
SQL statement, or calls the engines' query methods; it calls the stores' intent-named functions."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

STORAGE = REPO / "bot" / "storage"
DRIVERS = {"sqlite3", "asyncpg", "aiosqlite", "psycopg", "psycopg2"}
QUERY_METHODS = {"execute", "executemany", "executescript", "fetch_all", "fetch_one", "fetch_value", "run_transaction"}
# Upper case as every statement in bot/storage is written; prose ("delete from the list") never is.
STATEMENT = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|(CREATE|ALTER|DROP)\s+(TABLE|INDEX)"
    r"|PRAGMA\s+\w+|BEGIN\s+IMMEDIATE)\b",
    re.DOTALL,
)


def modules_above_storage() -> list[Path]:
    found = [*(REPO / "bot").rglob("*.py"), *(REPO / "cogs").rglob("*.py")]
    return sorted(p for p in found if STORAGE not in p.parents)


def sql_found(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: imports {a.name}" for a in node.names if a.name.split(".")[0] in DRIVERS]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in DRIVERS:
            found.append(f"line {node.lineno}: imports {node.module}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and (match := STATEMENT.search(node.value)):
            found.append(f"line {node.lineno}: {match.group(0)[:40]!r}")
        elif isinstance(node, ast.Attribute) and node.attr in QUERY_METHODS:
            found.append(f"line {node.lineno}: .{node.attr}()")
    return found


def test_the_scan_covers_the_bot_and_the_cogs():
    names = {p.relative_to(REPO).as_posix() for p in modules_above_storage()}
    assert {"bot/app.py", "cogs/polls/service.py"} <= names
    assert not any(name.startswith("bot/storage/") for name in names)


@pytest.mark.parametrize("path", modules_above_storage(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_sql_outside_the_storage_package(path):
    found = sql_found(path.read_text(encoding="utf-8"))
    assert found == [], f"{path.relative_to(REPO)}: move the SQL into a bot/storage function named for what it does"


def test_sql_above_storage_would_be_seen():
    assert sql_found("import sqlite3") == ["line 1: imports sqlite3"]
    assert sql_found("from asyncpg import Record") == ["line 1: imports asyncpg"]
    assert sql_found('q = f"SELECT count(*) FROM ballots WHERE poll_id = {p}"')
    assert sql_found('"UPDATE polls SET closed_at = ?"') and sql_found('"DELETE FROM seconds"')
    assert sql_found("await bot.store.fetch_value(query)") == ["line 1: .fetch_value()"]
    assert sql_found('"Delete from the list, then select what to keep"') == []
