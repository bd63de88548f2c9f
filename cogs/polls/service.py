"""Everything a poll does with the bot's own token: closing at the
deadline (even one that passed while Namida was down) and announcing the results; starts and
reminders of polls planned ahead come first (cogs/polls/schedule.py)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import discord

from bot.app import Namida
from bot.domain.polls import Poll, Result
from bot.results_files import chart_file_name
from cogs.polls import render, schedule
from cogs.polls.tally import compute_result, utcnow
from cogs.polls.views import refresh_poll

log = logging.getLogger(__name__)
NOT_POSTED = 0  # results_message_id when no channel would take the results: kept for /poll results
MAX_SLEEP = 3600.0
RETRY_ANNOUNCE = 30.0  # seconds before trying again to post results Discord failed to take


class Announced(StrEnum):
    POSTED = "posted"
    KEPT = "kept"  # no channel would take them: /poll results shows them
    LATER = "later"  # Discord had a passing failure: the closer tries again
    ELSEWHERE = "elsewhere"  # another process (or task) claimed posting them first


async def close_and_announce(bot: Namida, poll_id: int, now: datetime) -> Announced | None:
    """Close the poll (idempotent) and post its results; None if it was already closed."""
    if not await bot.polls.close_claiming(poll_id, now):
        return None
    poll = await bot.polls.poll(poll_id)
    log.info("Closed poll %s", poll_id)
    refresh_poll(bot, poll_id)
    if poll is None:  # only a scheduled poll can be deleted, and it was just closed: nothing to announce
        return None
    return await announce_results(bot, poll, claimed=True)


async def announce_results(bot: Namida, poll: Poll, *, claimed: bool = False) -> Announced:
    """Results go to the poll's channel, else the server's poll channel, else they are kept for
    /poll results; a deleted channel is logged, never retried in a loop, while a passing Discord
    failure leaves the poll unannounced so the closer posts it a little later. Only the one
    process that claims the announcement posts, however many try at once."""
    if not claimed and not await bot.polls.claim_announcement(poll.id, utcnow()):
        return Announced.ELSEWHERE
    try:
        outcome = await _post_results(bot, poll)
    except BaseException:
        # Also when cancelled (shutting down): the next start may post them at once. The
        # cancellation itself must go on, whatever the release does.
        with contextlib.suppress(Exception):
            await asyncio.shield(bot.polls.release_announcement(poll.id))
        raise
    if outcome is Announced.LATER:
        await bot.polls.release_announcement(poll.id)
    return outcome


async def _post_results(bot: Namida, poll: Poll) -> Announced:
    result = await compute_result(bot, poll)
    settings = await bot.guild_settings.get(poll.guild_id)
    for channel_id in dict.fromkeys(c for c in (poll.channel_id, settings.poll_channel_id) if c):
        try:
            post = {**await results_message(bot, result), **schedule.results_ping(poll)}
            message = await bot.get_partial_messageable(channel_id).send(**post)
        except discord.DiscordServerError as error:
            log.warning("Discord failed (%s) posting results of poll %s; will retry", error.status, poll.id)
            return Announced.LATER
        except discord.HTTPException as error:
            log.warning("Could not post results of poll %s in channel %s: %s", poll.id, channel_id, error.status)
            continue
        await bot.polls.set_results_message(poll.id, message.id)
        return Announced.POSTED
    log.warning("Results of poll %s kept for /poll results: no channel took them", poll.id)
    await bot.polls.set_results_message(poll.id, NOT_POSTED)
    return Announced.KEPT


async def results_message(bot: Namida, result: Result) -> dict[str, Any]:
    """The results embed with its chart (see bot/charts.py); without a chart if none could be drawn."""
    result, chart = await bot.charts.chart_of(result)
    embed = render.results_embed(result)
    if chart is None:
        return {"embed": embed}
    name = chart_file_name(result.poll)
    embed.set_image(url=f"attachment://{name}")
    return {"embed": embed, "file": discord.File(io.BytesIO(chart), filename=name)}


class PollCloser:
    """Sleeps until the next deadline stored in the database; wakes early when one changes."""

    def __init__(self, bot: Namida) -> None:
        self.bot = bot
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.retry_pending = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="poll-closer")

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            # Cleared before the pass, not after: a wake() while it runs (a poll scheduled or moved
            # meanwhile) must trigger another pass, not be lost behind a deadline read earlier.
            self._wake.clear()
            try:
                await self.close_due()
                deadline = await self._next_deadline()
            except Exception:  # a failure must not stop future closes
                log.exception("Closing due polls failed; retrying in a minute")
                deadline = None
                sleep = 60.0
            else:
                sleep = MAX_SLEEP if deadline is None else (deadline - utcnow()).total_seconds()
                if self.retry_pending:
                    sleep = min(sleep, RETRY_ANNOUNCE)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(0.01, min(sleep, MAX_SLEEP)))

    async def close_due(self) -> None:
        """Starts, reminds, then closes and announces what fell due, for the guilds this process
        owns (see bot/shards.py)."""
        now, owns = utcnow(), self.bot.owns_guild
        started = await schedule.start_due(self.bot, now)
        for poll in started.refused:  # nobody saw it: closed quietly, like a refused /poll post
            await self.bot.polls.close(poll.id, now)
            await self.bot.polls.set_results_message(poll.id, NOT_POSTED)
        remind_again = await schedule.remind_due(self.bot, now)
        due = [poll for poll in await self.bot.polls.due(now) if owns(poll.guild_id)]
        outcomes = [await close_and_announce(self.bot, poll.id, now) for poll in due]
        unannounced = [poll for poll in await self.bot.polls.unannounced() if owns(poll.guild_id)]
        outcomes += [await announce_results(self.bot, poll) for poll in unannounced]
        self.retry_pending = Announced.LATER in outcomes or started.retry or remind_again

    async def _next_deadline(self) -> datetime | None:
        horizon = utcnow() + timedelta(seconds=MAX_SLEEP)
        planned = await schedule.next_event(self.bot, horizon)
        if not self.bot.settings.shards.sharded:
            closing = await self.bot.polls.next_deadline()
        else:
            # The earliest deadline of all guilds may belong to another process: waking for it
            # would spin until that process closes it. Only owned deadlines within one sleep matter.
            owned = (p.closes_at for p in await self.bot.polls.due(horizon) if self.bot.owns_guild(p.guild_id))
            closing = next(owned, None)
        return min((t for t in (planned, closing) if t is not None), default=None)
