"""/nominate and /nominations: readers nominate moments, second them, and moderators review."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Interaction, Namida
from bot.domain import limits
from bot.domain.errors import UserFacingError
from bot.domain.nomination_changes import LIVE
from bot.domain.nominations import SHOW_MAX, Status
from bot.domain.spoilers import inert, shorten
from bot.domain.text import compact
from bot.list_choices import chosen_list, list_autocomplete
from bot.permissions import NotModerator, guild_id_of, is_moderator, require_moderator
from cogs.nominations import render
from cogs.nominations.forms import NominationForm
from cogs.nominations.moderation import review_message
from cogs.nominations.show_choice import OpenPicks, member_settings, start_nomination
from cogs.nominations.views import list_page, public_message, refresh_post

StatusFilter = Literal["any", "pending", "approved", "rejected", "withdrawn", "merged"]


async def show_autocomplete(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The list's shows and alternate titles, then the known titles of shows nominated here, then
    the anime catalogue's matches, so members converge on one spelling. A title only a member typed
    is never offered to others: it may be a spoiler until a moderator confirms it."""
    bot = interaction.client
    top_list = chosen_list(interaction)
    titles = [t for e in top_list.entries for t in e.titles]
    if interaction.guild_id:
        titles += await bot.nominations.public_shows(interaction.guild_id)
    wanted = compact(current)
    named = [(title, title) for title in titles if not wanted or wanted in compact(title)]
    # Then the catalogue (titles there are catalogue facts, safe to offer); nothing while it loads.
    found = await bot.anime_catalogue.search(current, limits.AUTOCOMPLETE_CHOICES) if wanted else None
    named += [(anime.short_title, anime.label) for anime in found or []]
    seen, choices = set(), []
    for title, name in named:
        key = compact(title)
        if key in seen:
            continue
        seen.add(key)
        value = title[: limits.CHOICE_VALUE]
        choices.append(app_commands.Choice(name=shorten(inert(name), limits.CHOICE_NAME), value=value))
    return choices[: limits.AUTOCOMPLETE_CHOICES]


async def number_autocomplete(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
    if interaction.guild_id is None:
        return []
    bot = interaction.client
    settings = await bot.guild_settings.get(interaction.guild_id)
    rows, _ = await bot.nominations.page(
        interaction.guild_id, status=None, show_keys=None, author_id=None, offset=0, limit=200
    )
    digits = current.strip().lstrip("#")
    found = [n for n in rows if not digits or str(n.number).startswith(digits)]
    found.sort(key=lambda n: -n.number)
    return [
        app_commands.Choice(name=render.label(n, settings, limits.CHOICE_NAME), value=n.number)
        for n in found[: limits.AUTOCOMPLETE_CHOICES]
    ]


class Nominate(commands.Cog):
    """The top-level /nominate: the post ends by asking readers for exactly this."""

    def __init__(self, bot: Namida) -> None:
        self.bot = bot
        self.picks = OpenPicks()  # the show menus open right now

    @app_commands.command(name="nominate", description="Nominate a sad anime moment that moved you")
    @app_commands.guild_only()
    @app_commands.rename(list_id="list")
    @app_commands.describe(show="The show (pick one, or type it)", list_id="Which list it's for (default: the first)")
    @app_commands.autocomplete(show=show_autocomplete, list_id=list_autocomplete)
    async def nominate(
        self,
        interaction: Interaction,
        show: app_commands.Range[str, 1, SHOW_MAX],
        list_id: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        top_list = self.bot.catalog.get(list_id)
        if not compact(show):
            raise UserFacingError("Tell me which show: its title can't be only symbols or spaces.")
        settings = await member_settings(interaction)
        await start_nomination(interaction, top_list, show.strip(), settings, self.picks)


@app_commands.guild_only()
class Nominations(commands.GroupCog, group_name="nominations", group_description="Reader nominations"):
    def __init__(self, bot: Namida) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="list", description="Browse this server's nominations, most-seconded first")
    @app_commands.describe(status="Only nominations with this status", show="Only this show", mine="Only yours")
    @app_commands.autocomplete(show=show_autocomplete)
    async def list_nominations(
        self,
        interaction: Interaction,
        status: StatusFilter = "any",
        show: app_commands.Range[str, 1, SHOW_MAX] | None = None,
        mine: bool = False,
    ) -> None:
        author = interaction.user.id if mine else None
        message = await list_page(interaction, status, author, compact(show) if show else None, 0)
        await interaction.response.send_message(**message, ephemeral=True)

    @app_commands.command(name="show", description="One nomination, spoilers hidden")
    @app_commands.describe(id="The nomination number", ephemeral="Only you see the answer")
    @app_commands.autocomplete(id=number_autocomplete)
    async def show_one(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1, 10**9], ephemeral: bool = False  # noqa: A002 - the option members type is id:
    ) -> None:
        guild_id = guild_id_of(interaction)
        nomination = await self.bot.nominations.by_number(guild_id, id)
        settings = await self.bot.guild_settings.get(guild_id)
        message = await public_message(self.bot, nomination, settings)
        await interaction.response.send_message(**message, ephemeral=ephemeral)

    @app_commands.command(name="withdraw", description="Withdraw a nomination (yours, or any if you moderate)")
    @app_commands.describe(id="The nomination number")
    @app_commands.autocomplete(id=number_autocomplete)
    async def withdraw(self, interaction: discord.Interaction, id: app_commands.Range[int, 1, 10**9]) -> None:  # noqa: A002 - the option members type is id:
        guild_id = guild_id_of(interaction)
        store = self.bot.nominations
        nomination = await store.by_number(guild_id, id)
        settings = await self.bot.guild_settings.get(guild_id)
        if nomination.author_id != interaction.user.id and not is_moderator(interaction, settings):
            raise NotModerator()
        done = await store.change_status(
            nomination.id, Status.WITHDRAWN, interaction.user.id, datetime.now(UTC), allowed_from=LIVE
        )
        await interaction.response.send_message(f"Withdrew **{render.title(done, settings)}**.", ephemeral=True)
        refresh_post(self.bot, done)

    @app_commands.command(name="edit", description="Edit your nomination while it waits for review")
    @app_commands.describe(id="The nomination number")
    @app_commands.autocomplete(id=number_autocomplete)
    async def edit(self, interaction: discord.Interaction, id: app_commands.Range[int, 1, 10**9]) -> None:  # noqa: A002 - the option members type is id:
        guild_id = guild_id_of(interaction)
        store = self.bot.nominations
        nomination = await store.by_number(guild_id, id)
        if nomination.author_id != interaction.user.id:
            raise UserFacingError("Only the member who nominated it can edit a nomination.")
        if nomination.status is not Status.PENDING:
            raise UserFacingError("Only nominations still waiting for review can be edited.")
        settings = await self.bot.guild_settings.get(guild_id)
        top_list = self.bot.catalog.find(nomination.list_id) or self.bot.catalog.default
        anime = await self.bot.anime_catalogue.by_key(nomination.catalogue_key) if nomination.catalogue_key else None
        form = NominationForm(top_list, settings, nomination.show, nomination.format, current=nomination, anime=anime)
        await form.send_to(interaction)

    # Discord applies default_member_permissions to whole commands only, and /nominations is for
    # everyone; review is therefore guarded by the run-time check alone (as every moderator path is).
    @app_commands.command(name="review", description="Moderators: review the oldest waiting nomination")
    async def review(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        store = self.bot.nominations
        settings = await self.bot.guild_settings.get(guild_id)
        require_moderator(interaction, settings)
        pending = await store.oldest_pending(guild_id)
        await interaction.response.send_message(**_drop_empty(review_message(pending, settings)), ephemeral=True)


def _drop_empty(message: dict) -> dict:
    return {k: v for k, v in message.items() if v is not None}
