"""The planning options of /poll custom, honorable and nominations (``starts_in``, ``ping``,
``remind``) and /poll cancel: checked at the boundary, confirmed privately with Discord timestamps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import discord
from discord import app_commands

from bot.app import Interaction
from bot.domain import limits
from bot.domain.errors import UserFacingError
from bot.domain.polls import Poll, format_duration
from bot.domain.spoilers import inert, shorten
from bot.domain.text import compact
from bot.permissions import can_view_channel, guild_id_of, require_moderator
from bot.storage.polls import PollGone
from cogs.polls import render

PLANNING_HELP = {
    "starts_in": "Post it later: 10m, 2h, 3d… from now (1 minute to 32 days); the duration counts from then",
    "ping": "A role to mention when it opens, in the reminder and with the results",
    "remind": "Post one reminder this long before it closes: 1h, 1d… (shorter than the duration)",
}


@dataclass(frozen=True, slots=True)
class Plan:
    starts_in: str | None = None
    ping: discord.Role | None = None
    remind: str | None = None


def ping_warning(interaction: discord.Interaction, role: discord.Role | None, channel_id: int | None) -> str | None:
    """A warning when Discord won't let the role's members be pinged; @everyone is refused."""
    if role is None:
        return None
    if role.is_default():
        raise UserFacingError("I won't ping @everyone: pick a role people chose to join, like a poll-watchers role.")
    guild = interaction.guild
    me = guild.me if guild else None
    channel = guild.get_channel(channel_id) if guild and channel_id else None
    if me is None:
        can_ping_any = False
    elif isinstance(channel, discord.abc.GuildChannel):
        can_ping_any = channel.permissions_for(me).mention_everyone
    else:
        can_ping_any = me.guild_permissions.mention_everyone
    if role.mentionable or can_ping_any:
        return None
    return (
        f"⚠️ {role.mention} can't be mentioned by me: it isn't mentionable and I don't have **Mention Everyone** "
        f"in <#{channel_id}>, so Discord will show the role without notifying anyone. Make the role mentionable "
        "(Server Settings → Roles) or give me that permission."
    )


def _extras(poll: Poll, warning: str | None) -> str:
    lines = []
    if poll.remind_before is not None:
        lines.append(f"A reminder goes out {format_duration(poll.remind_before)} before it closes.")
    if poll.ping_role_id is not None:
        lines.append(f"<@&{poll.ping_role_id}> is pinged when it opens, in the reminder and with the results.")
    if warning:
        lines.append(warning)
    return "".join(f"\n{line}" for line in lines)


def scheduled_text(poll: Poll, length: timedelta, warning: str | None) -> str:
    starts_at = poll.starts_at or poll.created_at
    return (
        f"**{poll.handle}** is scheduled in <#{poll.channel_id}>: it opens {render.timestamp(starts_at)} "
        f"({render.timestamp(starts_at, 'F')}) and closes {render.timestamp(poll.closes_at)} "
        f"(runs {format_duration(length)}). `/poll cancel` drops it before then." + _extras(poll, warning)
    )


def started_text(poll: Poll, length: timedelta, warning: str | None) -> str:
    return (
        f"**{poll.handle}** is up in <#{poll.channel_id}>: it closes {render.timestamp(poll.closes_at)} "
        f"(runs {format_duration(length)})." + _extras(poll, warning)
    )


def listing_status(poll: Poll) -> str:
    starts_at = poll.starts_at or poll.created_at
    return f"scheduled, opens {render.timestamp(starts_at)} ({render.timestamp(starts_at, 'f')})"


async def scheduled_autocomplete(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
    if interaction.guild_id is None:
        return []
    polls = await interaction.client.polls.scheduled_in(interaction.guild_id)
    wanted = compact(current.lstrip("#"))
    choices = []
    for poll in polls:
        if not can_view_channel(interaction, poll.channel_id):
            continue
        name = f"{poll.handle} · {inert(poll.question)} (scheduled)"
        if not wanted or wanted in compact(name):
            choices.append(app_commands.Choice(name=shorten(name, limits.CHOICE_NAME), value=poll.id))
    return choices[: limits.AUTOCOMPLETE_CHOICES]


async def cancel(interaction: Interaction, poll_id: int) -> str:
    """Drops a scheduled poll; the answer for the moderator."""
    bot = interaction.client
    guild_id = guild_id_of(interaction)
    require_moderator(interaction, await bot.guild_settings.get(guild_id))
    poll = await bot.polls.poll_in(guild_id, poll_id)
    if not can_view_channel(interaction, poll.channel_id):
        raise PollGone()
    started = f"**{poll.handle}** has already started, so it can't be cancelled; `/poll close` ends it early."
    if not poll.scheduled or not await bot.polls.cancel_scheduled(poll.id):
        raise UserFacingError(started)
    return f"Cancelled **{poll.handle}**: it won't be posted."
