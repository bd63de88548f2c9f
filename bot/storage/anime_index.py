"""A search index over the anime catalogue: an SQLite file (FTS5, trigram) beside the catalogue.

The catalogue's JSON is tens of megabytes; parsing it costs a few hundred megabytes for a moment.
So the index is built in its own process (``python -m bot.storage.anime_index CATALOGUE INDEX``, or by
``namida catalogue update``), and the bot only reads the finished file: a small page cache, and
titles kept in memory for typo-tolerant matching.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.domain.anime import Anime, AnimeType, CatalogueFile, parse_catalogue
from bot.domain.text import compact, normalise

VERSION = "4"  # bump when the schema below changes: older index files are rebuilt
CANDIDATES = 300  # substring matches ranked per query
TYPO_CUTOFF = 75  # rapidfuzz score (0–100) for a title to count as a misspelling of the query
# A ratio of at least TYPO_CUTOFF needs the shorter text to be this share of the longer one at least.
SIMILAR_LENGTH = TYPO_CUTOFF / (200 - TYPO_CUTOFF)
# The typo pass compares the query with every title: plain ``ratio`` (one edit distance, a few ms
# for 40,000 titles) rather than ``WRatio`` (several partial alignments each, twenty times slower).

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE anime (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, title TEXT NOT NULL, synonyms TEXT NOT NULL,
    type TEXT NOT NULL, episodes INTEGER NOT NULL, year INTEGER, thumbnail TEXT, sources TEXT NOT NULL
);
CREATE TABLE sources (url TEXT PRIMARY KEY, anime_id INTEGER NOT NULL REFERENCES anime (id)) WITHOUT ROWID;
CREATE TABLE names (
    anime_id INTEGER NOT NULL REFERENCES anime (id), norm TEXT NOT NULL, flat TEXT NOT NULL, is_title INTEGER NOT NULL
);
CREATE INDEX names_by_norm ON names (norm);
CREATE INDEX names_by_flat ON names (flat);
CREATE VIRTUAL TABLE names_fts USING fts5 (norm, content='names', content_rowid='rowid', tokenize='trigram');
"""


def index_path(catalogue: Path) -> Path:
    """Where the index of a catalogue file lives: beside it."""
    return catalogue.with_name(catalogue.stem + ".index.sqlite")


def stamp(catalogue: Path) -> str:
    """What the index was built from: a changed catalogue file means a stale index."""
    info = catalogue.stat()
    return f"{VERSION}:{info.st_size}:{info.st_mtime_ns}"


def partial_path(index: Path, builder_pid: int) -> Path:
    """Where one process builds the index: its own file, as several bot processes (one per group of
    shards) may rebuild the same index at once; the last to finish swaps its copy in."""
    return index.with_name(f"{index.name}.{builder_pid}.partial")


def remove_partial(index: Path, builder_pid: int) -> None:
    """What a builder killed half-way leaves: its copy and SQLite's journal beside it."""
    partial = partial_path(index, builder_pid)
    for leftover in (partial, partial.with_name(partial.name + "-journal")):
        leftover.unlink(missing_ok=True)


class IndexUnwritable(OSError):
    """SQLite could not write the index (a full disk, a locked or broken file): callers above
    storage catch this, never a driver's error."""


def build(parsed: CatalogueFile, source_stamp: str, index: Path) -> None:
    """Writes the index beside its final place, then swaps it in: readers never see half of one.
    Raises OSError (IndexUnwritable for SQLite's own failures)."""
    try:
        _build(parsed, source_stamp, index)
    except sqlite3.Error as error:
        raise IndexUnwritable(str(error)) from error


def _build(parsed: CatalogueFile, source_stamp: str, index: Path) -> None:
    partial = partial_path(index, os.getpid())
    remove_partial(index, os.getpid())
    db = sqlite3.connect(partial)
    try:
        db.executescript(SCHEMA)
        with db:
            for number, anime in enumerate(parsed.anime, start=1):
                db.execute(
                    "INSERT OR IGNORE INTO anime VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (number, anime.key, anime.title, json.dumps(anime.synonyms, ensure_ascii=False),
                     anime.type.value, anime.episodes, anime.year, anime.thumbnail, json.dumps(anime.sources)),
                )  # fmt: skip
                db.executemany(
                    "INSERT INTO sources VALUES (?, ?) ON CONFLICT DO NOTHING", [(url, number) for url in anime.sources]
                )
                # The cut form of a long title is a name too: members get it back from a suggestion.
                names = {normalise(name): 0 for name in (anime.short_title, *anime.synonyms)}
                names[normalise(anime.title)] = 1
                db.executemany(
                    "INSERT INTO names VALUES (?, ?, ?, ?)",
                    [(number, norm, norm.replace(" ", ""), flag) for norm, flag in names.items() if norm],
                )
            db.execute("INSERT INTO names_fts (names_fts) VALUES ('rebuild')")
            meta = {"stamp": source_stamp, "last_update": parsed.last_update, "licence": parsed.licence,
                    "count": str(len(parsed.anime))}  # fmt: skip
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.execute("VACUUM")
        db.close()
        os.replace(partial, index)
    except BaseException:
        db.close()
        remove_partial(index, os.getpid())  # a full disk or an interrupt leaves no half-built index behind
        raise


def build_from_file(catalogue: Path, index: Path) -> CatalogueFile:
    with catalogue.open("rb") as handle:
        parsed = parse_catalogue(json.load(handle))
    build(parsed, stamp(catalogue), index)
    return parsed


@dataclass(frozen=True, slots=True)
class IndexFacts:
    count: int
    last_update: str
    licence: str


class AnimeIndex:
    """Read-only queries; each call is a few milliseconds of SQLite and rapidfuzz work, meant to
    run on one dedicated thread (``bot/anime_catalogue.py``)."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        self.stamp = meta["stamp"]
        self.facts = IndexFacts(int(meta["count"]), meta["last_update"], meta["licence"])
        rows = self._db.execute("SELECT anime_id, norm FROM names WHERE is_title = 1").fetchall()
        rows.sort(key=lambda row: len(row[1]))  # by length: a typo pass looks only at similar lengths
        self._title_ids = [anime_id for anime_id, _ in rows]
        self._title_norms = [norm for _, norm in rows]
        self._title_lengths = [len(norm) for norm in self._title_norms]

    def close(self) -> None:
        self._db.close()

    def exact(self, text: str) -> list[Anime]:
        """Entries one of whose titles or synonyms is ``text``, ignoring case, punctuation and spaces
        (so a nomination's show key finds its entries too), in catalogue order."""
        flat = compact(text)
        if not flat:
            return []
        query = "SELECT DISTINCT anime_id FROM names WHERE flat = ? ORDER BY anime_id"
        ids = [row[0] for row in self._db.execute(query, (flat,))]
        return self._anime(ids)

    def by_key(self, key: str) -> Anime | None:
        found = self._db.execute("SELECT id FROM anime WHERE key = ?", (key,)).fetchone()
        return self._anime([found[0]])[0] if found else None

    def by_source(self, url: str) -> Anime | None:
        """The entry one of whose source URLs is ``url`` (a list names its show by any of them)."""
        found = self._db.execute("SELECT anime_id FROM sources WHERE url = ?", (url,)).fetchone()
        return self._anime([found[0]])[0] if found else None

    def search(self, text: str, limit: int = 25) -> list[Anime]:
        """Titles and synonyms containing the query (any script), best first; then, if that found
        too few, titles within a typo or two of it."""
        query = normalise(text)
        if not query:
            return []
        scores: dict[int, float] = {}
        for anime_id, norm, is_title in self._substring_matches(query):
            score = fuzz.WRatio(query, norm) + (10 if norm.startswith(query) else 0) + 3 * is_title
            scores[anime_id] = max(scores.get(anime_id, 0.0), score)
        if len(scores) < limit and len(query) >= 4:
            # Only titles of a similar length can be that close: the rest are not compared at all.
            low = bisect.bisect_left(self._title_lengths, math.ceil(len(query) * SIMILAR_LENGTH))
            high = bisect.bisect_right(self._title_lengths, math.floor(len(query) / SIMILAR_LENGTH))
            for _, score, position in process.extract(
                query, self._title_norms[low:high], scorer=fuzz.ratio, limit=limit, score_cutoff=TYPO_CUTOFF
            ):
                anime_id = self._title_ids[low + position]
                scores[anime_id] = max(scores.get(anime_id, 0.0), score - 5)  # below a real match
        best = sorted(scores, key=lambda anime_id: (-scores[anime_id], anime_id))[:limit]
        return self._anime(best)

    def _substring_matches(self, query: str) -> list[tuple[int, str, int]]:
        prefix = self._db.execute(
            "SELECT anime_id, norm, is_title FROM names WHERE norm >= ? AND norm < ? LIMIT ?",
            (query, query + "\U0010ffff", CANDIDATES),
        ).fetchall()
        if len(query) < 3:  # a trigram index finds nothing shorter
            return prefix
        phrase = '"' + query.replace('"', '""') + '"'
        inner = self._db.execute(
            "SELECT names.anime_id, names.norm, names.is_title FROM names_fts"
            " JOIN names ON names.rowid = names_fts.rowid WHERE names_fts MATCH ? LIMIT ?",
            (phrase, CANDIDATES),
        ).fetchall()
        return prefix + inner

    def _anime(self, ids: list[int]) -> list[Anime]:
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = {row[0]: row for row in self._db.execute(f"SELECT * FROM anime WHERE id IN ({marks})", ids)}
        return [_row_anime(rows[anime_id]) for anime_id in ids if anime_id in rows]


def _row_anime(row: tuple) -> Anime:
    _id, key, title, synonyms, kind, episodes, year, thumbnail, sources = row
    return Anime(
        key, title, tuple(json.loads(synonyms)), AnimeType(kind), episodes, year, thumbnail, tuple(json.loads(sources))
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bot.storage.anime_index CATALOGUE.json INDEX.sqlite", file=sys.stderr)
        return 2
    if hasattr(os, "nice"):
        os.nice(10)  # the bot beside it, starting up and answering members, comes first
    try:
        build_from_file(Path(argv[0]), Path(argv[1]))
    except (OSError, ValueError) as error:  # a CatalogueProblem or broken JSON is a ValueError
        print(f"{argv[0]}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
