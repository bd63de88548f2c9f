"""What happens around a nomination outside the member's own reply: the public post, the
moderators' announcement and the author's DM. Failures here never lose a
nomination: they become a sentence naming what is missing."""

from __future__ import annotations

import logging

import discord

from bot.app import Namida
from bot.channels import channel_problem
from bot.domain.guild_settings import GuildSettings
from bot.domain.nominations import Nomination
from cogs.nominations import render
from cogs.nominations.views import public_message

log = logging.getLogger(__name__)


async def post_nomination(bot: Namida, nomination: Nomination, settings: GuildSettings) -> str | None:
    """Posts the nomination in the nominations channel; returns a problem sentence on failure."""
    channel_id = settings.nominations_channel_id
    if channel_id is None:
        return None
    problem = channel_problem(bot, channel_id, "nominations")
    if problem:
        log.warning(
            "Not posting nomination %s in guild %s: channel %s unusable", nomination.id, nomination.guild_id, channel_id
        )
        return problem
    try:
        message = await bot.get_partial_messageable(channel_id).send(**await public_message(bot, nomination, settings))
    except discord.HTTPException as error:
        log.warning("Posting nomination %s failed: %s", nomination.id, error)
        return _http_problem(error, channel_id, "nominations")
    await bot.nominations.record_post(nomination.id, channel_id, message.id)
    return None


CATCH_UP_POSTS = 25  # per /settings change: enough to catch up, not enough to flood a channel


async def post_waiting(bot: Namida, guild_id: int, settings: GuildSettings) -> str | None:
    """Posts the live nominations that have no public post yet (the channel was unset, gone or
    closed to the bot when they came in); returns a sentence for the moderator, or None."""
    waiting, total = await bot.nominations.unposted(guild_id, CATCH_UP_POSTS)
    posted = 0
    for nomination in waiting:
        problem = await post_nomination(bot, nomination, settings)
        if problem:
            return f"Posted {posted} of the {total} nomination(s) waiting for a public post, then: {problem}"
        posted += 1
    if not posted:
        return None
    text = f"Posted {posted} nomination(s) that were waiting for a public post in <#{settings.nominations_channel_id}>."
    if total > posted:
        text += f" {total - posted} more are waiting: set the nominations channel again to post the next ones."
    return text


async def announce_for_review(bot: Namida, nomination: Nomination, settings: GuildSettings) -> None:
    channel_id = settings.review_channel_id
    if channel_id is None or channel_problem(bot, channel_id, "review"):
        return
    name = render.title(nomination, settings)
    text = f"New nomination waiting for review: **{name}** by <@{nomination.author_id}>. Use `/nominations review`."
    try:
        await bot.get_partial_messageable(channel_id).send(text)
    except discord.HTTPException as error:
        log.warning("Announcing nomination %s for review failed: %s", nomination.id, error)


async def tell_author(bot: Namida, nomination: Nomination, text: str) -> bool:
    """DM the author; a member who closed their DMs is not an error."""
    try:
        channel = await bot.create_dm(discord.Object(nomination.author_id))
        await channel.send(text)
        return True
    except discord.HTTPException as error:
        log.info("Could not DM the author of nomination %s: %s", nomination.id, error.status)
        return False


def _http_problem(error: discord.HTTPException, channel_id: int, purpose: str) -> str:
    if isinstance(error, discord.NotFound):
        return f"The {purpose} channel (<#{channel_id}>) no longer exists; set another with `/settings set`."
    if isinstance(error, discord.Forbidden):
        return (
            f"I'm not allowed to post in <#{channel_id}> (the {purpose} channel): "
            "I need View Channel, Send Messages and Embed Links there."
        )
    return f"Discord didn't accept my post in <#{channel_id}> just now (HTTP {error.status}); please tell a moderator."
