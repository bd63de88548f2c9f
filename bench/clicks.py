"""Shared steps: start a poll through the stand-in, fire clicks at it, read the database (a SQLite
file, or a PostgreSQL URL)."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import asyncpg

from bot.storage.postgresql import numbered
from standin.serve import StandInProcess

MOD = "mod"
_TALLY_LINE = re.compile(r"\*\*(\d+)\. [^\n]*\*\*[^\n]*\n`[^`]*` (\d+) · ")
_BALLOTS = re.compile(r"\*\*(\d+)\*\* ballot\(s\)")


async def start_poll(discord: StandInProcess, question: str, options: str, **extra: Any) -> tuple[int, dict]:
    """``/poll custom`` in #polls as a moderator; returns the poll id and its public message."""
    await discord.call("member", name=MOD, permissions="manage_guild")
    before = await discord.call("request_count")
    answer = await discord.call(
        "slash", name="poll custom", user=MOD, channel="polls",
        options={"question": question, "options": options, **extra}, timeout=20,
    )  # fmt: skip
    content = (answer["message"] or {}).get("content", "")
    if "is up in" not in content:
        raise RuntimeError(f"the poll did not start: {answer}")
    channel = discord.channel_id("polls")
    await discord.call("wait_request", method="POST", path=rf"/channels/{channel}/messages", start=before)
    message = (await discord.call("messages", channel="polls"))[-1]
    poll_id = int(re.search(r"Poll #(\d+)", message["embeds"][0]["footer"]["text"])[1])
    return poll_id, message


def vote_buttons(message: dict) -> list[str]:
    return [
        c["custom_id"]
        for row in message["components"]
        for c in row.get("components", [])
        if re.fullmatch(r"poll:\d+:v:\d+", c.get("custom_id", ""))
    ]


async def fire(
    discord: StandInProcess,
    batch: str,
    message_id: int,
    clicks: list[tuple[str, str]],
    **options: Any,
) -> tuple[dict, list[dict]]:
    """Prepare and fire one batch in the stand-in process; returns (fire info, per-click results)."""
    await discord.call("prepare", batch=batch, message_id=message_id, clicks=clicks)
    info = await discord.call("fire", batch=batch, **options)
    results = await discord.call("results", batch=batch)
    await discord.call("drop", batch=batch)
    return info, results


def shown_tally(message: dict) -> tuple[dict[int, int], int]:
    """Votes per option index and the ballot count, as the public poll message shows them."""
    text = message["embeds"][0]["description"]
    votes = {int(number) - 1: int(count) for number, count in _TALLY_LINE.findall(text) if int(count)}
    found = _BALLOTS.search(text)
    return votes, int(found[1]) if found else -1


def connect(database: Path) -> sqlite3.Connection:
    """A plain connection for checks (the bot may be running: WAL lets us read beside it)."""
    connection = sqlite3.connect(database, timeout=30)
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


def query(database: Path | str, sql: str, *params: object) -> list[tuple]:
    """Rows of one statement (``?`` placeholders), committed, on either engine; checks only."""
    if isinstance(database, Path):
        with closing(connect(database)) as db, db:
            return [tuple(row) for row in db.execute(sql, params)]

    async def run() -> list[tuple]:
        connection = await asyncpg.connect(database)
        try:
            return [tuple(row) for row in await connection.fetch(numbered(sql), *params)]
        finally:
            await connection.close()

    with ThreadPoolExecutor(max_workers=1) as thread:  # its own loop: the caller's is running
        return thread.submit(asyncio.run, run()).result()


def recount(database: Path | str, poll_id: int) -> tuple[dict[int, int], int]:
    """Votes per option and ballots by scanning the ballots themselves (checks only)."""
    votes: Counter[int] = Counter()
    ballots = 0
    for (choices,) in query(database, "SELECT choices FROM ballots WHERE poll_id = ?", poll_id):
        ballots += 1
        votes.update(int(i) for i in choices.split(",") if i)
    return dict(votes), ballots


def counters(database: Path | str, poll_id: int) -> tuple[dict[int, int], int]:
    """The stored counters the bot keeps in step with the ballots."""
    votes = dict(query(database, "SELECT idx, votes FROM poll_options WHERE poll_id = ?", poll_id))
    ((ballots,),) = query(database, "SELECT ballots FROM polls WHERE id = ?", poll_id)
    return {k: v for k, v in votes.items() if v}, ballots


def integrity(database: Path | str) -> str:
    """SQLite's integrity check; PostgreSQL keeps its own files whole ("ok")."""
    if not isinstance(database, Path):
        return "ok"
    return "; ".join(row[0] for row in query(database, "PRAGMA integrity_check"))
