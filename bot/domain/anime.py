"""The anime catalogue (manami-project's anime-offline-database format), as rules see it.

Parsing is strict about what Namida relies on (titles, type, episodes, sources) and lenient about
the rest, so a weekly release with a new optional field still loads. Pure: no I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.nominations import Format, show_name
from bot.domain.spoilers import plain, shorten
from bot.domain.text import normalise

TITLE_MAX = 100  # a title in a sentence; the longest catalogue titles are far longer
LABEL_MAX = 100  # a menu option's label and a suggestion's name, at most (Discord's limit for both)

CREDIT = (
    "Show titles, types and episode counts come from the anime-offline-database by manami-project "
    "(https://github.com/manami-project/anime-offline-database), under the Open Database License (ODbL) 1.0."
)


class AnimeType(StrEnum):
    TV = "TV"
    MOVIE = "MOVIE"
    OVA = "OVA"
    ONA = "ONA"
    SPECIAL = "SPECIAL"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True)
class Anime:
    key: str  # its first source URL: stable across releases, one show however it is spelled
    title: str
    synonyms: tuple[str, ...]
    type: AnimeType
    episodes: int  # 0 when unknown (an upcoming show)
    year: int | None
    thumbnail: str | None
    sources: tuple[str, ...] = ()  # every page about it (the key first): a list may name any of them

    @property
    def page(self) -> str | None:
        """A web page about the show (its first source), for a link; None if the key is no URL."""
        return self.key if self.key.startswith("https://") else None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.synonyms)

    @property
    def short_title(self) -> str:
        """Its title as a show's name: the whole title when it fits the limit for one."""
        return show_name(self.title)

    @property
    def label(self) -> str:
        """A short, spoiler-free description for menus: "Clannad: After Story (TV, 2008, 24 eps)";
        a long title is cut rather than the details."""
        details = [self.type.value if self.type is not AnimeType.UNKNOWN else "type unknown"]
        if self.year:
            details.append(str(self.year))
        if self.episodes:
            details.append(f"{self.episodes} ep" + ("s" if self.episodes != 1 else ""))
        suffix = f" ({', '.join(details)})"
        return shorten(self.title, LABEL_MAX - len(suffix)) + suffix


@dataclass(frozen=True, slots=True)
class CatalogueFile:
    last_update: str
    licence: str
    anime: tuple[Anime, ...]


class CatalogueProblem(ValueError):
    """The file is not a usable catalogue; the message names where."""


def parse_catalogue(document: object) -> CatalogueFile:
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise CatalogueProblem("the root must be an object with a 'data' list")
    last_update = document.get("lastUpdate")
    licence = document.get("license")
    licence_name = licence.get("name") if isinstance(licence, dict) else None
    anime = tuple(_anime(index, entry) for index, entry in enumerate(document["data"]))
    if not anime:
        raise CatalogueProblem("'data' is empty")
    return CatalogueFile(
        last_update=last_update if isinstance(last_update, str) else "unknown",
        licence=licence_name if isinstance(licence_name, str) else "unknown licence",
        anime=anime,
    )


def _anime(index: int, entry: object) -> Anime:
    where = f"data[{index}]"
    if not isinstance(entry, dict):
        raise CatalogueProblem(f"{where} must be an object")
    sources, title, kind, episodes = (entry.get(k) for k in ("sources", "title", "type", "episodes"))
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s for s in sources):
        raise CatalogueProblem(f"{where}: 'sources' must be a non-empty list of URLs")
    if not isinstance(title, str) or not normalise(title):
        raise CatalogueProblem(f"{where}: 'title' must be a non-empty text")
    if not isinstance(kind, str) or kind not in AnimeType.__members__:
        raise CatalogueProblem(f"{where}: 'type' must be one of {', '.join(AnimeType)} (got {kind!r})")
    if not isinstance(episodes, int) or isinstance(episodes, bool) or episodes < 0:
        raise CatalogueProblem(f"{where}: 'episodes' must be a whole number ≥ 0")
    synonyms = entry.get("synonyms") or []
    if not isinstance(synonyms, list):
        raise CatalogueProblem(f"{where}: 'synonyms' must be a list")
    season = entry.get("animeSeason")
    year = season.get("year") if isinstance(season, dict) else None
    thumbnail = entry.get("thumbnail")
    return Anime(
        key=sources[0],
        title=title.strip(),
        synonyms=tuple(s.strip() for s in synonyms if isinstance(s, str) and normalise(s)),
        type=AnimeType(kind),
        episodes=episodes,
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        thumbnail=thumbnail if isinstance(thumbnail, str) and thumbnail.startswith("https://") else None,
        sources=tuple(sources),
    )


def one_off_problem(anime: Anime) -> str | None:
    """The list's rule "multi-episode shows only", decided from the catalogue; None if it passes.
    UNKNOWN is left to the member's answer, as without a catalogue."""
    if anime.type is AnimeType.MOVIE:
        return f"**{plain(anime.title, TITLE_MAX)}** is a movie, and the list counts multi-episode shows only."
    if anime.type in (AnimeType.SPECIAL, AnimeType.OVA, AnimeType.ONA) and anime.episodes == 1:
        return (
            f"**{plain(anime.title, TITLE_MAX)}** is a one-off {anime.type.value} (one episode): "
            "the list counts multi-episode shows only."
        )
    return None


def episode_problem(anime: Anime, episode: int) -> str | None:
    """An episode past the show's last, when the catalogue knows how many there are."""
    if anime.episodes and episode > anime.episodes:
        return f"**{plain(anime.title, TITLE_MAX)}** has {anime.episodes} episodes, so there is no episode {episode}."
    return None


SERIES_FORMATS = {
    AnimeType.TV: Format.TV,
    AnimeType.ONA: Format.ONA,
    AnimeType.OVA: Format.OVA_SERIES,
    AnimeType.SPECIAL: Format.SPECIAL_SERIES,
}


def known_format(anime: Anime) -> Format | None:
    """What kind of show the catalogue says it is, for a show that passed ``one_off_problem``;
    None when the member has to be asked (type UNKNOWN, or an OVA, ONA or special whose episode
    count is not known yet, so it may be a one-off). A TV series counts however many episodes."""
    if anime.type is AnimeType.TV:
        return Format.TV
    if anime.type in SERIES_FORMATS and anime.episodes > 1:
        return SERIES_FORMATS[anime.type]
    return None
