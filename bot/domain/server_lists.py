"""A server's own countdown: lists its moderators build from approved nominations and rank by a
poll. Ids from names, places and their limits, the ranking a closed poll gives, and the entry a
nomination becomes. Pure."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import yaml

from bot.domain.catalog import HONORABLE, Credit, Entry, Rules, TopList
from bot.domain.errors import CatalogError, ListFileProblem, UnknownList, UserFacingError
from bot.domain.limits import discord_len
from bot.domain.list_files import LIST_ID, ListFileChecker, check_list_text
from bot.domain.nominations import Nomination, Status, episode_label
from bot.domain.polls import Mode, Result
from bot.domain.spoilers import Spoiler, inert, plain
from bot.domain.text import compact

MAX_LISTS = 25  # per server
MAX_ENTRIES = 100  # per list
NAME_MIN, NAME_MAX = 1, 60
TOP_PLACES = 10  # a published list's countdown: the rest are honorable mentions
LIST_ID_MAX = 32
ENTRY_KEY_PREFIX = "nomination-"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class ServerListRefused(UserFacingError):
    """A change to a server list that can't be made; nothing was changed."""


class NoServerLists(UnknownList):
    """A server list was named in a server that has none."""

    def __init__(self, query: str) -> None:
        super().__init__(query, [])
        self.message = "This server has no lists of its own yet: a moderator creates one with `/lists create`."
        self.args = (self.message,)


@dataclass(frozen=True, slots=True)
class ServerEntry:
    """One entry of a server list as stored: the list format's fields, and for an entry made
    from a nomination, the nomination and the members it credits."""

    key: str
    show: str
    moment: str
    summary: str
    why_it_hits: str
    episode: str | None = None
    alt_titles: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    catalogue: str | None = None  # an imported entry's catalogue source URL, kept for the export
    nomination_id: int | None = None
    nominated_by: int | None = None
    seconded_by: tuple[int, ...] = ()

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.show, *self.alt_titles)


@dataclass(frozen=True, slots=True)
class ListHeader:
    """What a list file says around its entries."""

    credit: Credit
    spoiler_warning: str
    rules: Rules


@dataclass(frozen=True, slots=True)
class ServerList:
    id: int  # the row; ``list_id`` is what members type and buttons carry
    guild_id: int
    list_id: str
    name: str
    top: int  # how many of the first places are ranked; the rest are honorable mentions
    header: ListHeader
    entries: tuple[ServerEntry, ...]  # by place: #1 first

    def handle(self, place: int) -> str:
        """The spoiler-free name of the entry at ``place`` (1-based)."""
        label = f"#{place}" if place <= self.top else HONORABLE
        return f"{label} · {self.entries[place - 1].show}"

    def top_list(self, hide_nominated_shows: bool = False) -> TopList:
        """The list as members browse it, shaped exactly like a shipped list. With
        ``hide_nominated_shows`` (the server's show titles are spoilers), an entry made from a
        nomination is named "#3 · Nomination #7" and its show sits behind spoiler bars."""
        built = [
            _entry(e, place if place <= self.top else None, hide_nominated_shows)
            for place, e in enumerate(self.entries, start=1)
        ]
        ranked = tuple(reversed(built[: self.top]))  # the countdown reads #N down to #1
        return TopList(
            id=self.list_id,
            title=self.name,
            credit=self.header.credit,
            spoiler_warning=self.header.spoiler_warning,
            rules=self.header.rules,
            ranked=ranked,
            honorable=tuple(built[self.top :]),
            guild_id=self.guild_id,
        )


def _entry(entry: ServerEntry, rank: int | None, hide_nominated_show: bool) -> Entry:
    number = nomination_number(entry)
    handle_name = f"Nomination #{number}" if hide_nominated_show and number is not None else None
    return Entry(
        key=entry.key,
        rank=rank,
        show=entry.show,
        alt_titles=entry.alt_titles,
        moment=Spoiler(entry.moment),
        episode=entry.episode,
        characters=tuple(Spoiler(c) for c in entry.characters),
        summary=Spoiler(entry.summary),
        why_it_hits=Spoiler(entry.why_it_hits),
        themes=tuple(Spoiler(t) for t in entry.themes),
        catalogue=entry.catalogue,
        nominated_by=entry.nominated_by,
        seconded_by=entry.seconded_by,
        handle_name=handle_name,
    )


def nomination_number(entry: ServerEntry) -> int | None:
    """The number of the nomination an entry was made from (its key says it), or None for an
    entry that came from a list file."""
    if entry.nomination_id is None or not entry.key.startswith(ENTRY_KEY_PREFIX):
        return None
    number = entry.key.removeprefix(ENTRY_KEY_PREFIX)
    return int(number) if number.isdigit() else None


def default_header(name: str, shipped: TopList) -> ListHeader:
    """A new list keeps the shipped list's rules and warning: its nominations were checked by them."""
    credit = Credit(author="This server's members", publication=name, source="Nominations and polls in this server")
    return ListHeader(credit, shipped.spoiler_warning, shipped.rules)


# --- names and ids ---------------------------------------------------------------------------------


def check_name(text: str) -> str:
    """A list name as shown on titles and menus: markup and mentions made inert, 1–60 characters."""
    name = inert(text)
    if not compact(name):
        raise ServerListRefused("A list's name can't be empty or only symbols.")
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise ServerListRefused(f"A list's name is {NAME_MIN} to {NAME_MAX} characters (that one has {len(name)}).")
    return name


def list_id_from_name(name: str) -> str:
    """``"Our Saddest Ten!"`` → ``our-saddest-ten``; a name with no Latin letters or digits gets a
    short stable digest instead, so every name has an id that fits a button."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    ascii_only = "".join(ch for ch in decomposed if ch.isascii())
    slug = _NOT_SLUG.sub("-", ascii_only).strip("-")
    if len(slug) > LIST_ID_MAX:  # cut at a word's end when there is one
        cut = slug[: LIST_ID_MAX + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:LIST_ID_MAX]
    if not slug:
        slug = "list-" + hashlib.blake2b(compact(name).encode(), digest_size=4).hexdigest()
    assert LIST_ID.match(slug), slug
    return slug


def entry_key(nomination: Nomination) -> str:
    return f"{ENTRY_KEY_PREFIX}{nomination.number}"


# --- entries from nominations ----------------------------------------------------------------------


def entry_from_nomination(nomination: Nomination, seconders: tuple[int, ...], guild_id: int) -> ServerEntry:
    """The entry an approved nomination becomes, checked by the list format's own rules so that
    the list always exports as a file ``namida check`` accepts."""
    handle = f"Nomination #{nomination.number}"
    if nomination.guild_id != guild_id:
        raise ServerListRefused(f"**{handle}** doesn't exist in this server.")
    if nomination.status is not Status.APPROVED:
        raise ServerListRefused(
            f"**{handle}** isn't approved ({nomination.status.value}), so it can't go on a list. "
            "Approve it with `/nominations review` first."
        )
    if not nomination.public_show:
        raise ServerListRefused(f"**{handle}** has no confirmed public show title, so it can't go on a list.")
    episode = None
    if nomination.episode:
        episode = episode_label(nomination.episode) or nomination.episode
    entry = ServerEntry(
        key=entry_key(nomination),
        show=nomination.public_show,
        moment=nomination.moment.reveal(),
        summary=nomination.what_happens.reveal(),
        why_it_hits=nomination.why.reveal(),
        episode=episode,
        nomination_id=nomination.id,
        nominated_by=nomination.author_id,
        seconded_by=seconders,
    )
    problems = entry_problems(entry)
    if problems:
        raise ServerListRefused(f"**{handle}** doesn't fit a list entry: " + "; ".join(problems) + ".")
    return entry


def entry_fields(entry: ServerEntry, rank: int | None) -> dict[str, object]:
    """The entry in the list file format, keys in the shipped files' order."""
    fields: dict[str, object] = {} if rank is None else {"rank": rank}
    fields |= {"key": entry.key, "show": entry.show}
    if entry.alt_titles:
        fields["alt_titles"] = list(entry.alt_titles)
    fields["moment"] = entry.moment
    if entry.episode:
        fields["episode"] = entry.episode
    if entry.characters:
        fields["characters"] = list(entry.characters)
    fields |= {"summary": entry.summary, "why_it_hits": entry.why_it_hits}
    if entry.themes:
        fields["themes"] = list(entry.themes)
    if entry.catalogue:
        fields["catalogue"] = entry.catalogue
    return fields


def entry_problems(entry: ServerEntry) -> list[str]:
    """What the list file checker would say about this entry, key by key."""
    checker = ListFileChecker("entry")
    checker.entry(entry_fields(entry, 1), "ranked", 0, ranked=True)
    return [f"{p.key}: {p.problem}" if p.key else p.problem for p in checker.problems]


def from_list_file(top_list: TopList) -> tuple[int, tuple[ServerEntry, ...]]:
    """A checked list file as a server list's places (its countdown first, #1 first)."""
    ranked = sorted(top_list.ranked, key=lambda e: e.rank or 0)
    entries = tuple(
        ServerEntry(
            key=e.key,
            show=e.show,
            moment=e.moment.reveal(),
            summary=e.summary.reveal(),
            why_it_hits=e.why_it_hits.reveal(),
            episode=e.episode,
            alt_titles=e.alt_titles,
            characters=tuple(c.reveal() for c in e.characters),
            themes=tuple(t.reveal() for t in e.themes),
            catalogue=e.catalogue,
        )
        for e in (*ranked, *top_list.honorable)
    )
    return len(ranked), entries


# --- places ----------------------------------------------------------------------------------------


def _place_range(server_list: ServerList, place: int, *, adding: bool = False) -> None:
    last = len(server_list.entries) + (1 if adding else 0)
    if not 1 <= place <= last:
        if last == 0:
            raise ServerListRefused(f"**{server_list.name}** has no entries yet.")
        raise ServerListRefused(f"There is no place {place} on **{server_list.name}**: pick 1 to {last}.")


def with_entry(server_list: ServerList, entry: ServerEntry, place: int | None) -> tuple[ServerEntry, ...]:
    """The places after adding ``entry`` at ``place`` (default: the end)."""
    if len(server_list.entries) >= MAX_ENTRIES:
        raise ServerListRefused(f"**{server_list.name}** already has {MAX_ENTRIES} entries, the most a list holds.")
    refuse_duplicates((*server_list.entries, entry), server_list)
    at = len(server_list.entries) + 1 if place is None else place
    _place_range(server_list, at, adding=True)
    entries = list(server_list.entries)
    entries.insert(at - 1, entry)
    return tuple(entries)


def without_place(server_list: ServerList, place: int) -> tuple[ServerEntry, ...]:
    _place_range(server_list, place)
    return server_list.entries[: place - 1] + server_list.entries[place:]


def moved(server_list: ServerList, place: int, to: int) -> tuple[ServerEntry, ...]:
    _place_range(server_list, place)
    _place_range(server_list, to)
    entries = list(server_list.entries)
    entries.insert(to - 1, entries.pop(place - 1))
    return tuple(entries)


def refuse_duplicates(
    entries: tuple[ServerEntry, ...], server_list: ServerList | None = None, *, ranking: str | None = None
) -> None:
    """One entry per nomination and per show (by any of its titles, ignoring case and punctuation).
    ``ranking`` names the poll whose ranking the entries are, for the refusal's words."""
    where = f" on **{server_list.name}**" if server_list else ""
    nominations: set[int] = set()
    shows: dict[str, str] = {}
    for entry in entries:
        if entry.nomination_id is not None:
            if entry.nomination_id in nominations:
                if ranking:
                    raise ServerListRefused(f"**{ranking}** ranks one nomination twice, so I changed nothing.")
                raise ServerListRefused(f"That nomination is already{where}.")
            nominations.add(entry.nomination_id)
        for title in entry.titles:
            owner = shows.get(compact(title))
            if owner is not None and owner != entry.key:
                if ranking:
                    raise ServerListRefused(
                        f"**{ranking}** ranks two nominations of **{inert(title)}**, and a list has one entry "
                        "per show, so I changed nothing. Put the one you want on the list with `/lists add`."
                    )
                raise ServerListRefused(f"**{inert(title)}** is already{where}: one entry per show.")
            shows[compact(title)] = entry.key


# --- a closed poll's ranking -----------------------------------------------------------------------


def final_order(result: Result) -> list[int]:
    """The poll's options best first, as its results show them. Single choice and approval: by
    votes, ties in option order. Ranked: the winners, then the last round by its votes, then each
    eliminated group, the latest out first (a group out together is tied: option order)."""
    poll = result.poll
    if poll.mode is not Mode.RANKED or not result.rounds:
        return [t.index for t in sorted(result.totals, key=lambda t: (-t.votes, t.index))]
    last = result.rounds[-1]
    order = sorted(result.winners)
    order += sorted((i for i in last.votes if i not in result.winners), key=lambda i: (-last.votes[i], i))
    for round_ in reversed(result.rounds[:-1]):
        order += sorted(round_.eliminated)
    order += [o.index for o in poll.options if o.index not in order]
    return order


def published(result: Result) -> list[int]:
    """The nomination ids a closed poll on nominations ranks, best first."""
    if result.poll.closed_at is None:
        raise ServerListRefused(f"**{result.poll.handle}** is still open: close it first with `/poll close`.")
    if result.ballots == 0:
        raise ServerListRefused(f"**{result.poll.handle}** closed without a single ballot: there is nothing to rank.")
    refs = {o.index: o.ref for o in result.poll.options}
    return [int(refs[i] or 0) for i in final_order(result)]


def publish_top(count: int) -> int:
    return min(TOP_PLACES, count)


# --- files -----------------------------------------------------------------------------------------

IMPORT_REPLY_MAX = 1800  # of a 2,000-character message, with room for the words around the problems


def export_text(server_list: ServerList) -> str:
    """The list as a file in the shipped lists' format (``namida check`` accepts it)."""
    if not server_list.entries:
        raise ServerListRefused(f"**{server_list.name}** has no entries yet: add some before exporting it.")
    header = server_list.header
    data = {
        "title": server_list.name,
        "credit": {
            "author": header.credit.author,
            "publication": header.credit.publication,
            "source": header.credit.source,
        },
        "spoiler_warning": header.spoiler_warning,
        "rules": {
            "contained_scene": header.rules.contained_scene,
            "pathos": header.rules.pathos,
            "series_only": header.rules.series_only,
            "one_per_show": header.rules.one_per_show,
        },
        "ranked": [
            entry_fields(e, place) for place, e in reversed(list(enumerate(server_list.entries, start=1)))
            if place <= server_list.top
        ],
        "honorable_mentions": [entry_fields(e, None) for e in server_list.entries[server_list.top :]],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def export_file_name(server_list: ServerList) -> str:
    return f"{server_list.list_id}.yaml"


def read_import(file_name: str, text: str) -> tuple[str, ListHeader, int, tuple[ServerEntry, ...]]:
    """An uploaded list file checked by the same checker as the shipped ones: its name, header,
    countdown length and places, or ImportProblems naming every problem by entry and key."""
    try:
        checked = check_list_text(file_name, text, "uploaded")
    except CatalogError as error:
        raise ImportProblems(error.problems) from None
    try:
        name = check_name(checked.title)
    except ServerListRefused as refused:  # a list file's title may be longer than a server list's name
        raise ServerListRefused(f"{plain(file_name, 100)}, key 'title': {refused.message}") from None
    top, entries = from_list_file(checked)
    if len(entries) > MAX_ENTRIES:  # a list file may hold 100 per section, a server list 100 in all
        raise ServerListRefused(
            f"That file has {len(entries)} entries ({top} ranked, {len(entries) - top} honorable mentions); "
            f"a server's list holds at most {MAX_ENTRIES}, so nothing was changed."
        )
    header = ListHeader(checked.credit, checked.spoiler_warning, checked.rules)
    return name, header, top, entries


class ImportProblems(ServerListRefused):
    def __init__(self, problems: list[ListFileProblem]) -> None:
        head = f"That file isn't a list I can take ({len(problems)} problem(s)), so nothing was changed:"
        lines: list[str] = []
        for problem in problems:
            line = f"• {plain(str(problem), 300)}"
            if discord_len(head) + sum(discord_len(x) + 1 for x in lines) + discord_len(line) > IMPORT_REPLY_MAX:
                lines.append(f"…and {len(problems) - len(lines)} more.")
                break
            lines.append(line)
        super().__init__("\n".join([head, *lines]))
        self.problems = problems
