"""Whether Namida can post in a configured channel, worded for the moderator who set it."""

from __future__ import annotations

import discord
from discord.ext import commands

POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links")


def channel_problem(bot: commands.Bot, channel_id: int | None, purpose: str) -> str | None:
    """Why Namida can't post in a configured channel, or None if it can (as far as the cache knows)."""
    if channel_id is None:
        return None
    channel = bot.get_channel(channel_id)
    if channel is None or isinstance(channel, discord.abc.PrivateChannel):  # a server's channels only
        return (
            f"The {purpose} channel (<#{channel_id}>) no longer exists or I can't see it; "
            "set another with `/settings set`."
        )
    me = channel.guild.me
    allowed = channel.permissions_for(me)
    missing = [name.replace("_", " ").title() for name in POST_PERMISSIONS if not getattr(allowed, name)]
    if missing:
        return f"I can't post in {channel.mention} (the {purpose} channel): I need {', '.join(missing)} there."
    return None
