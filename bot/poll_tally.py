"""A poll's current result, read from the store: counted by the poll's own rule. Shared by the
poll feature and the server lists that publish a closed poll's ranking."""

from __future__ import annotations

from typing import Any

from bot.domain.polls import Mode, Poll, Result, count_votes, instant_runoff


async def compute_result(bot: Any, poll: Poll) -> Result:
    if poll.mode is Mode.RANKED:
        return instant_runoff(poll, await bot.polls.patterns(poll.id))
    counts, ballots = await bot.polls.counts(poll.id)
    return count_votes(poll, counts, ballots)
