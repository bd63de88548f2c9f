"""SQL for polls. Ballots are written by ``BallotWriter`` (bot/storage/ballot_writer.py), in groups.

Counters (``poll_options.votes``, ``polls.ballots``, ``ranked_patterns``) change in the same
transaction as the ballot, so a tally reads a handful of rows whatever the number of ballots.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.domain.ballots import Intent, decode
from bot.domain.errors import UserFacingError
from bot.domain.poll_changes import OptionRefused, new_option
from bot.domain.polls import Kind, Mode, NewPoll, Poll, PollOption
from bot.storage.ballot_writer import BallotWriter, Cast, Outcome, write_batch, write_batch_awaiting
from bot.storage.database import SqliteStore
from bot.storage.engine import ConstraintViolation, Database, Row, utc_text, utc_time

log = logging.getLogger(__name__)
SCHEDULED, LIVE = "scheduled", "live"  # polls.status: planned ahead and not posted yet, or posted
# A claim on posting a poll's results that is this old was left by a process that stopped
# mid-post: another may take it over.
STALE_CLAIM = timedelta(minutes=10)


class PollGone(UserFacingError):
    def __init__(self) -> None:
        super().__init__("I don't know that poll in this server (it may have been from another server, or mistyped).")


class PollStore:
    def __init__(self, store: Database) -> None:
        self.store = store
        self.writer = BallotWriter(self.apply_batch)
        self.vote_observer: Callable[[], None] = lambda: None  # each committed vote (``/metrics``)
        # Every click needs its poll; polls change rarely (post, close, reopen, extend), and every
        # change goes through this store, which forgets the cached copy.
        self._cache: dict[int, Poll] = {}
        # Bumped by every change: a read that overlapped a change must not cache what it read.
        self._generation = 0
        self.claimant = uuid.uuid4().hex  # this process, in its claims on announcing results

    # -- polls --------------------------------------------------------------------------------

    async def create_poll(self, new: NewPoll, now: datetime) -> Poll:
        async with self.store.transaction() as db:
            created = await db.fetch_one(
                "INSERT INTO polls (guild_id, channel_id, kind, list_id, question, mode, max_choices, hide_results,"
                " anonymous, role_id, creator_id, created_at, closes_at, status, starts_at, ping_role_id,"
                " remind_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    new.guild_id, new.channel_id, new.kind.value, new.list_id, new.question, new.mode.value,
                    new.max_choices, int(new.hide_results), int(new.anonymous), new.role_id, new.creator_id,
                    utc_text(now), utc_text(new.closes_at), SCHEDULED if new.starts_at else LIVE,
                    utc_text(new.starts_at) if new.starts_at else None, new.ping_role_id,
                    int(new.remind_before.total_seconds()) if new.remind_before else None,
                ),
            )  # fmt: skip
            assert created is not None  # an INSERT … RETURNING returns its row
            poll_id = int(created[0])
            await db.executemany(
                "INSERT INTO poll_options (poll_id, idx, label, ref) VALUES (?, ?, ?, ?)",
                [(poll_id, o.index, o.label, o.ref) for o in new.options],
            )
        stored = await self.poll(poll_id)
        assert stored is not None  # committed just above
        return stored

    async def set_message(self, poll_id: int, channel_id: int, message_id: int) -> None:
        async with self.store.transaction() as db:
            await db.execute(
                "UPDATE polls SET channel_id = ?, message_id = ? WHERE id = ?", (channel_id, message_id, poll_id)
            )
        self._forget(poll_id)

    async def poll(self, poll_id: int) -> Poll | None:
        if poll_id in self._cache:
            return self._cache[poll_id]
        generation = self._generation
        found = await self._polls("WHERE id = ?", poll_id)
        if found and generation == self._generation:
            self._cache[poll_id] = found[0]
        return found[0] if found else None

    def _forget(self, poll_id: int) -> None:
        self._generation += 1
        self._cache.pop(poll_id, None)

    async def poll_in(self, guild_id: int, poll_id: int) -> Poll:
        poll = await self.poll(poll_id)
        if poll is None or poll.guild_id != guild_id:
            raise PollGone()
        return poll

    async def recent(self, guild_id: int, *, open_only: bool | None = None, limit: int = 25) -> list[Poll]:
        condition = {None: "", True: " AND closed_at IS NULL", False: " AND closed_at IS NOT NULL"}[open_only]
        return await self._polls(f"WHERE guild_id = ?{condition} ORDER BY id DESC LIMIT ?", guild_id, limit)

    async def due(self, now: datetime) -> list[Poll]:
        return await self._polls(
            "WHERE status = ? AND closed_at IS NULL AND closes_at <= ? ORDER BY closes_at", LIVE, utc_text(now)
        )

    async def unannounced(self) -> list[Poll]:
        """Closed polls whose results were never posted (Namida stopped between the two)."""
        return await self._polls("WHERE closed_at IS NOT NULL AND results_message_id IS NULL ORDER BY closed_at")

    async def next_deadline(self) -> datetime | None:
        value = await self.store.fetch_value(
            "SELECT MIN(closes_at) FROM polls WHERE status = ? AND closed_at IS NULL", LIVE
        )
        return utc_time(value) if value else None

    async def close(self, poll_id: int, now: datetime) -> bool:
        """Closes an open poll; False if it was already closed (closing is idempotent)."""
        async with self.store.transaction() as db:
            cursor = await db.execute(
                "UPDATE polls SET closed_at = ? WHERE id = ? AND closed_at IS NULL", (utc_text(now), poll_id)
            )
        self._forget(poll_id)
        return cursor.rowcount == 1

    async def close_claiming(self, poll_id: int, now: datetime) -> bool:
        """Closes an open poll and claims posting its results, in one transaction, so no sweep for
        unposted results (in any process) can take them in between; False if it was already closed."""
        async with self.store.transaction() as db:
            cursor = await db.execute(
                "UPDATE polls SET closed_at = ? WHERE id = ? AND closed_at IS NULL", (utc_text(now), poll_id)
            )
            if cursor.rowcount == 1:
                await db.execute(
                    "INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE"
                    " SET value = excluded.value, updated_at = excluded.updated_at",
                    (_claim_key(poll_id), self.claimant, utc_text(now)),
                )
        self._forget(poll_id)
        return cursor.rowcount == 1

    async def reopen(self, poll_id: int, closes_at: datetime) -> None:
        async with self.store.transaction() as db:
            await db.execute(
                "UPDATE polls SET closed_at = NULL, closes_at = ?, results_message_id = NULL WHERE id = ?",
                (utc_text(closes_at), poll_id),
            )
            await db.execute("DELETE FROM meta WHERE key = ?", (_claim_key(poll_id),))
        self._forget(poll_id)

    async def extend_open(self, poll_id: int, closes_at: datetime, now: datetime) -> bool:
        """Moves an open poll's deadline, in one statement; False if it closed meanwhile (closed by
        a moderator, or its deadline passed), so a racing close is never silently undone."""
        async with self.store.transaction() as db:
            cursor = await db.execute(
                "UPDATE polls SET closes_at = ? WHERE id = ? AND closed_at IS NULL AND closes_at > ?",
                (utc_text(closes_at), poll_id, utc_text(now)),
            )
        self._forget(poll_id)
        return cursor.rowcount == 1

    async def extend(self, poll_id: int, closes_at: datetime) -> None:
        async with self.store.transaction() as db:
            await db.execute("UPDATE polls SET closes_at = ? WHERE id = ?", (utc_text(closes_at), poll_id))
        self._forget(poll_id)

    async def add_option(self, poll_id: int, label: str, now: datetime) -> tuple[Poll, PollOption]:
        """Appends an option to an open poll (the rules: ``new_option``), read and written in one
        transaction so a racing close or a second addition is seen. No ballot names the new index,
        so its counter starts at zero and every counter still equals a recount. Two processes
        adding at once both pick the next index: the primary key keeps one, the other is refused."""
        try:
            async with self.store.transaction() as db:
                rows = await db.fetch_all("SELECT * FROM polls WHERE id = ?", (poll_id,))
                if not rows:
                    raise PollGone()
                options = await db.fetch_all(
                    "SELECT idx, label, ref, added_at FROM poll_options WHERE poll_id = ? ORDER BY idx", (poll_id,)
                )
                option = new_option(_poll(rows[0], tuple(_option(o) for o in options)), label, now)
                await db.execute(
                    "INSERT INTO poll_options (poll_id, idx, label, ref, added_at) VALUES (?, ?, ?, ?, ?)",
                    (poll_id, option.index, option.label, option.ref, utc_text(now)),
                )
        except ConstraintViolation:
            raise OptionRefused(f"**Poll #{poll_id}** changed at the same moment: try again.") from None
        self._forget(poll_id)
        poll = await self.poll(poll_id)
        if poll is None:
            raise PollGone()
        return poll, option

    async def set_results_message(self, poll_id: int, message_id: int | None) -> None:
        async with self.store.transaction() as db:
            await db.execute("UPDATE polls SET results_message_id = ? WHERE id = ?", (message_id, poll_id))
            await db.execute("DELETE FROM meta WHERE key = ?", (_claim_key(poll_id),))

    async def claim_announcement(self, poll_id: int, now: datetime) -> bool:
        """True for exactly one process (this one) of all that try to post a closed poll's results:
        none has posted them, and no other holds a fresh claim. Release it if posting fails."""
        async with self.store.transaction() as db:
            row = await db.fetch_one("SELECT closed_at, results_message_id FROM polls WHERE id = ?", (poll_id,))
            if row is None or row[0] is None or row[1] is not None:
                return False
            claimed = await db.execute(
                "INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE"
                " SET value = excluded.value, updated_at = excluded.updated_at WHERE meta.updated_at < ?",
                (_claim_key(poll_id), self.claimant, utc_text(now), utc_text(now - STALE_CLAIM)),
            )
        return claimed.rowcount == 1

    async def release_announcement(self, poll_id: int) -> None:
        """Gives a claim back (Discord failed for a moment) so the next try, anywhere, may post."""
        async with self.store.transaction() as db:
            await db.execute("DELETE FROM meta WHERE key = ? AND value = ?", (_claim_key(poll_id), self.claimant))

    async def results_message(self, poll_id: int) -> int | None:
        value = await self.store.fetch_value("SELECT results_message_id FROM polls WHERE id = ?", poll_id)
        return int(value) if value is not None else None

    # -- ballots and tallies ------------------------------------------------------------------

    async def cast(self, poll: Poll, user_id: int, intent: Intent, now: datetime) -> tuple[int, ...]:
        """Applies a click through the group-committing writer; returns the member's ballot."""
        ballot = await self.writer.submit(poll, user_id, intent, now)
        self.vote_observer()
        return ballot

    async def ballot_of(self, poll_id: int, user_id: int) -> tuple[int, ...]:
        value = await self.store.fetch_value(
            "SELECT choices FROM ballots WHERE poll_id = ? AND user_id = ?", poll_id, user_id
        )
        return decode(str(value)) if value else ()

    async def counts(self, poll_id: int) -> tuple[dict[int, int], int]:
        """Votes per option and the number of ballots, from the counters (no ballot scan)."""
        rows = await self.store.fetch_all("SELECT idx, votes FROM poll_options WHERE poll_id = ?", poll_id)
        ballots = await self.store.fetch_value("SELECT ballots FROM polls WHERE id = ?", poll_id)
        return {row[0]: row[1] for row in rows}, int(ballots or 0)

    async def patterns(self, poll_id: int) -> dict[tuple[int, ...], int]:
        rows = await self.store.fetch_all(
            "SELECT choices, ballots FROM ranked_patterns WHERE poll_id = ? AND ballots > 0", poll_id
        )
        return {decode(row[0]): row[1] for row in rows}

    async def all_ballots(self, poll_id: int) -> list[tuple[int, tuple[int, ...]]]:
        rows = await self.store.fetch_all(
            "SELECT user_id, choices FROM ballots WHERE poll_id = ? ORDER BY cast_at", poll_id
        )
        return [(row[0], decode(row[1])) for row in rows]

    async def apply_batch(self, batch: list[Cast]) -> list[Outcome]:
        """One transaction for many clicks: on SQLite a single trip to the database thread, on
        PostgreSQL a few round trips whatever the batch's size."""
        if isinstance(self.store, SqliteStore):
            return await self.store.run_transaction(lambda db: write_batch(db, batch))
        async with self.store.transaction() as db:
            return await write_batch_awaiting(db, batch)

    async def open_count(self) -> int:
        value = await self.store.fetch_value("SELECT COUNT(*) FROM polls WHERE status = ? AND closed_at IS NULL", LIVE)
        return int(value or 0)

    # -- planned ahead: starts, reminders, cancelling -----------------------------------------

    async def starts_due(self, until: datetime) -> list[Poll]:
        """Scheduled polls starting by ``until``, earliest first."""
        return await self._polls("WHERE status = ? AND starts_at <= ? ORDER BY starts_at", SCHEDULED, utc_text(until))

    async def scheduled_in(self, guild_id: int) -> list[Poll]:
        return await self._polls("WHERE status = ? AND guild_id = ? ORDER BY starts_at", SCHEDULED, guild_id)

    async def claim_start(self, poll_id: int) -> bool:
        """Marks a scheduled poll live; only the caller that gets True posts it."""
        return await self._claim(
            poll_id, "UPDATE polls SET status = ? WHERE id = ? AND status = ?", LIVE, poll_id, SCHEDULED
        )

    async def release_start(self, poll_id: int) -> None:
        """Gives back a start whose post Discord failed to take, so it is tried again."""
        await self._claim(
            poll_id, "UPDATE polls SET status = ? WHERE id = ? AND status = ? AND message_id IS NULL",
            SCHEDULED, poll_id, LIVE,
        )  # fmt: skip

    async def reminders_pending(self) -> list[Poll]:
        """Live polls with a reminder not sent yet (the caller decides which are due)."""
        return await self._polls(
            "WHERE status = ? AND closed_at IS NULL AND remind_seconds IS NOT NULL AND reminded_at IS NULL"
            " AND message_id IS NOT NULL ORDER BY closes_at",
            LIVE,
        )

    async def claim_reminder(self, poll_id: int, now: datetime) -> bool:
        """Only the caller that gets True sends the reminder: it is never sent twice, however many
        processes or restarts race for it."""
        return await self._claim(
            poll_id, "UPDATE polls SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL AND closed_at IS NULL",
            utc_text(now), poll_id,
        )  # fmt: skip

    async def release_reminder(self, poll_id: int) -> None:
        await self._claim(poll_id, "UPDATE polls SET reminded_at = NULL WHERE id = ?", poll_id)

    async def cancel_scheduled(self, poll_id: int) -> bool:
        """Drops a poll that has not started; False if it started meanwhile (or never existed)."""
        async with self.store.transaction() as db:
            await db.execute(
                "DELETE FROM poll_options WHERE poll_id = ? AND poll_id IN (SELECT id FROM polls WHERE status = ?)",
                (poll_id, SCHEDULED),
            )
            cursor = await db.execute("DELETE FROM polls WHERE id = ? AND status = ?", (poll_id, SCHEDULED))
        self._forget(poll_id)
        return cursor.rowcount == 1

    async def reschedule(self, poll_id: int, starts_at: datetime, closes_at: datetime) -> None:
        """Moves a scheduled poll's window (operators, and tests that let time pass)."""
        async with self.store.transaction() as db:
            await db.execute(
                "UPDATE polls SET starts_at = ?, closes_at = ? WHERE id = ?",
                (utc_text(starts_at), utc_text(closes_at), poll_id),
            )
        self._forget(poll_id)

    # -- helpers ------------------------------------------------------------------------------

    async def _claim(self, poll_id: int, sql: str, *params: object) -> bool:
        """One conditional UPDATE of ``poll_id``'s row; True if it changed it."""
        async with self.store.transaction() as db:
            cursor = await db.execute(sql, params)
        self._forget(poll_id)
        return cursor.rowcount == 1

    async def _polls(self, condition: str, *params: object) -> list[Poll]:
        rows = await self.store.fetch_all(f"SELECT * FROM polls {condition}", *params)
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        marks = ", ".join("?" for _ in ids)
        options: dict[int, list[PollOption]] = {i: [] for i in ids}
        for o in await self.store.fetch_all(
            f"SELECT poll_id, idx, label, ref, added_at FROM poll_options WHERE poll_id IN ({marks}) ORDER BY idx",
            *ids,
        ):
            options[o["poll_id"]].append(_option(o))
        return [_poll(row, tuple(options[row["id"]])) for row in rows]


def _claim_key(poll_id: int) -> str:
    return f"announcing:{poll_id}"


def _option(row: Row) -> PollOption:
    added = row["added_at"]
    return PollOption(row["idx"], row["label"], row["ref"], utc_time(added) if added else None)


def _poll(row: Row, options: tuple[PollOption, ...]) -> Poll:
    return Poll(
        id=row["id"], guild_id=row["guild_id"], channel_id=row["channel_id"], message_id=row["message_id"],
        kind=Kind(row["kind"]), list_id=row["list_id"], question=row["question"], options=options,
        mode=Mode(row["mode"]), max_choices=row["max_choices"], hide_results=bool(row["hide_results"]),
        anonymous=bool(row["anonymous"]), role_id=row["role_id"], creator_id=row["creator_id"],
        created_at=utc_time(row["created_at"]), closes_at=utc_time(row["closes_at"]),
        closed_at=utc_time(row["closed_at"]) if row["closed_at"] else None, scheduled=row["status"] == SCHEDULED,
        starts_at=utc_time(row["starts_at"]) if row["starts_at"] else None, ping_role_id=row["ping_role_id"],
        remind_before=timedelta(seconds=row["remind_seconds"]) if row["remind_seconds"] else None,
        reminded_at=utc_time(row["reminded_at"]) if row["reminded_at"] else None,
    )  # fmt: skip
