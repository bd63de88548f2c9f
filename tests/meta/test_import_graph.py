"""Keeps the import graph a newcomer can follow: no cycles in bot/ and cogs/ (imports inside
functions count too), no feature package reaching into another one, layers importing only those
beneath them (domain ← storage ← bot/ ← cogs/), a domain with neither Discord nor a database, and
bench/ and standin/ free of tests/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("bot", "cogs")
FORBIDDEN_IN_DOMAIN = {"discord", "aiosqlite", "sqlite3", "aiohttp", "asyncpg"}


def imported_roots(path: Path) -> set[str]:
    """The top-level packages a file imports by absolute name, anywhere in it."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def module_files() -> dict[str, Path]:
    """Dotted module name -> file, for every module of our own packages."""
    found = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    # `from pkg import name` imports the submodule pkg.name when there is one, else a name of pkg.
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports anywhere in its body (top level or in functions).
    Importing a submodule also runs its package's __init__, but that edge is the interpreter's,
    not a dependency the code chose, so it is not counted."""
    files = module_files()
    known = set(files)
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(name, path.name == "__init__.py", node, known):
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that returns to its start, or None (depth-first, colouring)."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(module: str) -> list[str] | None:
        path.append(module)
        on_path.add(module)
        for target in sorted(graph[module]):
            if target in on_path:
                return [*path[path.index(target) :], target]
            if target not in done:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        on_path.discard(module)
        done.add(module)
        return None

    for start in sorted(graph):
        if start not in done:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_the_import_graph_is_read():
    graph = import_graph()
    assert "cogs.polls.views" in graph["cogs.polls.service"]
    assert "bot.domain.nominations" in graph["cogs.nominations.views"]


def test_find_cycle_names_the_modules_of_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_function_level_imports_count(tmp_path):
    source = "def later():\n    from cogs.polls import views\n"
    node = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom))
    assert _targets("cogs.polls.service", False, node, {"cogs.polls.views"}) == ["cogs.polls.views"]


def test_bot_and_cogs_have_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def feature_of(module: str) -> str | None:
    """The feature package (or single-module feature) of a cogs/ module: cogs.polls.views -> polls."""
    parts = module.split(".")
    return parts[1] if parts[0] == "cogs" and len(parts) > 1 else None


def test_no_feature_imports_another():
    crossings = sorted(
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for target in targets
        if feature_of(module) and feature_of(target) and feature_of(module) != feature_of(target)
    )
    assert crossings == [], "shared code belongs in bot/: " + ", ".join(crossings)


def test_a_crossing_between_features_would_be_seen():
    assert feature_of("cogs.polls.cog") == "polls" != feature_of("cogs.nominations.service")
    assert feature_of("cogs") is None and feature_of("bot.channels") is None


def test_imported_roots_reads_imports_inside_functions_and_skips_relative_ones(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text("import a.b\nfrom . import c\n\ndef later():\n    from tests.e2e import harness\n")
    assert imported_roots(source) == {"a", "tests"}


@pytest.mark.parametrize("path", sorted((REPO / "bot" / "domain").rglob("*.py")), ids=lambda p: p.name)
def test_domain_imports_neither_discord_nor_a_database(path):
    assert imported_roots(path).isdisjoint(FORBIDDEN_IN_DOMAIN)


# What each inner layer may import of ours, by module prefix: the layers point one way.
LAYER_MAY_IMPORT = {"bot.domain": ("bot.domain",), "bot.storage": ("bot.domain", "bot.storage")}


def test_the_domain_and_storage_import_only_the_layers_beneath_them():
    outward = sorted(
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for layer, allowed in LAYER_MAY_IMPORT.items()
        if module == layer or module.startswith(layer + ".")
        for target in targets
        if not any(target == a or target.startswith(a + ".") for a in allowed)
    )
    assert outward == []


def test_bot_imports_nothing_from_cogs():
    # cogs/ build on bot/; bot/ loads the extensions by name (EXTENSIONS in bot/app.py) only.
    files = sorted((REPO / "bot").rglob("*.py"))
    assert [str(p.relative_to(REPO)) for p in files if "cogs" in imported_roots(p)] == []


@pytest.mark.parametrize("package", ["bench", "standin"])
def test_bench_and_the_standin_import_nothing_from_tests(package):
    files = sorted((REPO / package).rglob("*.py"))
    assert [str(p.relative_to(REPO)) for p in files if "tests" in imported_roots(p)] == []
