"""The lists as frozen dataclasses, and how members find an entry in them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.domain.errors import UnknownEntry, UnknownList, UserFacingError
from bot.domain.spoilers import Spoiler
from bot.domain.text import compact, normalise

HANDLE_SEPARATOR = " · "
HONORABLE = "Honorable mention"
_RANK_QUERY = re.compile(r"^\s*(?:#|no\.?|rank)?\s*(\d{1,3})\s*$", re.IGNORECASE)
_FUZZY_THRESHOLD = 75
_FUZZY_MIN_LENGTH = 5  # shorter queries match too much by accident


@dataclass(frozen=True, slots=True)
class Entry:
    """One moment on a list. ``moment``, ``summary``, ``why_it_hits``, characters and themes are
    spoilers; the show, its alternate titles, the rank and the episode are not."""

    key: str
    rank: int | None
    show: str
    alt_titles: tuple[str, ...]
    moment: Spoiler
    episode: str | None
    characters: tuple[Spoiler, ...]
    summary: Spoiler
    why_it_hits: Spoiler
    themes: tuple[Spoiler, ...]
    # A server list's entry credits the member who nominated it and those who seconded it.
    nominated_by: int | None = None
    seconded_by: tuple[int, ...] = ()
    catalogue: str | None = None  # a source URL of its show in the anime catalogue, when known
    # What the handle names instead of the show, when the show itself is a spoiler (a server
    # list's nominated show, in a server whose show titles are spoilers): "Nomination #7".
    handle_name: str | None = None

    @property
    def is_honorable(self) -> bool:
        return self.rank is None

    @property
    def handle(self) -> str:
        """The spoiler-free name used wherever Discord cannot hide text."""
        label = HONORABLE if self.rank is None else f"#{self.rank}"
        return f"{label}{HANDLE_SEPARATOR}{self.handle_name or self.show}"

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.show, *self.alt_titles)


@dataclass(frozen=True, slots=True)
class Credit:
    author: str
    publication: str
    source: str


@dataclass(frozen=True, slots=True)
class Rules:
    contained_scene: str
    pathos: str
    series_only: str
    one_per_show: str

    def as_list(self) -> list[str]:
        return [self.contained_scene, self.pathos, self.series_only, self.one_per_show]


@dataclass(frozen=True, slots=True)
class TopList:
    """A ranked list (best last, as the post reveals it) followed by its honorable mentions."""

    id: str
    title: str
    credit: Credit
    spoiler_warning: str
    rules: Rules
    ranked: tuple[Entry, ...]
    honorable: tuple[Entry, ...]
    # Set for a server's own list: its texts came from members, episode included.
    guild_id: int | None = None

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Reading order: the countdown, then the honorable mentions."""
        return self.ranked + self.honorable

    def entry(self, key: str) -> Entry | None:
        return next((e for e in self.entries if e.key == key), None)

    def neighbours(self, entry: Entry) -> tuple[Entry | None, Entry | None]:
        order = self.entries
        index = order.index(entry)
        before = order[index - 1] if index > 0 else None
        after = order[index + 1] if index + 1 < len(order) else None
        return before, after

    def catalogue_entry(self, sources: tuple[str, ...]) -> Entry | None:
        """The entry whose ``catalogue:`` key is one of a catalogue show's source URLs."""
        return next((e for e in self.entries if e.catalogue and e.catalogue in sources), None)

    def show_entry(self, title: str) -> Entry | None:
        """The entry for a show named by any of its titles, ignoring case and punctuation."""
        wanted = compact(title)
        return next((e for e in self.entries if any(compact(t) == wanted for t in e.titles)), None)

    def suggest(self, query: str, *, limit: int = 25, honorable_only: bool = False) -> list[Entry]:
        """Entries a member probably means, best first; every entry for an empty query."""
        pool = self.honorable if honorable_only else self.entries
        if not query.strip():
            return list(pool[:limit])
        return [e for _, e in _ranked_matches(pool, query)[:limit]]

    def resolve(self, query: str, *, honorable_only: bool = False) -> Entry:
        """The one entry a query names (an autocomplete key, a rank or a title), or UnknownEntry."""
        pool = self.honorable if honorable_only else self.entries
        if not query.strip():
            raise UserFacingError("Tell me which entry: a rank like `3`, or part of a show's title.")
        exact = next((e for e in pool if e.key == query.strip()), None)
        if exact:
            return exact
        matches = _ranked_matches(pool, query)
        if matches:
            best = matches[0][0]
            alone = len(matches) == 1 or matches[1][0] < best
            # A clear title match, or a typo with nothing else anywhere near it.
            if alone and (best >= _CONFIDENT or (len(matches) == 1 and best >= _CONFIDENT_TYPO)):
                return matches[0][1]
        raise UnknownEntry(query, [e.handle for _, e in matches[:5]])


def _ranked_matches(pool: tuple[Entry, ...], query: str) -> list[tuple[int, Entry]]:
    scored = [(score, i, e) for i, e in enumerate(pool) if (score := _match_score(e, query)) > 0]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(score, e) for score, _, e in scored]


_CONFIDENT = 80
_CONFIDENT_TYPO = 51  # a fuzzy similarity of 85 or more


def _match_score(entry: Entry, query: str) -> int:
    """100 exact rank or title, 90 title prefix, 80 word prefix, 70 substring, up to 60 fuzzy."""
    rank = _RANK_QUERY.match(query)
    if rank:
        return 100 if entry.rank == int(rank.group(1)) else 0
    wanted = normalise(query)
    if not wanted:
        return 0
    best = 0
    for title in entry.titles:
        have = normalise(title)
        if have == wanted or compact(title) == compact(query):
            return 100
        if have.startswith(wanted):
            best = max(best, 90)
        elif any(word.startswith(wanted) for word in have.split()):
            best = max(best, 80)
        elif wanted in have:
            best = max(best, 70)
        elif len(wanted) >= _FUZZY_MIN_LENGTH:
            # partial_ratio finds the shorter text inside the longer; a short title inside a long
            # query ("magi" in "madoak magica") is not a match.
            similarity = fuzz.partial_ratio(wanted, have) if len(wanted) <= len(have) else fuzz.ratio(wanted, have)
            if similarity >= _FUZZY_THRESHOLD:
                best = max(best, int(similarity * 0.6))
    return best


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every loaded list, sorted by id; the first is the default."""

    lists: tuple[TopList, ...]

    @property
    def default(self) -> TopList:
        return self.lists[0]

    def get(self, list_id: str | None) -> TopList:
        if list_id is None or not list_id.strip():
            return self.default
        wanted = list_id.strip()
        for top_list in self.lists:
            if top_list.id == wanted or normalise(top_list.title) == normalise(wanted):
                return top_list
        raise UnknownList(wanted, [t.title for t in self.lists])

    def find(self, list_id: str) -> TopList | None:
        """The list with this id, or None (a list file may have been removed since)."""
        return next((t for t in self.lists if t.id == list_id), None)

    def suggest(self, query: str, limit: int = 25) -> list[TopList]:
        wanted = normalise(query)
        return [t for t in self.lists if wanted in normalise(t.title) or wanted in t.id][:limit]

    @property
    def entry_count(self) -> int:
        return sum(len(t.entries) for t in self.lists)
