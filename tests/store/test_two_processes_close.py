"""Two bot processes on one database (a SQLite file, or one PostgreSQL) both try to close a due
poll: exactly one wins, so only that one posts the results."""

from __future__ import annotations

import asyncio

from bot.storage.opening import open_database
from bot.storage.polls import PollStore
from tests.store.test_poll_store import NOW, make_poll


async def test_only_one_of_two_stores_racing_on_one_database_closes_a_poll(database_url):
    first, second = await open_database(database_url), await open_database(database_url)
    try:
        polls, other = PollStore(first), PollStore(second)
        for _ in range(5):
            poll = await make_poll(polls)
            won = await asyncio.gather(*(store.close(poll.id, NOW) for store in (polls, other, polls, other)))
            assert sorted(won) == [False, False, False, True]
            assert (await other.poll(poll.id)).closed_at is not None
    finally:
        await first.close()
        await second.close()
