"""Persistent buttons for nominations: Second, Reveal, the review queue and list pages.
Every id is checked against the server the click comes from."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot.components import Components
from bot.custom_ids import CustomId, number, one_of, text
from bot.domain.nominations import GuildSettings, Nomination, Status
from bot.domain.text import compact
from bot.nomination_store import NominationGone
from bot.permissions import guild_id_of, require_moderator
from bot.ui import FunnelledItem
from cogs.nominations import render, service

PAGE_SIZE = 5
STATUS_FILTERS = ("any", *[s.value for s in Status])
NOMINATION_ID = number(18)


def nomination_view(nomination: Nomination, settings: GuildSettings) -> discord.ui.View:
    view = Components()
    if nomination.status in (Status.PENDING, Status.APPROVED):
        view.add_item(SecondButton(nomination.id))
    view.add_item(RevealNominationButton(nomination.id))
    return view


async def nomination_here(interaction: discord.Interaction, nomination_id: int) -> tuple[Nomination, GuildSettings]:
    """The nomination a component points at, refusing ids from another server or long gone."""
    guild_id = guild_id_of(interaction)
    nomination = await interaction.client.nominations.by_id(nomination_id)
    if nomination is None or nomination.guild_id != guild_id:
        raise NominationGone()
    return nomination, await interaction.client.nominations.guild_settings(guild_id)


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

    async def run(self, interaction: discord.Interaction) -> None:
        nomination, settings = await nomination_here(interaction, self.nomination_id)
        seconded, nomination = await interaction.client.nominations.toggle_second(
            nomination.id, interaction.user.id, datetime.now(UTC)
        )
        what = "You seconded" if seconded else "You took back your second for"
        await interaction.response.send_message(
            f"{what} **{render.title(nomination, settings)}** ({nomination.seconds} second(s) now).", ephemeral=True
        )
        service.refresh_post(interaction.client, nomination)


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

    async def run(self, interaction: discord.Interaction) -> None:
        nomination, settings = await nomination_here(interaction, self.nomination_id)
        await interaction.response.send_message(embed=render.reveal_embed(nomination, settings), ephemeral=True)


def review_message(nomination: Nomination | None, settings: GuildSettings) -> dict:
    if nomination is None:
        return {"content": "No nominations are waiting for review. 🎉", "embed": None, "view": None}
    view = Components()
    for action in ("approve", "reject", "merge"):
        view.add_item(ReviewButton(nomination.id, action))
    view.add_item(RevealNominationButton(nomination.id))
    embed = render.nomination_embed(nomination, settings)
    return {"content": "Oldest nomination waiting for review:", "embed": embed, "view": view}


REVIEW_STYLES = {
    "approve": ("Approve", discord.ButtonStyle.success),
    "reject": ("Reject…", discord.ButtonStyle.danger),
    "merge": ("Merge into…", discord.ButtonStyle.secondary),
}


class ReviewButton(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Button],
    custom_id=CustomId(
        "nomrev:{nomination_id}:{action}", nomination_id=NOMINATION_ID, action=one_of("approve", "reject", "merge")
    ),
):
    private_message_only = True

    def __init__(self, nomination_id: int, action: str) -> None:
        text, style = REVIEW_STYLES[action]
        custom_id = self.ids(nomination_id=nomination_id, action=action)
        super().__init__(discord.ui.Button(label=text, style=style, custom_id=custom_id))
        self.nomination_id, self.action = nomination_id, action

    async def run(self, interaction: discord.Interaction) -> None:
        from cogs.nominations import moderation  # the review actions live beside their modals

        nomination, settings = await nomination_here(interaction, self.nomination_id)
        require_moderator(interaction, settings)
        await moderation.ACTIONS[self.action](interaction, nomination, settings)


class PageButton(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Button],
    custom_id=CustomId(
        "noms:{status}:{mine}:{page}:{direction}:{show_key}",
        status=text("[a-z]", 3, 9, "z"),
        mine=number(20),
        page=number(4),
        direction=one_of("prev", "next"),
        show_key=text(r"[\w]", 0, 40, "z"),
    ),
):
    private_message_only = True

    def __init__(self, status: str, mine: int, page: int, direction: str, show_key: str) -> None:
        label = "◀ Previous" if direction == "prev" else "Next ▶"
        custom_id = self.ids(status=status, mine=mine, page=page, direction=direction, show_key=show_key)
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id))
        self.status, self.mine, self.page, self.show_key = status, mine, page, show_key

    async def run(self, interaction: discord.Interaction) -> None:
        if self.status not in STATUS_FILTERS:
            raise NominationGone()
        message = await list_page(interaction, self.status, self.mine or None, self.show_key or None, self.page)
        await interaction.response.edit_message(**message)


async def list_page(
    interaction: discord.Interaction, status: str, author_id: int | None, show_key: str | None, page: int
) -> dict:
    guild_id = guild_id_of(interaction)
    store = interaction.client.nominations
    settings = await store.guild_settings(guild_id)
    wanted = None if status == "any" else Status(status)
    rows, total = await store.page(
        guild_id, status=wanted, show_key=show_key, author_id=author_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages - 1)
    heading = "Your nominations" if author_id else "Nominations"
    embed = render.page_embed(rows, settings, page=page, pages=pages, total=total, heading=heading)
    view = Components()
    key = (show_key or "")[:40]
    if page > 0:
        view.add_item(PageButton(status, author_id or 0, page - 1, "prev", key))
    if page + 1 < pages:
        view.add_item(PageButton(status, author_id or 0, page + 1, "next", key))
    return {"embed": embed, "view": view}


def show_filter_key(show: str | None) -> str | None:
    return compact(show)[:40] or None if show else None


DYNAMIC_ITEMS = (SecondButton, RevealNominationButton, ReviewButton, PageButton)
