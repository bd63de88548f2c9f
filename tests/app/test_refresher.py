"""The refresher's spacing rule: at most one edit per message per interval, counted from the end
of an edit, so a slow edit cannot bring the next one closer than the interval."""

from __future__ import annotations

import asyncio
import time

from bot.refresher import MessageRefresher

INTERVAL = 0.3


async def test_the_interval_runs_from_the_end_of_a_slow_edit():
    refresher = MessageRefresher(interval=INTERVAL)
    spans: list[tuple[float, float]] = []
    both_done = asyncio.Event()

    async def slow_edit() -> None:
        started = time.monotonic()
        await asyncio.sleep(0.2)  # the render waited behind votes
        spans.append((started, time.monotonic()))
        if len(spans) == 2:
            both_done.set()

    refresher.request("poll", slow_edit)
    await asyncio.sleep(0.05)
    refresher.request("poll", slow_edit)  # asked for while the first edit is under way
    await asyncio.wait_for(both_done.wait(), 5)
    (_, first_end), (second_start, _) = spans
    assert second_start - first_end >= INTERVAL


async def test_requests_during_the_interval_collapse_into_one_edit_of_the_last_state():
    refresher = MessageRefresher(interval=INTERVAL)
    shown: list[int] = []
    for state in range(5):

        async def edit(state: int = state) -> None:
            shown.append(state)

        refresher.request("poll", edit)
        await asyncio.sleep(0.01)
    await refresher.flush()
    assert shown == [0, 4]
