"""Which chart a results message gets, drawing as few as possible.

- A closed poll's chart is drawn once, kept as a file for the close it shows (bot/chart_files.py),
  and sent from there ever after (a reopened poll's next close draws anew).
- An open poll's chart is shared for ``open_period`` seconds: everyone asking within it gets the
  same chart and the tally it was drawn from, so embed and chart agree and no click rate can
  make the chart process draw more than once per period.
- Requests that arrive while a chart is being drawn wait for that one.

A chart that cannot be drawn is ``None``: the results go out without it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime

from bot.chart_files import KeptCharts
from bot.chart_worker import ChartUnavailable, ChartWorker
from bot.domain.polls import Result

log = logging.getLogger(__name__)
OPEN_PERIOD = 10.0  # seconds an open poll's chart is shared
Drawn = tuple[Result, bytes | None]


class Charts:
    def __init__(
        self, kept: KeptCharts, worker: ChartWorker, *, open_period: float = OPEN_PERIOD,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self.kept = kept
        self.worker = worker
        self.open_period = open_period
        self.clock = clock
        self._drawing: dict[tuple[int, datetime | None], asyncio.Future[Drawn]] = {}
        self._recent: dict[int, tuple[float, Drawn]] = {}  # open polls: when drawn, and what
        self._changes: dict[int, int] = {}  # per poll, bumped by ``forget``

    async def chart_of(self, result: Result) -> Drawn:
        """The chart for ``result``'s poll, and the result it shows (an open poll's may be a few
        seconds older than ``result``)."""
        poll = result.poll
        if poll.closed_at is not None:
            png = await self.kept.kept(poll.id, poll.closed_at)
            if png is not None:
                return result, png
        else:
            now = self.clock()
            self._recent = {k: v for k, v in self._recent.items() if now - v[0] < self.open_period}
            if poll.id in self._recent:
                return self._recent[poll.id][1]
        key = (poll.id, poll.closed_at)
        drawing = self._drawing.get(key)
        if drawing is None:
            changes = self._changes.get(poll.id, 0)  # now: the drawing itself starts later
            drawing = self._drawing[key] = asyncio.ensure_future(self._draw(result, changes))
            drawing.add_done_callback(lambda done: self._drawing.pop(key) if self._drawing.get(key) is done else None)
        return await asyncio.shield(drawing)  # one requester giving up must not cancel the others' chart

    async def _draw(self, result: Result, changes: int) -> Drawn:
        poll = result.poll
        try:
            png = await self.worker.render(result)
        except ChartUnavailable as error:
            log.warning("No chart for poll %s: %s", poll.id, error)
            return result, None
        if poll.closed_at is not None:
            await self.kept.keep(poll.id, poll.closed_at, png)
        elif changes == self._changes.get(poll.id, 0):  # not forgotten while it was drawn
            self._recent[poll.id] = (self.clock(), (result, png))
        return result, png

    def forget(self, poll_id: int) -> None:
        """The poll changed in a way its shared chart does not show (an added option)."""
        self._changes[poll_id] = self._changes.get(poll_id, 0) + 1
        self._recent.pop(poll_id, None)
        for key in [key for key in self._drawing if key[0] == poll_id]:
            del self._drawing[key]  # later requests draw the changed poll

    async def close(self) -> None:
        await self.worker.close()
