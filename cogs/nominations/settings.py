"""/settings show|set|clear: per-server settings, for moderators only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Namida
from bot.channels import channel_problem
from bot.domain.errors import UserFacingError
from bot.domain.guild_settings import GuildSettings
from bot.domain.spoilers import shorten
from bot.permissions import guild_id_of, require_moderator
from cogs.nominations.service import post_waiting

CHANNELS = {
    "nominations_channel_id": "nominations",
    "review_channel_id": "review",
    "poll_channel_id": "poll",
}
Clearable = Literal["nominations_channel", "review_channel", "poll_channel", "moderator_role"]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Settings(commands.GroupCog, group_name="settings", group_description="Moderators: Namida's settings here"):
    def __init__(self, bot: Namida) -> None:
        self.bot = bot
        super().__init__()

    async def _settings(self, interaction: discord.Interaction) -> GuildSettings:
        settings = await self.bot.guild_settings.get(guild_id_of(interaction))
        require_moderator(interaction, settings)
        return settings

    @app_commands.command(name="show", description="Show this server's settings and anything that needs fixing")
    async def show(self, interaction: discord.Interaction) -> None:
        settings = await self._settings(interaction)
        await interaction.response.send_message(embed=settings_embed(self.bot, settings), ephemeral=True)

    @app_commands.command(name="set", description="Change one or more settings")
    @app_commands.describe(
        nominations_channel="Where accepted nominations are posted for everyone",
        review_channel="Where moderators hear about new nominations",
        poll_channel="Where polls and their results are posted",
        moderator_role="A role that may moderate (besides Manage Server)",
        max_open_nominations="How many nominations a member may have waiting for review",
        cooldown_seconds="Seconds a member waits between two nominations",
        allow_listed_shows="Accept nominations for shows already on the list (marked as such)",
        show_titles_are_spoilers="Hide the show titles of nominations behind spoiler bars too",
    )
    async def set_(
        self,
        interaction: discord.Interaction,
        nominations_channel: discord.TextChannel | None = None,
        review_channel: discord.TextChannel | None = None,
        poll_channel: discord.TextChannel | None = None,
        moderator_role: discord.Role | None = None,
        max_open_nominations: app_commands.Range[int, 1, 25] | None = None,
        cooldown_seconds: app_commands.Range[int, 0, 86400] | None = None,
        allow_listed_shows: bool | None = None,
        show_titles_are_spoilers: bool | None = None,
    ) -> None:
        await self._settings(interaction)
        if moderator_role is not None:
            refuse_unusable_role(moderator_role)
        changes: dict[str, object] = {
            "max_open_nominations": max_open_nominations,
            "cooldown_seconds": cooldown_seconds,
            "allow_listed_shows": allow_listed_shows,
            "show_titles_are_spoilers": show_titles_are_spoilers,
            "moderator_role_id": moderator_role.id if moderator_role else None,
        }
        for column, channel in zip(CHANNELS, (nominations_channel, review_channel, poll_channel), strict=True):
            if channel is not None:
                problem = channel_problem(self.bot, channel.id, CHANNELS[column])
                if problem:
                    raise UserFacingError(f"Nothing was changed. {problem}")
                changes[column] = channel.id
        changes = {k: v for k, v in changes.items() if v is not None}
        if not changes:
            raise UserFacingError("Pick at least one setting to change.")
        guild_id = guild_id_of(interaction)
        updated = await self.bot.guild_settings.update(guild_id, datetime.now(UTC), **changes)
        await interaction.response.send_message("Saved.", embed=settings_embed(self.bot, updated), ephemeral=True)
        if nominations_channel is not None:  # set, or set again once fixed: post what is waiting
            caught_up = await post_waiting(self.bot, guild_id, updated)
            if caught_up:
                await interaction.followup.send(caught_up, ephemeral=True)

    @app_commands.command(name="clear", description="Unset a channel or the moderator role")
    @app_commands.describe(setting="Which one to unset")
    async def clear(self, interaction: discord.Interaction, setting: Clearable) -> None:
        await self._settings(interaction)
        column = f"{setting}_id"
        updated = await self.bot.guild_settings.update(
            guild_id_of(interaction), datetime.now(UTC), **{column: None}
        )
        await interaction.response.send_message("Saved.", embed=settings_embed(self.bot, updated), ephemeral=True)


def refuse_unusable_role(role: discord.Role) -> None:
    """@everyone would make every member a moderator; a managed role belongs to an integration, so
    who holds it is not the server's choice."""
    if role.is_default():
        raise UserFacingError(
            "Nothing was changed. @everyone can't be the moderator role: every member would moderate. "
            "Pick a role you give to your moderators."
        )
    if role.managed:
        raise UserFacingError(
            f"Nothing was changed. {role.mention} is managed by an integration (a bot or a subscription), "
            "so this server doesn't decide who has it. Pick a role you give to your moderators."
        )


def settings_embed(bot: Namida, settings: GuildSettings) -> discord.Embed:
    def channel(channel_id: int | None) -> str:
        return f"<#{channel_id}>" if channel_id else "not set"

    embed = discord.Embed(title="Namida settings for this server", colour=discord.Colour(0x3B5BA5))
    embed.add_field(name="Nominations channel", value=channel(settings.nominations_channel_id))
    embed.add_field(name="Review channel", value=channel(settings.review_channel_id))
    embed.add_field(name="Poll channel", value=channel(settings.poll_channel_id))
    role = f"<@&{settings.moderator_role_id}>" if settings.moderator_role_id else "not set (Manage Server only)"
    embed.add_field(name="Moderator role", value=role)
    embed.add_field(name="Open nominations per member", value=str(settings.max_open_nominations))
    embed.add_field(name="Cooldown between nominations", value=f"{settings.cooldown_seconds} s")
    listed = "accepted and marked" if settings.allow_listed_shows else "refused"
    embed.add_field(name="Shows already on the list", value=listed)
    embed.add_field(name="Show titles are spoilers", value="yes" if settings.show_titles_are_spoilers else "no")
    problems = [
        p for column, purpose in CHANNELS.items() if (p := channel_problem(bot, getattr(settings, column), purpose))
    ]
    if problems:
        embed.add_field(name="⚠️ Needs fixing", value=shorten("\n".join(problems), 1024), inline=False)
    return embed
