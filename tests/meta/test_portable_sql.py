"""The stores' SQL runs on both engines: none of SQLite's own spellings in the modules both engines
share (the SQLite engine, the SQLite-only catalogue index, backups and the copy to PostgreSQL
may use them)."""

from __future__ import annotations

import ast
import re

import pytest

from tests.conftest import REPO

STORAGE = REPO / "bot" / "storage"
# migrator.py writes SQLite's version bump; PostgreSQL's is in postgresql.py.
SQLITE_ONLY = {"database.py", "sqlite_thread.py", "anime_index.py", "backup.py", "transfer.py", "migrator.py"}
NOT_PORTABLE = re.compile(
    r"INSERT\s+OR\s+(IGNORE|REPLACE)|COLLATE\s+NOCASE|\browid\b|\bjson_each\b|\bstrftime\b|\bjulianday\b"
    r"|\bPRAGMA\b|\bAUTOINCREMENT\b|\blastrowid\b|\bGLOB\b",
    re.IGNORECASE,
)


def shared_modules():
    return sorted(p for p in STORAGE.glob("*.py") if p.name not in SQLITE_ONLY)


@pytest.mark.parametrize("path", shared_modules(), ids=lambda p: p.name)
def test_shared_storage_modules_write_sql_both_engines_run(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree) if _has_docstring(node)}
    found = [
        f"line {node.lineno}: {match.group(0)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        for match in [NOT_PORTABLE.search(node.value)]
        if match
    ]
    assert found == [], f"{path.name}: use SQL PostgreSQL runs too (ON CONFLICT, RETURNING id, lower())"


def _has_docstring(node: ast.AST) -> bool:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return isinstance(node, kinds) and ast.get_docstring(node, clean=False) is not None


def test_a_sqlite_spelling_would_be_seen():
    assert NOT_PORTABLE.search("INSERT OR IGNORE INTO x VALUES (?)")
    assert NOT_PORTABLE.search("cursor.lastrowid") and not NOT_PORTABLE.search("RETURNING id")
