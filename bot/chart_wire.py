"""What the bot and its chart process say to each other over a pipe.

Every message is one frame: a 4-byte big-endian length, then a JSON header line, then (answers
only) the PNG bytes. A request carries the whole ``Result`` to draw, so the chart process needs no
database and no Discord; an answer carries the chart, or why there is none, and how many charts
that process has drawn so far (tests and benchmarks read it).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from bot.domain.polls import Kind, Mode, OptionTotal, Poll, PollOption, Result, Round

LENGTH = struct.Struct(">I")
MAX_FRAME = 64 * 1024 * 1024  # a chart is well under 1 MB; anything bigger is a broken pipe


class WireError(Exception):
    """A frame that is cut short, too long or not what the protocol says."""


@dataclass(frozen=True, slots=True)
class Answer:
    request: int
    png: bytes | None
    error: str | None
    renders: int  # charts the process has drawn since it started


def frame(header: dict[str, Any], body: bytes = b"") -> bytes:
    payload = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode() + b"\n" + body
    return LENGTH.pack(len(payload)) + payload


def split_frame(payload: bytes) -> tuple[dict[str, Any], bytes]:
    head, newline, body = payload.partition(b"\n")
    if not newline:
        raise WireError("a frame without its header line")
    try:
        header = json.loads(head)
    except ValueError as error:
        raise WireError(f"an unreadable frame header: {error}") from None
    if not isinstance(header, dict):
        raise WireError("a frame header that is not an object")
    return header, body


def frame_length(prefix: bytes) -> int:
    (length,) = LENGTH.unpack(prefix)
    if length > MAX_FRAME:
        raise WireError(f"a frame of {length} bytes is longer than any chart")
    return length


def read_frame(stream: IO[bytes]) -> bytes | None:
    """The next frame's payload from a blocking stream; None at a clean end of input."""
    prefix = stream.read(LENGTH.size)
    if not prefix:
        return None
    if len(prefix) < LENGTH.size:
        raise WireError("input ended inside a frame's length")
    length = frame_length(prefix)
    payload = stream.read(length)
    if len(payload) < length:
        raise WireError("input ended inside a frame")
    return payload


def request_frame(request: int, result: Result) -> bytes:
    return frame({"request": request, "result": result_to_wire(result)})


def answer_frame(request: int, renders: int, png: bytes | None = None, error: str | None = None) -> bytes:
    return frame({"request": request, "renders": renders, "error": error}, png or b"")


def parse_answer(payload: bytes) -> Answer:
    header, body = split_frame(payload)
    try:
        return Answer(int(header["request"]), body or None, header.get("error"), int(header["renders"]))
    except (KeyError, TypeError, ValueError) as error:
        raise WireError(f"an answer without {error}") from None


def result_to_wire(result: Result) -> dict[str, Any]:
    poll = result.poll
    return {
        "poll": {
            "id": poll.id, "guild_id": poll.guild_id, "channel_id": poll.channel_id, "message_id": poll.message_id,
            "kind": poll.kind.value, "list_id": poll.list_id, "question": poll.question,
            "options": [[o.index, o.label, o.ref, _moment(o.added_at)] for o in poll.options], "mode": poll.mode.value,
            "max_choices": poll.max_choices, "hide_results": poll.hide_results, "anonymous": poll.anonymous,
            "role_id": poll.role_id, "creator_id": poll.creator_id, "created_at": poll.created_at.isoformat(),
            "closes_at": poll.closes_at.isoformat(),
            "closed_at": _moment(poll.closed_at),
        },
        "ballots": result.ballots,
        "totals": [[t.index, t.label, t.votes, t.percent] for t in result.totals],
        "winners": list(result.winners),
        "rounds": [
            [r.number, [[i, n] for i, n in r.votes.items()], list(r.eliminated), r.exhausted] for r in result.rounds
        ],
    }  # fmt: skip


def _moment(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def result_from_wire(data: dict[str, Any]) -> Result:
    """The ``Result`` a request carries; anything missing or mistyped is a ``WireError``."""
    try:
        p = data["poll"]
        poll = Poll(
            id=int(p["id"]), guild_id=int(p["guild_id"]), channel_id=int(p["channel_id"]),
            message_id=None if p["message_id"] is None else int(p["message_id"]), kind=Kind(p["kind"]),
            list_id=p["list_id"], question=str(p["question"]),
            options=tuple(
                PollOption(int(i), str(label), ref, datetime.fromisoformat(added) if added else None)
                for i, label, ref, added in p["options"]
            ),
            mode=Mode(p["mode"]), max_choices=int(p["max_choices"]), hide_results=bool(p["hide_results"]),
            anonymous=bool(p["anonymous"]), role_id=None if p["role_id"] is None else int(p["role_id"]),
            creator_id=int(p["creator_id"]), created_at=datetime.fromisoformat(p["created_at"]),
            closes_at=datetime.fromisoformat(p["closes_at"]),
            closed_at=datetime.fromisoformat(p["closed_at"]) if p["closed_at"] else None,
        )  # fmt: skip
        totals = tuple(OptionTotal(int(i), str(label), int(v), float(pct)) for i, label, v, pct in data["totals"])
        rounds = tuple(
            Round(int(n), {int(i): int(v) for i, v in votes}, tuple(int(i) for i in out), int(exhausted))
            for n, votes, out, exhausted in data["rounds"]
        )
        return Result(poll, int(data["ballots"]), totals, tuple(int(i) for i in data["winners"]), rounds)
    except (KeyError, TypeError, ValueError) as error:
        raise WireError(f"a request whose result is unreadable ({type(error).__name__}: {error})") from None
