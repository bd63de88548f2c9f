"""The chart process and its protocol: frames round-trip, every request gets an answer, a broken
or stopped process is replaced, and an idle one ends."""

from __future__ import annotations

import asyncio
import io
import sys
from datetime import UTC, datetime, timedelta

import pytest

from bot.chart_process import serve
from bot.chart_wire import (
    WireError,
    answer_frame,
    frame,
    parse_answer,
    read_frame,
    request_frame,
    result_from_wire,
    split_frame,
)
from bot.chart_worker import ChartUnavailable, ChartWorker
from bot.domain.polls import Kind, Mode, Poll, PollOption, count_votes, instant_runoff

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def make_poll(mode: Mode = Mode.SINGLE, labels=("Yes", "No", "涙 $x$")) -> Poll:
    options = tuple(
        PollOption(i, label, f"ref-{i}" if i else None, NOW + timedelta(minutes=i) if i == 2 else None)
        for i, label in enumerate(labels)
    )
    return Poll(
        id=7, guild_id=1, channel_id=2, message_id=None, kind=Kind.CUSTOM, list_id=None, question="Which?",
        options=options, mode=mode, max_choices=1, hide_results=False, anonymous=False, role_id=5,
        creator_id=9, created_at=NOW, closes_at=NOW + timedelta(hours=1), closed_at=NOW + timedelta(minutes=5),
    )  # fmt: skip


def single_result():
    return count_votes(make_poll(), {0: 3, 1: 1, 2: 3}, 7)


def ranked_result():
    return instant_runoff(make_poll(Mode.RANKED), {(0, 1): 2, (1, 2): 2, (2, 0): 1, (2,): 1})


@pytest.mark.parametrize("result", [single_result(), ranked_result()], ids=["single", "ranked"])
def test_a_result_survives_the_trip_to_the_chart_process(result):
    header, body = split_frame(read_frame(io.BytesIO(request_frame(3, result))))
    assert body == b"" and header["request"] == 3
    assert result_from_wire(header["result"]) == result


def test_broken_frames_are_refused_and_a_clean_end_is_not_an_error():
    assert read_frame(io.BytesIO(b"")) is None
    whole = frame({"request": 1})
    with pytest.raises(WireError, match="inside a frame"):
        read_frame(io.BytesIO(whole[:-1]))
    with pytest.raises(WireError, match="length"):
        read_frame(io.BytesIO(whole[:2]))
    with pytest.raises(WireError, match="longer than any chart"):
        read_frame(io.BytesIO(b"\xff\xff\xff\xff"))
    with pytest.raises(WireError, match="header line"):
        split_frame(b"no newline")
    with pytest.raises(WireError, match="unreadable"):
        result_from_wire({"poll": {"id": "seven"}})
    answer = parse_answer(read_frame(io.BytesIO(answer_frame(4, 2, b"png-bytes"))))
    assert (answer.request, answer.png, answer.error, answer.renders) == (4, b"png-bytes", None, 2)


def test_the_process_answers_each_request_in_turn_even_a_bad_one():
    requests = io.BytesIO(
        request_frame(1, single_result()) + frame({"request": 2, "result": {"nonsense": 1}})
        + request_frame(3, ranked_result())
    )  # fmt: skip
    answers = io.BytesIO()
    assert serve(requests, answers) == 2
    answers.seek(0)
    first, second, third = (parse_answer(read_frame(answers)) for _ in range(3))
    assert read_frame(answers) is None
    assert first.request == 1 and first.png.startswith(PNG_MAGIC) and first.renders == 1
    assert second.request == 2 and second.png is None and "WireError" in second.error and second.renders == 1
    assert third.request == 3 and third.png.startswith(PNG_MAGIC) and third.renders == 2


async def test_the_worker_starts_on_demand_reuses_its_process_and_ends_when_idle():
    worker = ChartWorker(idle_seconds=0.3)
    try:
        assert not worker.running and worker.starts == 0
        charts = await asyncio.gather(worker.render(single_result()), worker.render(ranked_result()))
        assert all(chart.startswith(PNG_MAGIC) for chart in charts)
        assert (worker.starts, worker.renders) == (1, 2)
        await asyncio.wait_for(worker.stopped_when_idle(), 10)
        assert not worker.running
        assert (await worker.render(single_result())).startswith(PNG_MAGIC)
        assert (worker.starts, worker.renders) == (2, 3)
    finally:
        await worker.close()
    assert not worker.running
    with pytest.raises(ChartUnavailable):
        await worker.render(single_result())


async def test_a_process_that_died_is_replaced_by_the_next_request():
    worker = ChartWorker(idle_seconds=30)
    try:
        await worker.render(single_result())
        worker._process.kill()
        await worker._process.wait()
        assert (await worker.render(single_result())).startswith(PNG_MAGIC)
        assert worker.starts == 2
    finally:
        await worker.close()


async def test_a_process_that_is_not_a_chart_process_makes_charts_unavailable():
    worker = ChartWorker(command=[sys.executable, "-c", "import sys; sys.stdin.read(1); print('hello')"])
    try:
        with pytest.raises(ChartUnavailable):
            await worker.render(single_result())
        assert not worker.running
    finally:
        await worker.close()
