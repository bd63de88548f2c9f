"""The public nomination message (embed + Second/Reveal buttons, and its coalesced redraw) and the
list pages. Every id is checked against the server the click comes from. Imports no service:
services import this module to post, never the other way round."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import discord

from bot.app import Interaction, Namida
from bot.components import Components
from bot.custom_ids import CustomId, id64, number, one_of, text
from bot.domain.catalog import Catalog
from bot.domain.guild_settings import GuildSettings
from bot.domain.nominations import Nomination, Status, list_place, show_digest, show_is_hidden
from bot.domain.text import compact
from bot.permissions import guild_id_of
from bot.storage.nominations import NominationGone
from bot.ui import FunnelledItem
from cogs.nominations import render

PAGE_SIZE = 5
STATUS_FILTERS = ("any", *[s.value for s in Status])
NOMINATION_ID = number(18)


def nomination_view(nomination: Nomination, settings: GuildSettings) -> discord.ui.View:
    view = Components()
    if nomination.status in (Status.PENDING, Status.APPROVED):
        view.add_item(SecondButton(nomination.id))
    view.add_item(RevealNominationButton(nomination.id))
    return view


async def public_message(bot: Namida, nomination: Nomination, settings: GuildSettings) -> dict[str, Any]:
    top_list = bot.catalog.find(nomination.list_id)
    entry = top_list.entry(nomination.represented_by) if top_list and nomination.represented_by else None
    represented = list_place(entry, settings.show_titles_are_spoilers) if entry else None
    embed = render.nomination_embed(nomination, settings, represented_by=represented)
    if nomination.catalogue_key and not show_is_hidden(nomination, settings.show_titles_are_spoilers):
        # The show is named on the post anyway: its catalogue page and picture say no more.
        anime = await bot.anime_catalogue.by_key(nomination.catalogue_key)
        render.add_show_page(embed, nomination.catalogue_key, anime.thumbnail if anime else None)
    return {"embed": embed, "view": nomination_view(nomination, settings)}


def refresh_post(bot: Namida, nomination: Nomination) -> None:
    """Re-render the public post soon (coalesced), from the state stored when the edit runs."""
    if nomination.channel_id is None or nomination.message_id is None:
        return
    channel_id, message_id, nomination_id = nomination.channel_id, nomination.message_id, nomination.id

    async def edit() -> None:
        current = await bot.nominations.by_id(nomination_id)
        if current is None:  # nominations are kept for good; nothing to draw if one ever goes
            return
        settings = await bot.guild_settings.get(current.guild_id)
        message = bot.get_partial_messageable(channel_id).get_partial_message(message_id)
        await message.edit(**await public_message(bot, current, settings))

    bot.refresher.request(("nomination", nomination_id), edit)


async def nomination_here(interaction: Interaction, nomination_id: int) -> tuple[Nomination, GuildSettings]:
    """The nomination a component points at, refusing ids from another server or long gone."""
    guild_id = guild_id_of(interaction)
    nomination = await interaction.client.nominations.by_id(nomination_id)
    if nomination is None or nomination.guild_id != guild_id:
        raise NominationGone()
    return nomination, await interaction.client.guild_settings.get(guild_id)


class SecondButton(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Button],
    custom_id=CustomId("nom:{nomination_id}:second", nomination_id=NOMINATION_ID),
):
    """A toggle: the first click seconds, the next takes it back. The public count is refreshed
    by a coalesced edit, so a rush of clicks never runs into rate limits."""

    def __init__(self, nomination_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Second",
                emoji="🙋",
                style=discord.ButtonStyle.success,
                custom_id=self.ids(nomination_id=nomination_id),
            )
        )
        self.nomination_id = nomination_id

    async def run(self, interaction: Interaction) -> None:
        nomination, settings = await nomination_here(interaction, self.nomination_id)
        seconded, nomination = await interaction.client.nominations.toggle_second(
            nomination.id, interaction.user.id, datetime.now(UTC)
        )
        what = "You seconded" if seconded else "You took back your second for"
        await interaction.response.send_message(
            f"{what} **{render.title(nomination, settings)}** ({nomination.seconds} second(s) now).", ephemeral=True
        )
        refresh_post(interaction.client, nomination)


class RevealNominationButton(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Button],
    custom_id=CustomId("nom:{nomination_id}:reveal", nomination_id=NOMINATION_ID),
):
    def __init__(self, nomination_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Reveal",
                emoji="👁️",
                style=discord.ButtonStyle.secondary,
                custom_id=self.ids(nomination_id=nomination_id),
            )
        )
        self.nomination_id = nomination_id

    async def run(self, interaction: Interaction) -> None:
        nomination, settings = await nomination_here(interaction, self.nomination_id)
        await interaction.response.send_message(embed=render.reveal_embed(nomination, settings), ephemeral=True)


class PageButton(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Button],
    # A digest of the show filter, not the filter itself: a key cut to fit would never match a long title.
    custom_id=CustomId(
        "noms:{status}:{mine}:{page}:{direction}:{show_digest}",
        status=text("[a-z]", 3, 9, "z"),
        mine=id64(),
        page=number(4),
        direction=one_of("prev", "next"),
        show_digest=text("[0-9a-f]", 0, 16, "f"),
    ),
):
    private_message_only = True

    def __init__(self, status: str, mine: int, page: int, direction: str, show_digest: str) -> None:
        label = "◀ Previous" if direction == "prev" else "Next ▶"
        custom_id = self.ids(status=status, mine=mine, page=page, direction=direction, show_digest=show_digest)
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id))
        self.status, self.mine, self.page, self.show_digest = status, mine, page, show_digest

    async def run(self, interaction: Interaction) -> None:
        if self.status not in STATUS_FILTERS:
            raise NominationGone()
        show_key = await _show_key_for(interaction, self.show_digest) if self.show_digest else None
        message = await list_page(interaction, self.status, self.mine or None, show_key, self.page)
        await interaction.response.edit_message(**message)


async def _show_key_for(interaction: Interaction, digest: str) -> str:
    """The show key a page button's digest stands for; one that matches nothing if none does."""
    guild_id = guild_id_of(interaction)
    keys = await interaction.client.nominations.show_keys(guild_id)
    keys += [compact(t) for top_list in interaction.client.catalog.lists for e in top_list.entries for t in e.titles]
    # A catalogue title nobody typed as such is still a nomination's public title here.
    keys += [compact(title) for title in await interaction.client.nominations.public_shows(guild_id)]
    return next((key for key in keys if show_digest(key) == digest), NO_SHOW)


NO_SHOW = "#"  # no show's key (keys have no punctuation): the filter matches nothing


def same_show_keys(catalog: Catalog, show_key: str) -> list[str]:
    """The key itself and, for a show on a list, the keys of all its titles."""
    keys = {show_key}
    for top_list in catalog.lists:
        entry = top_list.show_entry(show_key)
        if entry is not None:
            keys.update(compact(t) for t in entry.titles)
    return sorted(keys)


async def show_filter(bot: Namida, show_key: str) -> tuple[list[str], list[str]]:
    """The spellings and catalogue entries a show filter stands for: the show's titles on the
    lists, and the catalogue entries named so (with all their titles)."""
    keys = set(same_show_keys(bot.catalog, show_key))
    entries = list(await bot.anime_catalogue.exact(show_key) or [])
    for top_list in bot.catalog.lists:
        entry = top_list.show_entry(show_key)
        if entry is not None and entry.catalogue:
            found = await bot.anime_catalogue.by_source(entry.catalogue)
            entries += [found] if found else []
    for anime in entries:
        keys.update(compact(name) for name in anime.names)
    return sorted(keys), sorted({anime.key for anime in entries})


async def list_page(
    interaction: Interaction, status: str, author_id: int | None, show_key: str | None, page: int
) -> dict:
    guild_id = guild_id_of(interaction)
    store = interaction.client.nominations
    settings = await interaction.client.guild_settings.get(guild_id)
    wanted = None if status == "any" else Status(status)
    show_keys, catalogue_keys = await show_filter(interaction.client, show_key) if show_key else (None, None)
    rows, total = await store.page(
        guild_id,
        status=wanted,
        show_keys=show_keys,
        author_id=author_id,
        offset=page * PAGE_SIZE,
        limit=PAGE_SIZE,
        catalogue_keys=catalogue_keys,
    )
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages - 1)
    heading = "Your nominations" if author_id else "Nominations"
    embed = render.page_embed(rows, settings, page=page, pages=pages, total=total, heading=heading)
    view = Components()
    digest = show_digest(show_key) if show_key else ""
    if page > 0:
        view.add_item(PageButton(status, author_id or 0, page - 1, "prev", digest))
    if page + 1 < pages:
        view.add_item(PageButton(status, author_id or 0, page + 1, "next", digest))
    return {"embed": embed, "view": view}


DYNAMIC_ITEMS = (SecondButton, RevealNominationButton, PageButton)
