"""Finding a list a member names: a shipped list, or one of this server's own lists (never
another server's). Used by the lookups, their buttons and autocomplete."""

from __future__ import annotations

from typing import Any

from bot.domain.catalog import TopList
from bot.domain.errors import UnknownList
from bot.domain.text import normalise


async def find_list(bot: Any, guild_id: int | None, wanted: str | None) -> TopList:
    """The list with this id or title; the first shipped list when nothing is named."""
    catalog = bot.catalog
    if wanted is None or not wanted.strip():
        return catalog.default
    shipped = next(
        (t for t in catalog.lists if t.id == wanted.strip() or normalise(t.title) == normalise(wanted)), None
    )
    if shipped is not None:
        return shipped
    if guild_id is not None:
        own = await bot.server_lists.find(guild_id, wanted)
        if own is not None:
            settings = await bot.guild_settings.get(guild_id)
            return own.top_list(hide_nominated_shows=settings.show_titles_are_spoilers)
    names = [t.title for t in catalog.lists]
    if guild_id is not None:
        names += [name for _, name in await bot.server_lists.names(guild_id)]
    raise UnknownList(wanted.strip(), names)


async def list_choices(bot: Any, guild_id: int | None, query: str) -> list[tuple[str, str]]:
    """(id, title) of the shipped lists, then this server's lists, whose title or id holds ``query``."""
    wanted = normalise(query)
    found = [(t.id, t.title) for t in bot.catalog.lists]
    if guild_id is not None:
        found += await bot.server_lists.names(guild_id)
    return [(list_id, title) for list_id, title in found if wanted in normalise(title) or wanted in list_id]

