"""What /lists does beyond translating: the entries nominations become, the ranking a closed
poll gives a list, and reading an uploaded list file. Every refusal changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import discord

from bot.domain.polls import Kind
from bot.domain.server_lists import (
    ServerEntry,
    ServerList,
    ServerListRefused,
    default_header,
    entry_from_nomination,
    list_id_from_name,
    publish_top,
    published,
    read_import,
    refuse_duplicates,
)
from bot.domain.text import normalise
from bot.permissions import can_view_channel
from bot.poll_tally import compute_result
from bot.storage.polls import PollGone

IMPORT_MAX_BYTES = 512 * 1024  # a full list file is well under 100 KB
FILE_SUFFIXES = (".yaml", ".yml")


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_list_id(bot: Any, name: str) -> str:
    """The id a name gives, refused when a shipped list has that id or title."""
    refuse_shipped_name(bot, name)
    return list_id_from_name(name)


def refuse_shipped_name(bot: Any, name: str) -> None:
    """A server list's name may not be a shipped list's title, nor give its id."""
    same_title = any(normalise(t.title) == normalise(name) for t in bot.catalog.lists)
    if same_title or bot.catalog.find(list_id_from_name(name)):
        raise ServerListRefused("That name belongs to a list Namida ships: pick another one.")


async def create(bot: Any, guild_id: int, name: str, creator_id: int) -> ServerList:
    header = default_header(name, bot.catalog.default)
    return await bot.server_lists.create(
        guild_id, new_list_id(bot, name), name, header, creator_id, utcnow(), ranked_places=10
    )


async def nomination_entry(bot: Any, guild_id: int, number: int) -> ServerEntry:
    nomination = await bot.nominations.by_number(guild_id, number)
    return entry_from_nomination(nomination, (), guild_id)


async def publish(bot: Any, interaction: discord.Interaction, guild_id: int, poll_id: int, list_id: str) -> ServerList:
    """Gives the list the ranking of a closed poll on nominations: all its options, best first."""
    poll = await bot.polls.poll_in(guild_id, poll_id)
    if not can_view_channel(interaction, poll.channel_id):
        raise PollGone()
    if poll.kind is not Kind.NOMINATIONS:
        raise ServerListRefused(
            f"**{poll.handle}** isn't a poll on nominations, so it has no nominations to rank. "
            "Start one with `/poll nominations`."
        )
    await bot.server_lists.get(guild_id, list_id)  # an unknown list is named before the poll is counted
    nomination_ids = published(await compute_result(bot, poll))
    entries = []
    for nomination_id in nomination_ids:
        nomination = await bot.nominations.by_id(nomination_id)
        if nomination is None:
            raise ServerListRefused(f"A nomination of **{poll.handle}** no longer exists, so I changed nothing.")
        entries.append(entry_from_nomination(nomination, (), guild_id))
    ranked = tuple(entries)
    refuse_duplicates(ranked, ranking=poll.handle)
    return await bot.server_lists.change_entries(
        guild_id, list_id, lambda _current: ranked, utcnow(), ranked_places=publish_top(len(ranked))
    )


async def import_file(bot: Any, guild_id: int, attachment: discord.Attachment, creator_id: int) -> ServerList:
    if not attachment.filename.lower().endswith(FILE_SUFFIXES):
        raise ServerListRefused("Attach a list file ending in `.yaml`, like the one `/lists export` gives.")
    if attachment.size > IMPORT_MAX_BYTES:
        raise ServerListRefused(f"That file is {attachment.size:,} bytes; a list file is at most {IMPORT_MAX_BYTES:,}.")
    try:
        text = (await attachment.read()).decode("utf-8")
    except UnicodeDecodeError:
        raise ServerListRefused("That file isn't UTF-8 text, so it can't be a list file.") from None
    except discord.HTTPException:
        raise ServerListRefused("I couldn't download that file from Discord just now: try again.") from None
    name, header, top, entries = read_import(attachment.filename, text)
    return await bot.server_lists.create(
        guild_id, new_list_id(bot, name), name, header, creator_id, utcnow(), ranked_places=top, entries=entries
    )
