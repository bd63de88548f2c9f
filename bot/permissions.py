"""Who counts as a moderator: Manage Server, or the server's configured moderator role.

Moderator commands also carry ``default_permissions`` so Discord hides them, but a server can
open them to everyone under Integrations, so every moderator path checks again at run time."""

from __future__ import annotations

import discord

from bot.domain.errors import UserFacingError
from bot.domain.guild_settings import GuildSettings


class NotModerator(UserFacingError):
    def __init__(self) -> None:
        super().__init__("Only moderators can do that (Manage Server, or this server's moderator role).")


class GuildOnly(UserFacingError):
    def __init__(self) -> None:
        super().__init__("That only works inside a server.")


def is_moderator(interaction: discord.Interaction, settings: GuildSettings) -> bool:
    if interaction.guild_id is None or not isinstance(interaction.user, discord.Member):
        return False
    if interaction.permissions.manage_guild:
        return True
    role = settings.moderator_role_id
    return role is not None and any(r.id == role for r in interaction.user.roles)


def require_moderator(interaction: discord.Interaction, settings: GuildSettings) -> None:
    if not is_moderator(interaction, settings):
        raise NotModerator()


def guild_id_of(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise GuildOnly()
    return interaction.guild_id


def can_view_channel(interaction: discord.Interaction, channel_id: int) -> bool:
    """Whether the member may read a channel: Discord's own answer for the channel the interaction
    came from, else the cached channel's overwrites applied to the member's roles."""
    if channel_id == interaction.channel_id:
        return interaction.permissions.view_channel
    member, guild = interaction.user, interaction.guild
    if guild is None or not isinstance(member, discord.Member):
        return False
    channel = guild.get_channel_or_thread(channel_id)
    if channel is None:  # deleted since: nothing left to hide but what the server shows everyone
        return member.guild_permissions.view_channel
    return channel.permissions_for(member).view_channel
