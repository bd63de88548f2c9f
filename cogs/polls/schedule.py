"""Polls planned ahead, with the bot's own token: posting a scheduled poll when it starts, the one
reminder before its deadline, and the role ping that goes with the start, the reminder and the
results. The closer (cogs/polls/service.py) runs these before closing, so after downtime each
poll starts, is reminded, then closes, in that order."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

import discord

from bot.app import Namida
from bot.domain.poll_schedule import reminder_due, reminder_is_late, reminder_time
from bot.domain.polls import Poll
from bot.domain.spoilers import inert, shorten
from cogs.polls import render
from cogs.polls.views import poll_message

log = logging.getLogger(__name__)
REMINDER_QUESTION = 200  # characters of the question quoted in a reminder


def role_ping(role_id: int) -> discord.AllowedMentions:
    """Exactly that role may ping: never @everyone, @here or a member named in the text."""
    return discord.AllowedMentions(roles=[discord.Object(role_id)], everyone=False, users=False)


def ping_fields(poll: Poll, text: str) -> dict[str, Any]:
    """Message content (and the mentions it may make) for a poll's public post."""
    if poll.ping_role_id is None:
        return {"content": text} if text else {}
    content = f"<@&{poll.ping_role_id}> {text}".rstrip()
    return {"content": content, "allowed_mentions": role_ping(poll.ping_role_id)}


def results_ping(poll: Poll) -> dict[str, Any]:
    return ping_fields(poll, f"The results of **{poll.handle}** are in.") if poll.ping_role_id else {}


async def opening_message(bot: Namida, poll: Poll, now: datetime) -> dict[str, Any]:
    # A poll whose whole window passed while Namida was down closes at once: only the results ping.
    ping: dict[str, Any] = {}
    if poll.ping_role_id and poll.is_open(now):
        ping = ping_fields(poll, f"**{poll.handle}** is open: vote below.")
    return {**await poll_message(bot, poll, now), **ping}


def jump_url(poll: Poll) -> str:
    return f"https://discord.com/channels/{poll.guild_id}/{poll.channel_id}/{poll.message_id}"


def reminder_text(poll: Poll, now: datetime) -> str:
    question = shorten(inert(poll.question), REMINDER_QUESTION)
    if reminder_is_late(poll, now):
        return (
            f"⏰ **{poll.handle}** · {question} was due to close {render.timestamp(poll.closes_at)} while I was "
            f"offline, so this reminder comes too late to vote: the results follow. The poll: {jump_url(poll)}"
        )
    return f"⏰ **{poll.handle}** · {question} closes {render.timestamp(poll.closes_at)}. Vote here: {jump_url(poll)}"


def reminder_fields(poll: Poll, now: datetime) -> dict[str, Any]:
    # A late reminder pings nobody: the role is pinged once, with the results right after it.
    text = reminder_text(poll, now)
    return {"content": text} if reminder_is_late(poll, now) else ping_fields(poll, text)


class Started(StrEnum):
    POSTED = "posted"
    RETRY = "retry"  # a passing Discord failure: the start is tried again shortly
    REFUSED = "refused"  # the channel is gone or closed to Namida: the poll cannot run


@dataclass
class StartRound:
    refused: list[Poll] = field(default_factory=list)
    retry: bool = False


async def start_poll(bot: Namida, poll: Poll, now: datetime) -> Started | None:
    """Posts a scheduled poll; None if another process (or an earlier pass) already started it."""
    if not await bot.polls.claim_start(poll.id):
        return None
    live = await bot.polls.poll(poll.id)
    if live is None:
        return None
    try:
        message = await bot.get_partial_messageable(live.channel_id).send(**await opening_message(bot, live, now))
    except discord.DiscordServerError as error:
        log.warning("Discord failed (%s) posting scheduled poll %s; will retry", error.status, poll.id)
        await bot.polls.release_start(poll.id)
        return Started.RETRY
    except discord.HTTPException as error:
        log.warning("Could not post scheduled poll %s in channel %s: %s", poll.id, live.channel_id, error.status)
        return Started.REFUSED
    await bot.polls.set_message(poll.id, live.channel_id, message.id)
    log.info("Started scheduled poll %s", poll.id)
    return Started.POSTED


async def start_due(bot: Namida, now: datetime) -> StartRound:
    outcome = StartRound()
    for poll in await bot.polls.starts_due(now):
        if not bot.owns_guild(poll.guild_id):
            continue
        started = await start_poll(bot, poll, now)
        if started is Started.REFUSED:
            outcome.refused.append(poll)
        outcome.retry |= started is Started.RETRY
    return outcome


async def send_reminder(bot: Namida, poll: Poll, now: datetime) -> bool:
    """The poll's one reminder; True if it should be tried again (a passing Discord failure)."""
    if not await bot.polls.claim_reminder(poll.id, now):
        return False
    fields = reminder_fields(poll, now)
    try:
        await bot.get_partial_messageable(poll.channel_id).send(**fields)
    except discord.DiscordServerError as error:
        log.warning("Discord failed (%s) posting the reminder of poll %s; will retry", error.status, poll.id)
        await bot.polls.release_reminder(poll.id)
        return True
    except discord.HTTPException as error:
        log.warning("Could not post the reminder of poll %s: %s", poll.id, error.status)
        return False
    log.info("Reminded poll %s", poll.id)
    return False


async def remind_due(bot: Namida, now: datetime) -> bool:
    """Sends the due reminders of owned guilds; True if one should be tried again."""
    retry = False
    for poll in await bot.polls.reminders_pending():
        if bot.owns_guild(poll.guild_id) and reminder_due(poll, now):
            retry |= await send_reminder(bot, poll, now)
    return retry


async def next_event(bot: Namida, horizon: datetime) -> datetime | None:
    """The earliest start or reminder of an owned guild before ``horizon``."""
    times = [p.starts_at for p in await bot.polls.starts_due(horizon) if bot.owns_guild(p.guild_id) and p.starts_at]
    for poll in await bot.polls.reminders_pending():
        due = reminder_time(poll)
        if due is not None and bot.owns_guild(poll.guild_id) and due < poll.closes_at:
            times.append(due)
    return min(times, default=None)
