"""Which chart a result gets: a closed poll's from its file, an open poll's shared for a period,
requests at the same time sharing one drawing, and a forgotten poll never served a stale one."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

from bot.chart_files import KeptCharts, charts_folder
from bot.chart_worker import ChartUnavailable, ChartWorker
from bot.charts import Charts
from bot.domain.polls import Result, count_votes
from tests.polls import CREATED, make_poll


class CountingWorker(ChartWorker):
    """Draws a chart naming the ballots it shows, when told to; counts what it drew."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.release.set()
        self.drawn: list[int] = []
        self.broken = False

    async def render(self, result: Result) -> bytes:
        await self.release.wait()
        if self.broken:
            raise ChartUnavailable("broken on purpose")
        self.drawn.append(result.ballots)
        return f"chart of {result.ballots} ballots".encode()


def result(ballots: int, *, closed: bool = False) -> Result:
    poll = make_poll(["Yes", "No"])
    if closed:
        poll = dataclasses.replace(poll, closed_at=CREATED + timedelta(hours=2))
    return count_votes(poll, {0: ballots}, ballots)


def charts_in(tmp_path, worker: CountingWorker, clock) -> Charts:
    folder = charts_folder(tmp_path / "anime-offline-database.json")
    return Charts(KeptCharts(folder), worker, open_period=10.0, clock=clock)


async def test_a_closed_polls_chart_is_drawn_once_and_read_from_its_file(tmp_path):
    worker = CountingWorker()
    charts = charts_in(tmp_path, worker, lambda: 0.0)
    assert await charts.chart_of(result(3, closed=True)) == (result(3, closed=True), b"chart of 3 ballots")
    again = Charts(KeptCharts(tmp_path / "charts"), CountingWorker(), clock=lambda: 0.0)  # after a restart
    assert (await again.chart_of(result(3, closed=True)))[1] == b"chart of 3 ballots"
    assert worker.drawn == [3] and again.worker.drawn == []
    closed_at = int((CREATED + timedelta(hours=2)).timestamp() * 1_000_000)
    assert [p.name for p in (tmp_path / "charts").iterdir()] == [f"poll-12-closed-{closed_at}.png"]


async def test_an_open_polls_chart_and_tally_are_shared_for_the_period(tmp_path):
    now = [100.0]
    worker = CountingWorker()
    charts = charts_in(tmp_path, worker, lambda: now[0])
    assert (await charts.chart_of(result(1)))[1] == b"chart of 1 ballots"
    now[0] = 109.0
    shown, chart = await charts.chart_of(result(2))
    assert (shown.ballots, chart) == (1, b"chart of 1 ballots")  # embed and chart agree
    now[0] = 110.0
    assert (await charts.chart_of(result(2)))[1] == b"chart of 2 ballots"
    assert worker.drawn == [1, 2]


async def test_requests_at_the_same_time_share_one_drawing_and_a_forgotten_poll_draws_anew(tmp_path):
    worker = CountingWorker()
    worker.release.clear()
    charts = charts_in(tmp_path, worker, lambda: 0.0)
    waiting = [asyncio.ensure_future(charts.chart_of(result(1))) for _ in range(3)]
    await asyncio.sleep(0)
    charts.forget(12)  # an option was added while the chart was being drawn
    fresh = asyncio.ensure_future(charts.chart_of(result(2)))
    worker.release.set()
    assert {chart for _, chart in await asyncio.gather(*waiting)} == {b"chart of 1 ballots"}
    assert (await fresh)[1] == b"chart of 2 ballots"
    assert (await charts.chart_of(result(5)))[1] == b"chart of 2 ballots"  # the stale one was not kept
    assert worker.drawn == [1, 2]


async def test_no_chart_when_none_can_be_drawn_and_nothing_kept(tmp_path):
    worker = CountingWorker()
    worker.broken = True
    charts = charts_in(tmp_path, worker, lambda: 0.0)
    assert await charts.chart_of(result(4, closed=True)) == (result(4, closed=True), None)
    worker.broken = False
    assert (await charts.chart_of(result(4, closed=True)))[1] == b"chart of 4 ballots"
