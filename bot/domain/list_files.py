"""Load list files (YAML) strictly into frozen dataclasses.

Every problem names the file, the entry and the key. Length caps keep each text small enough that
its escaped, spoiler-tagged rendering fits Discord's limits (escaping can double a text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

import yaml

from bot.domain.catalog import Catalog, Credit, Entry, Rules, TopList
from bot.domain.errors import CatalogError, ListFileProblem
from bot.domain.limits import discord_len
from bot.domain.nominations import WHAT_HAPPENS_MAX, WHY_MAX
from bot.domain.spoilers import Spoiler
from bot.domain.text import compact

LIST_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
ENTRY_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
# Per section. A server's own list holds up to 100 entries, which is what this allows; the
# overview shows the first 25 of a section in its menu (see cogs/entries/views.py).
MAX_ENTRIES = 100


@dataclass(frozen=True)
class Text:
    """A required (or optional) string of at most ``max_len`` characters."""

    max_len: int
    optional: bool = False


@dataclass(frozen=True)
class Names:
    """A list of short strings."""

    max_items: int
    max_len: int
    min_items: int = 1


LIST_KEYS: dict[str, Any] = {
    "title": Text(100),
    "credit": {"author": Text(100), "publication": Text(100), "source": Text(200)},
    "spoiler_warning": Text(300),
    "rules": {
        "contained_scene": Text(200),
        "pathos": Text(200),
        "series_only": Text(200),
        "one_per_show": Text(200),
    },
    "ranked": "entries",
    "honorable_mentions": "entries",
}
ENTRY_KEYS: dict[str, Any] = {
    "key": Text(32),
    "show": Text(50),
    "alt_titles": Names(8, 100, min_items=0),
    "moment": Text(100),
    "episode": Text(60, optional=True),
    # A community entry made from a nomination names no characters or themes; it says what
    # happens and why at the length a nomination allows.
    "characters": Names(12, 50, min_items=0),
    "summary": Text(WHAT_HAPPENS_MAX),
    "why_it_hits": Text(WHY_MAX),
    "themes": Names(6, 24, min_items=0),
    "catalogue": Text(200, optional=True),
}
CATALOGUE_URL = re.compile(r"^https://[^\s/]+/\S+$")


def load_catalog(folder: Path) -> Catalog:
    """Every ``*.yaml`` list in ``folder``, sorted by file name; CatalogError lists every problem."""
    files = sorted(folder.glob("*.yaml"))  # nothing for a missing folder or a file
    if not files:
        raise CatalogError([ListFileProblem(str(folder), "folder", None, "contains no .yaml list files")])
    problems: list[ListFileProblem] = []
    lists = []
    for path in files:
        checker = ListFileChecker(path.name)
        top_list = checker.load(path)
        problems.extend(checker.problems)
        if top_list is not None:  # a file with problems gives no list
            lists.append(top_list)
    if problems:
        raise CatalogError(problems)
    return Catalog(tuple(lists))


class ListFileChecker:
    """Checks one list file (or one entry of it), collecting every problem."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[ListFileProblem] = []

    def problem(self, where: str, key: str | None, text: str) -> None:
        self.problems.append(ListFileProblem(self.file, where, key, text))

    def load(self, path: Path) -> TopList | None:
        list_id = path.stem
        if not LIST_ID.match(list_id):
            self.problem("file name", None, "must be lowercase letters, digits and dashes, at most 32")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.problem("file", None, f"is not readable YAML ({_first_line(error)})")
            return None
        return self.load_text(text, list_id)

    def load_text(self, text: str, list_id: str) -> TopList | None:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            self.problem("file", None, f"is not readable YAML ({_first_line(error)})")
            return None
        if not isinstance(data, dict):
            self.problem("file", None, "must be a mapping with title, credit, rules, ranked, …")
            return None
        values = self.mapping(data, LIST_KEYS, "list")
        ranked = self.entries(data.get("ranked"), "ranked", ranked=True)
        honorable = self.entries(data.get("honorable_mentions"), "honorable_mentions", ranked=False)
        self.check_list_wide(ranked, honorable)
        if self.problems:
            return None
        credit, rules = values["credit"], values["rules"]
        return TopList(
            id=list_id,
            title=values["title"],
            credit=Credit(**credit),
            spoiler_warning=values["spoiler_warning"],
            rules=Rules(**rules),
            ranked=tuple(sorted(ranked, key=attrgetter("rank"), reverse=True)),
            honorable=tuple(honorable),
        )

    def mapping(self, data: dict, spec: dict[str, Any], where: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key in data:
            if key not in spec:
                self.problem(where, str(key), f"is not a known key (known: {', '.join(spec)})")
        for key, rule in spec.items():
            if rule == "entries":
                if key not in data:
                    self.problem(where, key, "is missing")
                continue
            if isinstance(rule, dict):
                inner = data.get(key)
                if not isinstance(inner, dict):
                    self.problem(where, key, "must be a mapping of " + ", ".join(rule))
                    continue
                values[key] = self.mapping(inner, rule, f"{where} > {key}")
            else:
                values[key] = self.value(data, key, rule, where)
        return values

    def value(self, data: dict, key: str, rule: Text | Names, where: str) -> Any:
        if key not in data or data[key] is None:
            if isinstance(rule, Text) and rule.optional:
                return None
            if isinstance(rule, Names) and rule.min_items == 0:
                return ()
            self.problem(where, key, "is missing")
            return None
        raw = data[key]
        if isinstance(rule, Text):
            return self.text(raw, rule.max_len, where, key)
        if not isinstance(raw, list):
            self.problem(where, key, "must be a list of strings")
            return ()
        if not rule.min_items <= len(raw) <= rule.max_items:
            self.problem(where, key, f"must have {rule.min_items} to {rule.max_items} items (has {len(raw)})")
        return tuple(self.text(item, rule.max_len, where, f"{key}[{i}]") for i, item in enumerate(raw))

    def text(self, raw: Any, max_len: int, where: str, key: str) -> str:
        if not isinstance(raw, str):
            self.problem(where, key, f"must be text, not {type(raw).__name__}")
            return ""
        text = raw.strip()
        if not text:
            self.problem(where, key, "is empty")
        elif discord_len(text) > max_len:
            self.problem(where, key, f"is {discord_len(text)} characters; the limit is {max_len}")
        return text

    def entries(self, raw: Any, section: str, *, ranked: bool) -> list[Entry]:
        if raw is None:
            return []
        if not isinstance(raw, list) or (ranked and not raw):
            self.problem(section, None, "must be a list of entries" + (" (at least one)" if ranked else ""))
            return []
        if len(raw) > MAX_ENTRIES:
            self.problem(section, None, f"has {len(raw)} entries; the limit is {MAX_ENTRIES}")
        return [e for i, item in enumerate(raw) if (e := self.entry(item, section, i, ranked)) is not None]

    def entry(self, item: Any, section: str, index: int, ranked: bool) -> Entry | None:
        where = f"{section}[{index}]"
        if not isinstance(item, dict):
            self.problem(where, None, "must be a mapping")
            return None
        if isinstance(item.get("show"), str):
            where += f" ({item['show']})"
        before = len(self.problems)
        values = self.mapping({k: v for k, v in item.items() if k != "rank"}, ENTRY_KEYS, where)
        if "rank" in item and not ranked:
            self.problem(where, "rank", "honorable mentions have no rank")
        rank = item.get("rank")  # an honorable mention with a rank is refused just above
        if ranked and (not isinstance(rank, int) or isinstance(rank, bool) or not 1 <= rank <= 999):
            self.problem(where, "rank", "must be a whole number from 1")
        if values.get("key") and not ENTRY_KEY.match(values["key"]):
            self.problem(where, "key", "must be lowercase letters, digits and dashes, at most 32")
        if values.get("catalogue") and not CATALOGUE_URL.match(values["catalogue"]):
            self.problem(where, "catalogue", "must be a source URL of the show in the anime catalogue (https://…)")
        if len(self.problems) > before:
            return None
        return Entry(
            key=values["key"],
            rank=rank,
            show=values["show"],
            alt_titles=values["alt_titles"],
            moment=Spoiler(values["moment"]),
            episode=values["episode"],
            characters=tuple(Spoiler(c) for c in values["characters"]),
            summary=Spoiler(values["summary"]),
            why_it_hits=Spoiler(values["why_it_hits"]),
            themes=tuple(Spoiler(t) for t in values["themes"]),
            catalogue=values["catalogue"],
        )

    def check_list_wide(self, ranked: list[Entry], honorable: list[Entry]) -> None:
        ranks = [e.rank for e in ranked if e.rank is not None]  # every one has its rank
        for rank in sorted({r for r in ranks if ranks.count(r) > 1}):
            self.problem(f"ranked (#{rank})", "rank", f"rank {rank} is used more than once")
        if ranks and sorted(ranks) != list(range(1, len(ranks) + 1)):
            self.problem("ranked", "rank", f"ranks must run from 1 to {len(ranks)} without gaps")
        seen_keys: dict[str, str] = {}
        seen_titles: dict[str, str] = {}
        seen_shows: dict[str, str] = {}
        for entry in ranked + honorable:
            if entry.catalogue and entry.catalogue in seen_shows:
                self.problem(entry.handle, "catalogue", f"'{entry.catalogue}' is also {seen_shows[entry.catalogue]}")
            if entry.catalogue:
                seen_shows[entry.catalogue] = entry.handle
            if entry.key in seen_keys:
                self.problem(entry.handle, "key", f"'{entry.key}' is also used by {seen_keys[entry.key]}")
            seen_keys[entry.key] = entry.handle
            for title in entry.titles:
                folded = compact(title)
                owner = seen_titles.get(folded)
                if owner and owner != entry.handle:
                    self.problem(entry.handle, "show", f"'{title}' is already on the list as {owner}")
                seen_titles[folded] = entry.handle


def check_list_text(file: str, text: str, list_id: str) -> TopList:
    """One list file's text checked exactly as ``load_catalog`` checks a file (an uploaded list);
    CatalogError names every problem by entry and key."""
    checker = ListFileChecker(file)
    top_list = checker.load_text(text, list_id)
    if checker.problems or top_list is None:
        raise CatalogError(checker.problems)
    return top_list


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
