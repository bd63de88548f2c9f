"""``python -m bot.chart_process``: draws poll charts for the bot, one request at a time.

It reads request frames (bot/chart_wire.py) on standard input and writes one answer frame per
request on standard output; it ends when its input ends, which is how the bot stops an idle one
(and how it never outlives a bot that died). matplotlib lives only in this process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from typing import IO

from bot.chart_wire import WireError, answer_frame, read_frame, result_from_wire, split_frame

log = logging.getLogger("bot.chart_process")
NICENESS = 19  # a chart can wait a moment, a vote can't: on a busy machine the bot gets the CPU first


def serve(requests: IO[bytes], answers: IO[bytes]) -> int:
    """Answers every request until the input ends; returns the number of charts drawn."""
    from bot.results_files import render_chart  # here, so a bad install fails a request, not the start

    renders = 0
    while True:
        payload = read_frame(requests)
        if payload is None:
            return renders
        header, _ = split_frame(payload)
        request = int(header.get("request", -1))
        try:
            png = render_chart(result_from_wire(header["result"]))
        except Exception as error:  # the bot gets an answer for every request, never silence
            log.exception("Could not draw the chart of request %s", request)
            answers.write(answer_frame(request, renders, error=f"{type(error).__name__}: {error}"))
        else:
            renders += 1
            answers.write(answer_frame(request, renders, png))
        answers.flush()


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="chart process: %(levelname)s %(message)s")
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no os.nice on Windows
        os.nice(NICENESS)
    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print from a library must not corrupt the answer stream
    try:
        serve(sys.stdin.buffer, answers)
    except WireError as error:
        log.error("Stopping: %s", error)
        return 2
    except (BrokenPipeError, KeyboardInterrupt):
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
