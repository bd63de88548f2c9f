"""/lists …: moderators build this server's own lists from approved nominations and polls."""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Interaction, Namida
from bot.domain import limits
from bot.domain.nominations import public_handle
from bot.domain.polls import Kind
from bot.domain.server_lists import (
    ServerList,
    check_name,
    export_file_name,
    export_text,
    moved,
    with_entry,
    without_place,
)
from bot.domain.spoilers import inert, shorten
from bot.domain.text import compact, normalise
from bot.permissions import can_view_channel, guild_id_of, require_moderator
from cogs.lists import render, service
from cogs.lists.views import delete_question

LIST_HELP = "One of this server's own lists"
RANK_HELP = "A place on the list: 1 is #1; places past the countdown are its honorable mentions"
Place = app_commands.Range[int, 1, 100]


async def server_list_autocomplete(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    names = await interaction.client.server_lists.names(interaction.guild_id)
    wanted = normalise(current)
    return [
        app_commands.Choice(name=shorten(name, limits.CHOICE_NAME), value=list_id)
        for list_id, name in names
        if wanted in normalise(name) or wanted in list_id
    ][: limits.AUTOCOMPLETE_CHOICES]


async def approved_autocomplete(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
    """Approved nominations by their public handles (a confirmed title, never a member's own)."""
    if interaction.guild_id is None:
        return []
    store = interaction.client.nominations
    settings = await interaction.client.guild_settings.get(interaction.guild_id)
    wanted = compact(current.lstrip("#"))
    choices = []
    for nomination in await store.approved(interaction.guild_id, 100):
        handle = public_handle(nomination, settings.show_titles_are_spoilers)
        if not wanted or wanted in compact(handle):
            choices.append(app_commands.Choice(name=shorten(handle, limits.CHOICE_NAME), value=nomination.number))
    return choices[: limits.AUTOCOMPLETE_CHOICES]


async def closed_poll_autocomplete(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
    """Closed polls on nominations that the member may see."""
    if interaction.guild_id is None:
        return []
    polls = await interaction.client.polls.recent(interaction.guild_id, open_only=False, limit=100)
    wanted = compact(current.lstrip("#"))
    choices = []
    for poll in polls:
        if poll.kind is not Kind.NOMINATIONS or not can_view_channel(interaction, poll.channel_id):
            continue
        name = f"{poll.handle} · {inert(poll.question)}"
        if not wanted or wanted in compact(name):
            choices.append(app_commands.Choice(name=shorten(name, limits.CHOICE_NAME), value=poll.id))
    return choices[: limits.AUTOCOMPLETE_CHOICES]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Lists(commands.GroupCog, group_name="lists", group_description="Moderators: this server's own lists"):
    def __init__(self, bot: Namida) -> None:
        self.bot = bot
        super().__init__()

    async def _moderator(self, interaction: discord.Interaction) -> int:
        guild_id = guild_id_of(interaction)
        require_moderator(interaction, await self.bot.guild_settings.get(guild_id))
        return guild_id

    async def _answer(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="create", description="Moderators: a new, empty list for this server")
    @app_commands.describe(name="Its name, 1 to 60 characters (its id comes from it)")
    async def create(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]) -> None:
        guild_id = await self._moderator(interaction)
        created = await service.create(self.bot, guild_id, check_name(name), interaction.user.id)
        text = f"Created {render.name(created)} (`{created.list_id}`). " + render.contents(created)
        await self._answer(interaction, text)

    @app_commands.command(name="add", description="Moderators: put an approved nomination on a list")
    @app_commands.rename(list_id="list")
    @app_commands.describe(list_id=LIST_HELP, nomination="An approved nomination's number", rank=RANK_HELP)
    @app_commands.autocomplete(list_id=server_list_autocomplete)
    @app_commands.autocomplete(nomination=approved_autocomplete)
    async def add(
        self, interaction: discord.Interaction, list_id: app_commands.Range[str, 1, 100],
        nomination: app_commands.Range[int, 1, 10**9], rank: Place | None = None,
    ) -> None:  # fmt: skip
        guild_id = await self._moderator(interaction)
        entry = await service.nomination_entry(self.bot, guild_id, nomination)
        changed = await self.bot.server_lists.change_entries(
            guild_id, list_id, lambda current: with_entry(current, entry, rank), service.utcnow()
        )
        place = next(p for p, e in enumerate(changed.entries, start=1) if e.key == entry.key)
        text = f"Added {render.place_handle(changed, place)} to {render.name(changed)}. " + render.contents(changed)
        await self._answer(interaction, text)

    @app_commands.command(name="remove", description="Moderators: take an entry off a list")
    @app_commands.rename(list_id="list")
    @app_commands.describe(list_id=LIST_HELP, rank=RANK_HELP)
    @app_commands.autocomplete(list_id=server_list_autocomplete)
    async def remove(
        self, interaction: discord.Interaction, list_id: app_commands.Range[str, 1, 100], rank: Place
    ) -> None:
        guild_id = await self._moderator(interaction)
        before = await self.bot.server_lists.get(guild_id, list_id)
        changed = await self.bot.server_lists.change_entries(
            guild_id, list_id, lambda current: without_place(current, rank), service.utcnow()
        )
        await self._answer(interaction, f"Removed {render.place_handle(before, rank)}. " + render.contents(changed))

    @app_commands.command(name="move", description="Moderators: move an entry to another place")
    @app_commands.rename(list_id="list")
    @app_commands.describe(list_id=LIST_HELP, rank="The entry's place now", to="Its new place")
    @app_commands.autocomplete(list_id=server_list_autocomplete)
    async def move(
        self, interaction: discord.Interaction, list_id: app_commands.Range[str, 1, 100], rank: Place, to: Place
    ) -> None:
        guild_id = await self._moderator(interaction)
        changed = await self.bot.server_lists.change_entries(
            guild_id, list_id, lambda current: moved(current, rank, to), service.utcnow()
        )
        text = f"Moved it to {render.place_handle(changed, to)}. " + render.contents(changed)
        await self._answer(interaction, text)

    @app_commands.command(name="rename", description="Moderators: give a list a new name (its id stays)")
    @app_commands.rename(list_id="list")
    @app_commands.describe(list_id=LIST_HELP, name="Its new name, 1 to 60 characters")
    @app_commands.autocomplete(list_id=server_list_autocomplete)
    async def rename(
        self, interaction: discord.Interaction, list_id: app_commands.Range[str, 1, 100],
        name: app_commands.Range[str, 1, 100],
    ) -> None:  # fmt: skip
        guild_id = await self._moderator(interaction)
        new_name = check_name(name)
        service.refuse_shipped_name(self.bot, new_name)
        renamed = await self.bot.server_lists.rename(guild_id, list_id, new_name, service.utcnow())
        await self._answer(
            interaction,
            f"Renamed it {render.name(renamed)}. Its id stays `{renamed.list_id}`, so its buttons in older "
            "messages keep working.",
        )

    @app_commands.command(name="delete", description="Moderators: delete a list (asks first)")
    @app_commands.rename(list_id="list")
    @app_commands.describe(list_id=LIST_HELP)
    @app_commands.autocomplete(list_id=server_list_autocomplete)
    async def delete(self, interaction: discord.Interaction, list_id: app_commands.Range[str, 1, 100]) -> None:
        guild_id = await self._moderator(interaction)
        found = await self.bot.server_lists.get(guild_id, list_id)
        await interaction.response.send_message(**delete_question(found), ephemeral=True)

    @app_commands.command(name="publish", description="Moderators: rank a list by a closed poll on nominations")
    @app_commands.rename(list_id="list")
    @app_commands.describe(
        poll="A closed poll on nominations: its first ten become #1 to #10, the rest honorable mentions",
        list_id=LIST_HELP,
    )
    @app_commands.autocomplete(poll=closed_poll_autocomplete)
    @app_commands.autocomplete(list_id=server_list_autocomplete)
    async def publish(
        self, interaction: discord.Interaction, poll: app_commands.Range[int, 1, 10**9],
        list_id: app_commands.Range[str, 1, 100],
    ) -> None:  # fmt: skip
        guild_id = await self._moderator(interaction)
        published = await service.publish(self.bot, interaction, guild_id, poll, list_id)
        await self._answer(interaction, f"Published Poll #{poll}'s ranking. " + render.contents(published))

    @app_commands.command(name="export", description="Moderators: a list as a YAML file (the shipped lists' format)")
    @app_commands.rename(list_id="list")
    @app_commands.describe(list_id=LIST_HELP)
    @app_commands.autocomplete(list_id=server_list_autocomplete)
    async def export(self, interaction: discord.Interaction, list_id: app_commands.Range[str, 1, 100]) -> None:
        guild_id = await self._moderator(interaction)
        found = await self.bot.server_lists.get(guild_id, list_id)
        await interaction.response.send_message(
            f"{render.name(found)} as a list file: it holds the spoilers, unhidden. `namida check` accepts it, "
            "and `/lists import` reads it back.",
            file=_yaml_file(found),
            ephemeral=True,
        )

    @app_commands.command(name="import", description="Moderators: a new list from a YAML list file")
    @app_commands.describe(file="A list file, like the one /lists export gives")
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        guild_id = await self._moderator(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # the download may take a moment
        created = await service.import_file(self.bot, guild_id, file, interaction.user.id)
        await interaction.followup.send(
            f"Imported {render.name(created)} (`{created.list_id}`). " + render.contents(created), ephemeral=True
        )


def _yaml_file(server_list: ServerList) -> discord.File:
    return discord.File(io.BytesIO(export_text(server_list).encode("utf-8")), filename=export_file_name(server_list))
