"""Group commit for votes: the clicks that arrive together are committed in one transaction, and
each member is told only after that commit.

A batch is one transaction: old ballots are read in one query per poll (two queries in all on
PostgreSQL), the clicks applied in order in memory, and the net changes written with executemany.
On SQLite it is one function run on the database thread (``SqliteStore.run_transaction``); on
PostgreSQL the same steps, awaited on the writer connection (``write_batch_awaiting``).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.ballots import Intent, PollClosed, counted, decode, encode, next_ballot
from bot.domain.errors import UserFacingError
from bot.domain.polls import Mode, Poll, validate_ballot
from bot.storage.engine import StorageUnavailable, Transaction, utc_text, utc_time

log = logging.getLogger(__name__)

Outcome = tuple[int, ...] | Exception


@dataclass(frozen=True, slots=True)
class Cast:
    poll: Poll
    user_id: int
    intent: Intent
    now: datetime


class BallotWriter:
    """Clicks queue up while a transaction is being written, then go in together."""

    def __init__(self, write: Callable[[list[Cast]], Awaitable[list[Outcome]]]) -> None:
        self._write = write
        self._queue: list[tuple[Cast, asyncio.Future]] = []
        self._task: asyncio.Task | None = None
        self.batches = 0

    async def submit(self, poll: Poll, user_id: int, intent: Intent, now: datetime) -> tuple[int, ...]:
        future = asyncio.get_running_loop().create_future()
        self._queue.append((Cast(poll, user_id, intent, now), future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="ballot-writer")
        outcome = await future
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def _run(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            try:
                outcomes = await self._write([cast for cast, _ in batch])
            except Exception as failure:  # noqa: BLE001 - every waiting member must get an answer, never a hang
                log.error("Could not save %d ballot(s): %s", len(batch), failure)
                outcomes = [StorageUnavailable() for _ in batch]
            self.batches += 1
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if not future.done():
                    future.set_result(outcome)

    async def drain(self) -> None:
        """Wait until every queued click is committed (on shutdown)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)


Deadlines = dict[int, datetime | None]
Ballots = dict[tuple[int, int], tuple[int, ...]]


def write_batch(db: sqlite3.Connection, batch: list[Cast]) -> list[Outcome]:
    """On the SQLite thread, inside the transaction."""
    deadlines, ballots = _batch_state(db, batch)
    outcomes, changes = _apply(batch, deadlines, ballots)
    for sql, rows in changes.statements():
        db.executemany(sql, rows)
    return outcomes


async def write_batch_awaiting(db: Transaction, batch: list[Cast]) -> list[Outcome]:
    """On PostgreSQL, inside the transaction: the state in two queries, then the changes."""
    poll_ids = sorted({item.poll.id for item in batch})
    pairs = sorted({(item.poll.id, item.user_id) for item in batch})
    polls = await db.fetch_all("SELECT id, closes_at, closed_at FROM polls WHERE id = ANY(?)", (poll_ids,))
    rows = await db.fetch_all(
        "SELECT poll_id, user_id, choices FROM ballots WHERE (poll_id, user_id) IN"
        " (SELECT * FROM unnest(?::bigint[], ?::bigint[]))",
        ([p for p, _ in pairs], [u for _, u in pairs]),
    )
    deadlines: Deadlines = dict.fromkeys(poll_ids)
    deadlines.update({row[0]: utc_time(row[1]) for row in polls if row[2] is None})
    outcomes, changes = _apply(batch, deadlines, {(row[0], row[1]): decode(row[2]) for row in rows})
    for sql, params in changes.statements():
        await db.executemany(sql, params)
    return outcomes


def _apply(batch: list[Cast], deadlines: Deadlines, ballots: Ballots) -> tuple[list[Outcome], _Changes]:
    """The clicks in order, each one seeing the ones before it; a refused click doesn't spoil the
    others."""
    outcomes: list[Outcome] = []
    changes = _Changes()
    for item in batch:
        key = (item.poll.id, item.user_id)
        try:
            deadline = deadlines.get(item.poll.id)
            if not deadline or deadline <= item.now:
                raise PollClosed()
            new = next_ballot(item.poll, ballots.get(key, ()), item.intent)
            new = validate_ballot(item.poll, new) if new else ()
        except UserFacingError as refused:
            outcomes.append(refused)
            continue
        changes.move(item, ballots.get(key, ()), new)
        ballots[key] = new
        outcomes.append(new)
    return outcomes, changes


def _batch_state(db: sqlite3.Connection, batch: list[Cast]) -> tuple[Deadlines, Ballots]:
    """Each poll's deadline (None once closed) and the current ballots of the batch's members."""
    deadlines: Deadlines = {}
    ballots: Ballots = {}
    for poll_id in {item.poll.id for item in batch}:
        row = db.execute("SELECT closes_at, closed_at FROM polls WHERE id = ?", (poll_id,)).fetchone()
        deadlines[poll_id] = utc_time(row["closes_at"]) if row and row["closed_at"] is None else None
        users = sorted({item.user_id for item in batch if item.poll.id == poll_id})
        for start in range(0, len(users), 500):  # SQLite's limit on bound parameters
            chunk = users[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT user_id, choices FROM ballots WHERE poll_id = ? AND user_id IN ({marks})", (poll_id, *chunk)
            )
            ballots.update({(poll_id, row[0]): decode(row[1]) for row in rows})
    return deadlines, ballots


class _Changes:
    """The net effect of a batch of clicks on ballots and counters."""

    def __init__(self) -> None:
        self.votes: Counter[tuple[int, int]] = Counter()
        self.ballot_counts: Counter[int] = Counter()
        self.patterns: Counter[tuple[int, str]] = Counter()
        self.final: dict[tuple[int, int], tuple[tuple[int, ...], datetime]] = {}

    def move(self, item: Cast, old: tuple[int, ...], new: tuple[int, ...]) -> None:
        if old == new:
            return
        poll = item.poll
        for ballot, step in ((old, -1), (new, +1)):
            if not ballot:
                continue
            for index in counted(poll, ballot):
                self.votes[(poll.id, index)] += step
            self.ballot_counts[poll.id] += step
            if poll.mode is Mode.RANKED:
                self.patterns[(poll.id, encode(ballot))] += step
        self.final[(poll.id, item.user_id)] = (new, item.now)

    def statements(self) -> list[tuple[str, list[tuple[object, ...]]]]:
        """The net changes as statements and their rows; a statement with no rows is left out
        (each is a trip through SQLite and the GIL, or to the server, even with nothing to do)."""
        statements: tuple[tuple[str, list[tuple[object, ...]]], ...] = (
            (
                "UPDATE poll_options SET votes = votes + ? WHERE poll_id = ? AND idx = ?",
                [(step, poll_id, index) for (poll_id, index), step in self.votes.items() if step],
            ),
            (
                "UPDATE polls SET ballots = ballots + ? WHERE id = ?",
                [(step, poll_id) for poll_id, step in self.ballot_counts.items() if step],
            ),
            # A CHECK runs before an upsert's conflict handling, so decrements are plain updates.
            (
                "UPDATE ranked_patterns SET ballots = ballots + ? WHERE poll_id = ? AND choices = ?",
                [(step, poll_id, choices) for (poll_id, choices), step in self.patterns.items() if step < 0],
            ),
            (
                "INSERT INTO ranked_patterns (poll_id, choices, ballots) VALUES (?, ?, ?)"
                " ON CONFLICT (poll_id, choices) DO UPDATE SET ballots = ranked_patterns.ballots + excluded.ballots",
                [(poll_id, choices, step) for (poll_id, choices), step in self.patterns.items() if step > 0],
            ),
            (
                "INSERT INTO ballots (poll_id, user_id, choices, cast_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (poll_id, user_id) DO UPDATE SET choices = excluded.choices, cast_at = excluded.cast_at",
                [(p, u, encode(new), utc_text(now)) for (p, u), (new, now) in self.final.items() if new],
            ),
            (
                "DELETE FROM ballots WHERE poll_id = ? AND user_id = ?",
                [(p, u) for (p, u), (new, _) in self.final.items() if not new],
            ),
        )
        return [(sql, rows) for sql, rows in statements if rows]
