"""Reader nominations: the list's rules, dedupe keys, limits and handles. Pure: ``now`` is passed in."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from bot.domain.catalog import HONORABLE, Entry, TopList
from bot.domain.errors import UserFacingError
from bot.domain.guild_settings import GuildSettings
from bot.domain.spoilers import Spoiler, inert, shorten
from bot.domain.text import compact

SHOW_MAX = 100
MOMENT_MAX = 100
EPISODE_MAX = 60
EPISODE_NUMBER_MAX = 9999
SEASON_MAX = 99
WHAT_HAPPENS_MAX = 1000
WHY_MAX = 600
REASON_MAX = 400
NEAR_DUPLICATE_SIMILARITY = 88
# One typo (a letter changed, missing, extra or swapped) in a short name falls under the ratio;
# below this length one changed letter is as likely another name as a typo.
MIN_TYPO_LENGTH = 6
_DIGITS = re.compile(r"\d+")
# ASCII digits only: "²" or "٣" are digits to Python but no episode number anyone would type.
_EPISODE = re.compile(r"(?:ep(?:isode)?\.?\s*|e|#)?([0-9]{1,4})", re.IGNORECASE)
_SEASON_EPISODE = re.compile(
    r"(?:s(?:eason)?\.?\s*)?([0-9]{1,2})\s*(?:[x×]|,?\s*e(?:p(?:isode)?)?\.?)\s*([0-9]{1,4})", re.IGNORECASE
)
_CANONICAL_EPISODE = re.compile(r"(?:([0-9]{1,2})x)?([0-9]{1,4})")


class Format(StrEnum):
    TV = "tv"
    ONA = "ona"
    SPECIAL = "special"
    MOVIE = "movie"
    OVA = "ova"
    UNKNOWN = "unknown"
    # Known only from the catalogue, never asked: an OVA or a special with several episodes.
    OVA_SERIES = "ova_series"
    SPECIAL_SERIES = "special_series"

    @property
    def label(self) -> str:
        return FORMAT_LABELS[self]

    @property
    def eligible(self) -> bool:
        """The list counts multi-episode shows only: no movies, one-off OVAs or specials."""
        return self not in (Format.MOVIE, Format.OVA, Format.SPECIAL)


FORMAT_LABELS = {
    Format.TV: "TV series",
    Format.ONA: "ONA (web series)",
    Format.SPECIAL: "One-off special",
    Format.MOVIE: "Movie",
    Format.OVA: "One-off OVA",
    Format.UNKNOWN: "Not sure",
    Format.OVA_SERIES: "OVA series",
    Format.SPECIAL_SERIES: "Series of specials",
}
ASKED_FORMATS = (Format.TV, Format.ONA, Format.SPECIAL, Format.MOVIE, Format.OVA, Format.UNKNOWN)


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


@dataclass(frozen=True, slots=True)
class Draft:
    """What a member typed, verbatim (trimmed); the spoiler module makes it safe when shown."""

    show: str
    moment: str
    episode: str | None
    what_happens: str
    why: str
    format: Format

    @property
    def show_key(self) -> str:
        return compact(self.show)

    def texts(self) -> tuple[str, ...]:
        return tuple(t for t in (self.show, self.moment, self.episode, self.what_happens, self.why) if t)

    @property
    def moment_key(self) -> str:
        return compact(self.moment)


@dataclass(frozen=True, slots=True)
class Nomination:
    id: int
    guild_id: int
    number: int
    list_id: str
    author_id: int
    show: str
    moment: Spoiler
    episode: str | None
    what_happens: Spoiler
    why: Spoiler
    format: Format
    represented_by: str | None
    status: Status
    merged_into: int | None
    seconds: int
    channel_id: int | None
    message_id: int | None
    created_at: datetime
    # A title Namida may show where Discord can't hide text: the list's own title for a show on
    # the list, or the one a moderator confirmed on approval. None: only the member's text.
    public_show: str | None = None
    revision: int = 1  # +1 on every author edit, so a moderator acts on the version they saw
    catalogue_key: str | None = None  # its show's anime catalogue entry (first source URL), if known

    @property
    def is_open(self) -> bool:
        return self.status is Status.PENDING


def public_handle(nomination: Nomination, hide_shows: bool = False) -> str:
    """The one spoiler-free name of a nomination, for every surface Discord cannot hide: the
    number, and the show only by a known title (never the member's own text)."""
    if hide_shows or not nomination.public_show:
        return f"Nomination #{nomination.number}"
    return f"Nomination #{nomination.number} · {inert(nomination.public_show, SHOW_MAX)}"


def show_name(title: str) -> str:
    """A catalogue title as a show's name (typed back, stored, posted): whole when it fits, else cut
    with an ellipsis; the catalogue index knows the cut form as one of the show's names."""
    return title if len(title) <= SHOW_MAX else shorten(title, SHOW_MAX)


def show_is_hidden(nomination: Nomination, hide_shows: bool = False) -> bool:
    """Whether the handle leaves the show out, so it belongs inside spoiler bars instead."""
    return hide_shows or not nomination.public_show


def show_digest(show_key: str) -> str:
    """A short, stable stand-in for a show key where the key itself may not fit (a custom_id)."""
    return hashlib.blake2b(show_key.encode(), digest_size=8).hexdigest()


def list_place(entry: Entry, hide_shows: bool = False) -> str:
    """Where a show sits on the list ("#10 · Madoka Magica"), without its title when shows are spoilers."""
    if not hide_shows:
        return entry.handle
    return HONORABLE if entry.rank is None else f"#{entry.rank}"


def parse_episode(text: str) -> str | None:
    """``"12"`` or ``"2x05"`` for an episode typed as a number or a season and episode
    (``Ep 12``, ``2x5``, ``S2E5``, ``Season 2 Episode 5``); None for anything else."""
    typed = " ".join(text.split())
    if match := _EPISODE.fullmatch(typed):
        number = int(match[1])
        return str(number) if 1 <= number <= EPISODE_NUMBER_MAX else None
    if match := _SEASON_EPISODE.fullmatch(typed):
        season, number = int(match[1]), int(match[2])
        if 1 <= season <= SEASON_MAX and 1 <= number <= EPISODE_NUMBER_MAX:
            return f"{season}x{number:02d}"
    return None


def episode_label(episode: str) -> str | None:
    """``Episode 12`` or ``Season 2, episode 5`` for a stored episode; None for free text kept
    from before episodes were checked (it is member text, shown only inside spoiler bars)."""
    match = _CANONICAL_EPISODE.fullmatch(episode)
    if match is None:
        return None
    if match[1] is None:
        return f"Episode {int(match[2])}"
    return f"Season {int(match[1])}, episode {int(match[2])}"


def confirm_show_title(text: str) -> str:
    """The public title a moderator confirmed, made inert (no markup, no mentions) and checked."""
    title = inert(text)
    if not compact(title):
        raise UserFacingError("The public show title can't be empty or only symbols.", (text,) if text.strip() else ())
    if len(title) > SHOW_MAX:
        raise UserFacingError(
            f"The public show title is {len(title)} characters; please keep it under {SHOW_MAX}.", (text,)
        )
    return title


class NominationChanged(UserFacingError):
    """The author edited the nomination after the moderator was shown it."""

    def __init__(self, current: Nomination) -> None:
        super().__init__(
            f"**Nomination #{current.number}** was edited by its author after you opened it, so I did nothing. "
            "Here is the new version: please decide again."
        )
        self.current = current


def check_revision(nomination: Nomination, seen_revision: int | None) -> None:
    """Refuse a decision taken on an older version than the stored one (None: nothing to compare)."""
    if seen_revision is not None and seen_revision != nomination.revision:
        raise NominationChanged(nomination)


class NominationRefused(UserFacingError):
    """A submission that can't be accepted; the member's text is echoed back to them."""

    def __init__(self, message: str, draft: Draft | None = None) -> None:
        super().__init__(message, draft.texts() if draft else ())
        self.draft = draft


class AlreadyNominated(UserFacingError):
    def __init__(self, existing: Nomination, draft: Draft) -> None:
        super().__init__(
            f"**{public_handle(existing)}** already nominates that moment. You can second it instead.", draft.texts()
        )
        self.existing = existing
        self.draft = draft


def make_draft(show: str, moment: str, episode: str | None, what_happens: str, why: str, fmt: Format) -> Draft:
    """A Draft from form fields, refusing blank or over-long text with the member's text kept."""
    draft = Draft(
        show=_tidy(show),
        moment=_tidy(moment),
        episode=_tidy(episode or "") or None,
        what_happens=_tidy(what_happens),
        why=_tidy(why),
        format=fmt,
    )
    for name, value, limit in (
        ("The show", draft.show, SHOW_MAX),
        ("The moment", draft.moment, MOMENT_MAX),
        ("What happens", draft.what_happens, WHAT_HAPPENS_MAX),
        ("Why it moved you", draft.why, WHY_MAX),
    ):
        if not value or not compact(value):
            raise NominationRefused(f"Please fill in *{name}*: it can't be empty or only symbols.", draft)
        if len(value) > limit:
            raise NominationRefused(f"*{name}* is {len(value)} characters; please keep it under {limit}.", draft)
    if draft.episode is None:
        return draft
    episode = parse_episode(draft.episode)
    if episode is None:
        raise NominationRefused(
            "*Episode* must be a number like `12`, or a season and episode like `2x05`, or left empty. "
            "Everything you typed is below, so nothing is lost.",
            draft,
        )
    return replace(draft, episode=episode)


def _tidy(text: str) -> str:
    """Stored verbatim but for surrounding blank space: cleaning happens only when shown."""
    return text.strip()


@dataclass(frozen=True, slots=True)
class Checked:
    """A draft that passed the list's rules; ``represented_by`` is the list entry for its show."""

    draft: Draft
    represented_by: str | None
    known_show: str | None = None  # the list's own title for the show, or the catalogue's
    catalogue_key: str | None = None  # the show's catalogue entry, when it is one for sure


class CatalogueShow(Protocol):
    """What the rules need of a catalogue entry (``bot.domain.anime.Anime``): key, titles, pages."""

    @property
    def key(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def names(self) -> tuple[str, ...]: ...
    @property
    def sources(self) -> tuple[str, ...]: ...


def list_entry_for(top_list: TopList, show: str, catalogued: CatalogueShow | None = None) -> Entry | None:
    """The list's entry for a show: by its catalogue entry (the list's ``catalogue:`` keys), then by
    any of its titles, ignoring case and punctuation."""
    if catalogued is not None:
        found = top_list.catalogue_entry(catalogued.sources)
        found = found or next(filter(None, (top_list.show_entry(name) for name in catalogued.names)), None)
        if found is not None:
            return found
    return top_list.show_entry(show)


def check_rules(
    draft: Draft, top_list: TopList, settings: GuildSettings, catalogued: CatalogueShow | None = None
) -> Checked:
    """Apply the list's rules: multi-episode shows only, and one mention per show."""
    if not draft.format.eligible:
        raise NominationRefused(
            f"Sorry, the list only counts multi-episode shows. Its rule: *{top_list.rules.series_only}*",
            draft,
        )
    on_list = list_entry_for(top_list, draft.show, catalogued)
    if on_list is not None and not settings.allow_listed_shows:
        raise NominationRefused(
            f"That show is already on the list as **{list_place(on_list, settings.show_titles_are_spoilers)}**,"
            " and this server only takes "
            f"shows that aren't. The list's rule: *{top_list.rules.one_per_show}*",
            draft,
        )
    # The handle's title is a known one: the list's own, else the catalogue's (never the member's).
    known_show = on_list.show if on_list else show_name(catalogued.title) if catalogued else None
    key = catalogued.key if catalogued else None
    return Checked(draft, on_list.key if on_list else None, known_show, key)


def check_member_limits(
    open_count: int,
    last_submitted: datetime | None,
    settings: GuildSettings,
    now: datetime,
    draft: Draft | None = None,
) -> None:
    if open_count >= settings.max_open_nominations:
        raise NominationRefused(
            f"You already have {open_count} nominations waiting for review (the limit here is "
            f"{settings.max_open_nominations}). Withdraw one, or wait until a moderator reviews them.",
            draft,
        )
    if last_submitted is not None:
        wait = last_submitted + timedelta(seconds=settings.cooldown_seconds) - now
        if wait > timedelta(0):
            seconds = max(1, round(wait.total_seconds()))
            raise NominationRefused(f"Please wait {seconds} s before nominating again.", draft)


def near_duplicate(draft: Draft, same_show: list[Nomination]) -> Nomination | None:
    """An open nomination of the same show whose moment name is nearly the same."""
    wanted = draft.moment_key
    best, best_score = None, 0.0
    for nomination in same_show:
        if nomination.status not in (Status.PENDING, Status.APPROVED):
            continue
        theirs = compact(nomination.moment.reveal())
        if _DIGITS.findall(theirs) != _DIGITS.findall(wanted):  # "Part 1 finale" is not "Part 2 finale"
            continue
        score = fuzz.ratio(wanted, theirs)
        close = score >= NEAR_DUPLICATE_SIMILARITY or _one_typo_apart(wanted, theirs)
        if close and score > best_score:
            best, best_score = nomination, score
    return best


def _one_typo_apart(wanted: str, theirs: str) -> bool:
    return min(len(wanted), len(theirs)) >= MIN_TYPO_LENGTH and OSA.distance(wanted, theirs, score_cutoff=1) <= 1
