"""The poll's clock and its current tally, read from the store: shared by the buttons, the
commands and the closer, so it imports nothing that builds messages."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.polls import Mode, Poll, Result, count_votes, instant_runoff


def utcnow() -> datetime:
    return datetime.now(UTC)


async def compute_result(bot, poll: Poll) -> Result:
    if poll.mode is Mode.RANKED:
        return instant_runoff(poll, await bot.polls.patterns(poll.id))
    counts, ballots = await bot.polls.counts(poll.id)
    return count_votes(poll, counts, ballots)
