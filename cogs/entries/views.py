"""Persistent buttons and menus for entries. Only ids live in the ``custom_id``; after a restart
the same ids resolve against the loaded lists, so old messages keep working."""

from __future__ import annotations

import discord

from bot.app import Interaction
from bot.components import Components
from bot.custom_ids import CustomId, one_of, slug
from bot.domain import limits
from bot.domain.catalog import Entry, TopList
from bot.domain.errors import StaleComponent, UnknownList
from bot.domain.spoilers import shorten
from bot.funnel import payload_data
from bot.server_list_lookup import find_list
from bot.ui import FunnelledItem
from cogs.entries import render

KEY = slug(32)


def entry_message(top_list: TopList, entry: Entry) -> dict:
    """Keyword arguments for sending or editing a message that shows one entry."""
    view = Components()
    before, after = top_list.neighbours(entry)
    if before:
        view.add_item(GoToEntryButton(top_list.id, before, arrow="◀"))
    view.add_item(RevealButton(top_list.id, entry))
    if after:
        view.add_item(GoToEntryButton(top_list.id, after, arrow="▶"))
    return {"embed": render.entry_embed(top_list, entry), "view": view}


def overview_view(top_list: TopList, *, ranked: bool = True, honorable: bool = True) -> discord.ui.View:
    view = Components()
    sections = [
        (name, render.overview_part(entries))
        for name, entries, wanted in (("ranked", top_list.ranked, ranked), ("honorable", top_list.honorable, honorable))
        if entries and wanted
    ]
    shown = tuple(entry for _, entries in sections for entry in entries)
    # One menu holds 25 options; a longer list gets one menu per section.
    if len(shown) <= limits.SELECT_OPTIONS:
        view.add_item(PickEntrySelect(top_list.id, "all", shown))
    else:
        for section, entries in sections:
            view.add_item(PickEntrySelect(top_list.id, section, entries))
    return view


async def resolve(interaction: Interaction, list_id: str, key: str) -> tuple[TopList, Entry]:
    """The list and entry a component points at, or StaleComponent if either is gone (a list
    file removed, a server list deleted)."""
    try:
        top_list = await find_list(interaction.client, interaction.guild_id, list_id)
    except UnknownList:
        raise StaleComponent() from None
    entry = top_list.entry(key)
    if entry is None:
        raise StaleComponent()
    return top_list, entry


def _asked_by(message: discord.Message | None, user: discord.abc.User) -> bool:
    if message is None:
        return False
    if message.flags.ephemeral:
        return True
    meta = message.interaction_metadata
    return meta is not None and meta.user.id == user.id


class GoToEntryButton(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Button],
    custom_id=CustomId("entry:{list_id}:{entry}:go", list_id=KEY, entry=KEY),
):
    """Previous/next entry. The member who asked moves their own message along; anyone else
    gets a private copy, so nobody can flip a shared message under other people's eyes."""

    def __init__(self, list_id: str, entry: Entry | str, *, arrow: str = "") -> None:
        key = entry if isinstance(entry, str) else entry.key
        label = "Open" if isinstance(entry, str) else shorten(f"{arrow} {entry.handle}".strip(), limits.BUTTON_LABEL)
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, custom_id=self.ids(list_id=list_id, entry=key)
            )
        )
        self.list_id, self.key = list_id, key

    async def run(self, interaction: Interaction) -> None:
        top_list, entry = await resolve(interaction, self.list_id, self.key)
        if _asked_by(interaction.message, interaction.user):
            await interaction.response.edit_message(**entry_message(top_list, entry))
        else:
            await interaction.response.send_message(**entry_message(top_list, entry), ephemeral=True)


class RevealButton(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Button],
    custom_id=CustomId("entry:{list_id}:{entry}:reveal", list_id=KEY, entry=KEY),
):
    """Shows the entry without spoiler bars, to the member who pressed it only."""

    def __init__(self, list_id: str, entry: Entry | str) -> None:
        key = entry if isinstance(entry, str) else entry.key
        super().__init__(
            discord.ui.Button(
                label="Reveal",
                emoji="👁️",
                style=discord.ButtonStyle.primary,
                custom_id=self.ids(list_id=list_id, entry=key),
            )
        )
        self.list_id, self.key = list_id, key

    async def run(self, interaction: Interaction) -> None:
        top_list, entry = await resolve(interaction, self.list_id, self.key)
        await interaction.response.send_message(embed=render.reveal_embed(top_list, entry), ephemeral=True)


class PickEntrySelect(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Select],
    custom_id=CustomId("list:{list_id}:pick:{section}", list_id=KEY, section=one_of("all", "ranked", "honorable")),
):
    """Opens the chosen entry privately, so browsing a shared list never floods the channel."""

    def __init__(self, list_id: str, section: str, entries: tuple[Entry, ...] = ()) -> None:
        options = [
            discord.SelectOption(label=shorten(e.handle, limits.SELECT_OPTION_LABEL), value=e.key) for e in entries
        ]
        super().__init__(
            discord.ui.Select(
                custom_id=self.ids(list_id=list_id, section=section),
                placeholder="Open an entry…",
                options=options or [discord.SelectOption(label="(none)", value="none")],
            )
        )
        self.list_id = list_id

    async def run(self, interaction: Interaction) -> None:
        values = payload_data(interaction).get("values") or [""]
        top_list, entry = await resolve(interaction, self.list_id, values[0])
        await interaction.response.send_message(**entry_message(top_list, entry), ephemeral=True)


DYNAMIC_ITEMS = (GoToEntryButton, RevealButton, PickEntrySelect)
