"""/list, /entry, /honorable and /random: read-only lookups of the loaded lists."""

from __future__ import annotations

import random

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Namida
from bot.domain.catalog import TopList
from bot.domain.errors import UnknownEntry, UserFacingError
from bot.list_choices import any_list_autocomplete, entry_autocomplete, honorable_autocomplete
from bot.server_list_lookup import find_list
from cogs.entries import render
from cogs.entries.views import entry_message, overview_view

LIST_HELP = "Which list: a shipped one or this server's own (default: the first one)"
EPHEMERAL_HELP = "Only you see the answer (default: everyone in the channel)"


class Entries(commands.Cog):
    def __init__(self, bot: Namida) -> None:
        self.bot = bot
        self.random = random.Random()

    async def _list(
        self, interaction: discord.Interaction, list_id: str | None, *, needs_entries: bool = False
    ) -> TopList:
        top_list = await find_list(self.bot, interaction.guild_id, list_id)
        if needs_entries and not top_list.entries:
            raise UserFacingError(f"**{top_list.title}** has no entries yet.")
        return top_list

    @app_commands.command(name="list", description="The whole list at a glance, spoilers hidden")
    @app_commands.rename(list_id="list")
    @app_commands.describe(list_id=LIST_HELP, ephemeral=EPHEMERAL_HELP)
    @app_commands.autocomplete(list_id=any_list_autocomplete)
    async def show_list(
        self,
        interaction: discord.Interaction,
        list_id: app_commands.Range[str, 1, 100] | None = None,
        ephemeral: bool = False,
    ) -> None:
        top_list = await self._list(interaction, list_id, needs_entries=True)
        await interaction.response.send_message(
            embeds=render.overview_embeds(top_list), view=overview_view(top_list), ephemeral=ephemeral
        )

    @app_commands.command(name="entry", description="One entry of the list: a rank or a show, spoilers hidden")
    @app_commands.rename(list_id="list")
    @app_commands.describe(
        query="A rank like 3, or part of a show's title", list_id=LIST_HELP, ephemeral=EPHEMERAL_HELP
    )
    @app_commands.autocomplete(query=entry_autocomplete, list_id=any_list_autocomplete)
    async def entry(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, 100],
        list_id: app_commands.Range[str, 1, 100] | None = None,
        ephemeral: bool = False,
    ) -> None:
        top_list = await self._list(interaction, list_id)
        entry = top_list.resolve(query)
        await interaction.response.send_message(**entry_message(top_list, entry), ephemeral=ephemeral)

    @app_commands.command(name="honorable", description="The honorable mentions, or one of them")
    @app_commands.rename(list_id="list")
    @app_commands.describe(
        query="Part of a show's title (leave empty for all)", list_id=LIST_HELP, ephemeral=EPHEMERAL_HELP
    )
    @app_commands.autocomplete(query=honorable_autocomplete, list_id=any_list_autocomplete)
    async def honorable(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, 100] | None = None,
        list_id: app_commands.Range[str, 1, 100] | None = None,
        ephemeral: bool = False,
    ) -> None:
        top_list = await self._list(interaction, list_id)
        if not top_list.honorable:
            raise UserFacingError(f"**{top_list.title}** has no honorable mentions.")
        if query is None:
            embeds = render.overview_embeds(top_list, ranked=False)
            view = overview_view(top_list, ranked=False)
            await interaction.response.send_message(embeds=embeds, view=view, ephemeral=ephemeral)
            return
        try:
            entry = top_list.resolve(query, honorable_only=True)
        except UnknownEntry:
            ranked = next((e for e in top_list.suggest(query, limit=1) if not e.is_honorable), None)
            if ranked is None:
                raise
            raise UserFacingError(
                f"**{ranked.handle}** is in the countdown, not an honorable mention: try `/entry`."
            ) from None
        await interaction.response.send_message(**entry_message(top_list, entry), ephemeral=ephemeral)

    @app_commands.command(name="random", description="A random entry or honorable mention, spoilers hidden")
    @app_commands.rename(list_id="list")
    @app_commands.describe(list_id=LIST_HELP, ephemeral=EPHEMERAL_HELP)
    @app_commands.autocomplete(list_id=any_list_autocomplete)
    async def random_entry(
        self,
        interaction: discord.Interaction,
        list_id: app_commands.Range[str, 1, 100] | None = None,
        ephemeral: bool = False,
    ) -> None:
        top_list = await self._list(interaction, list_id, needs_entries=True)
        entry = self.random.choice(top_list.entries)
        await interaction.response.send_message(**entry_message(top_list, entry), ephemeral=ephemeral)
