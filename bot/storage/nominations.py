"""SQL for nominations and their seconds (the nominations aggregate; server settings have their
own store, bot/storage/guild_settings.py).

Checks that depend on other rows (limits, cooldown, near-duplicates, status transitions) run
inside the same locked write transaction as the change, so two fast clicks are serialised; the
UNIQUE index and the seconds primary key are what finally refuse a duplicate.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import UserFacingError
from bot.domain.nomination_changes import (
    NominationNotOpen,
    check_can_edit,
    check_can_merge,
    check_can_second,
    merged_supporters,
)
from bot.domain.nominations import (
    AlreadyNominated,
    Checked,
    Draft,
    Format,
    GuildSettings,
    Nomination,
    Status,
    check_member_limits,
    check_revision,
    near_duplicate,
)
from bot.domain.spoilers import Spoiler
from bot.domain.text import compact
from bot.storage.engine import ConstraintViolation, Database, Row, StorageUnavailable, Transaction, utc_text, utc_time

BLOCKING = "status IN ('pending', 'approved', 'rejected')"  # the statuses the one-per-moment index covers


class NominationGone(UserFacingError):
    def __init__(self, number: int | None = None) -> None:
        which = f"Nomination #{number}" if number else "That nomination"
        super().__init__(f"{which} doesn't exist in this server (or was removed).")


class NominationStore:
    def __init__(self, store: Database) -> None:
        self.store = store

    # -- submitting ---------------------------------------------------------------------------

    async def add_nomination(
        self,
        guild_id: int,
        list_id: str,
        author_id: int,
        checked: Checked,
        settings: GuildSettings,
        now: datetime,
    ) -> Nomination:
        draft = checked.draft
        async with self.store.transaction() as db:
            open_count, last = await self.member_activity(guild_id, author_id)
            check_member_limits(open_count, last, settings, now, draft)
            same_show = await self._same_show(guild_id, checked.draft.show_key, checked.catalogue_key,
                                              list_id, checked.represented_by)  # fmt: skip
            twin = near_duplicate(draft, same_show)
            if twin is not None:
                raise AlreadyNominated(twin, draft)
            number = await self.store.fetch_value(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM nominations WHERE guild_id = ?", guild_id
            )
            # A moment nominated meanwhile in another process meets the one-per-moment index.
            created = await db.fetch_one(
                "INSERT INTO nominations (guild_id, number, list_id, author_id, show, show_key, moment, moment_key,"
                " episode, what_happens, why, format, represented_by, public_show, catalogue_key, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING id",
                (
                    guild_id,
                    number,
                    list_id,
                    author_id,
                    draft.show,
                    draft.show_key,
                    draft.moment,
                    draft.moment_key,
                    draft.episode,
                    draft.what_happens,
                    draft.why,
                    draft.format.value,
                    checked.represented_by,
                    checked.known_show,
                    checked.catalogue_key,
                    utc_text(now),
                    utc_text(now),
                ),
            )
            if created is None:
                twins = await self._rows(
                    f"WHERE guild_id = ? AND (show_key = ? OR catalogue_key = ?) AND moment_key = ? AND {BLOCKING}",
                    guild_id,
                    draft.show_key,
                    checked.catalogue_key,
                    draft.moment_key,
                )
                if not twins:  # the number was taken, which the write lock rules out
                    raise StorageUnavailable()
                raise AlreadyNominated(twins[0], draft)
            nomination_id = int(created[0])
            await self._event(db, nomination_id, Status.PENDING, author_id, None, now)
            return (await self._rows("WHERE id = ?", nomination_id))[0]

    async def _same_show(
        self, guild_id: int, show_key: str, catalogue_key: str | None, list_id: str, list_entry: str | None
    ) -> list[Nomination]:
        """The server's nominations of one show however it was spelled: the same spelling, the
        same catalogue entry or the same entry of the list."""
        return await self._rows(
            "WHERE guild_id = ? AND (show_key = ? OR catalogue_key = ? OR (list_id = ? AND represented_by = ?))",
            guild_id,
            show_key,
            catalogue_key,
            list_id,
            list_entry,
        )

    async def member_activity(self, guild_id: int, author_id: int) -> tuple[int, datetime | None]:
        """How many of the member's nominations await review, and when they last submitted one."""
        row = await self.store.fetch_one(
            "SELECT count(*) FILTER (WHERE status = 'pending'), MAX(created_at) FROM nominations"
            " WHERE guild_id = ? AND author_id = ?",
            guild_id,
            author_id,
        )
        assert row is not None  # an aggregate without GROUP BY answers one row
        open_count, last = row[0], row[1]
        return int(open_count), utc_time(last) if last else None

    async def edit_nomination(self, nomination_id: int, editor_id: int, draft: Draft, now: datetime) -> Nomination:
        async with self.store.transaction() as db:
            current = await self._one(nomination_id)
            check_can_edit(current)
            if draft.moment_key != compact(current.moment.reveal()):
                same_show = await self._same_show(
                    current.guild_id, draft.show_key, current.catalogue_key, current.list_id, current.represented_by
                )
                twin = near_duplicate(draft, [n for n in same_show if n.id != nomination_id])
                if twin is not None:
                    raise AlreadyNominated(twin, draft)
                # Checked here rather than caught from the UPDATE: on PostgreSQL a failed statement
                # leaves its transaction unable to read the twin.
                exact = await self._rows(
                    f"WHERE guild_id = ? AND show_key = ? AND moment_key = ? AND {BLOCKING} AND id <> ?",
                    current.guild_id,
                    compact(current.show),
                    draft.moment_key,
                    nomination_id,
                )
                if exact:
                    raise AlreadyNominated(exact[0], draft)
            await db.execute(
                "INSERT INTO nomination_edits (nomination_id, editor_id, moment, episode, what_happens, why, edited_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    nomination_id,
                    editor_id,
                    current.moment.reveal(),
                    current.episode,
                    current.what_happens.reveal(),
                    current.why.reveal(),
                    utc_text(now),
                ),
            )
            try:
                await db.execute(
                    "UPDATE nominations SET moment = ?, moment_key = ?, episode = ?, what_happens = ?, why = ?,"
                    " revision = revision + 1, updated_at = ? WHERE id = ?",
                    (
                        draft.moment,
                        draft.moment_key,
                        draft.episode,
                        draft.what_happens,
                        draft.why,
                        utc_text(now),
                        nomination_id,
                    ),
                )
            except ConstraintViolation:
                raise AlreadyNominated(current, draft) from None
            return await self._one(nomination_id)

    async def edit_count(self, nomination_id: int) -> int:
        return int(
            await self.store.fetch_value("SELECT count(*) FROM nomination_edits WHERE nomination_id = ?", nomination_id)
        )

    async def record_post(self, nomination_id: int, channel_id: int, message_id: int) -> None:
        async with self.store.transaction() as db:
            await db.execute(
                "UPDATE nominations SET channel_id = ?, message_id = ? WHERE id = ?",
                (channel_id, message_id, nomination_id),
            )

    # -- seconds ------------------------------------------------------------------------------

    async def toggle_second(self, nomination_id: int, user_id: int, now: datetime) -> tuple[bool, Nomination]:
        """Seconds the nomination, or takes the member's second back; returns (seconded, nomination)."""
        async with self.store.transaction() as db:
            nomination = await self._one(nomination_id)
            check_can_second(nomination, user_id)
            cursor = await db.execute(
                "INSERT INTO seconds (nomination_id, user_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (nomination_id, user_id, utc_text(now)),
            )
            seconded = cursor.rowcount == 1
            if not seconded:
                await db.execute(
                    "DELETE FROM seconds WHERE nomination_id = ? AND user_id = ?", (nomination_id, user_id)
                )
            await self._recount(db, nomination_id)
            return seconded, await self._one(nomination_id)

    async def _recount(self, db: Transaction, nomination_id: int) -> None:
        await db.execute(
            "UPDATE nominations SET seconds = (SELECT count(*) FROM seconds WHERE nomination_id = ?) WHERE id = ?",
            (nomination_id, nomination_id),
        )

    # -- moderation ---------------------------------------------------------------------------

    async def change_status(
        self,
        nomination_id: int,
        status: Status,
        actor_id: int,
        now: datetime,
        *,
        reason: str | None = None,
        allowed_from: tuple[Status, ...] = (Status.PENDING,),
        seen_revision: int | None = None,
        public_show: str | None = None,
    ) -> Nomination:
        """``seen_revision``: the version the moderator decided on (refused if edited since);
        ``public_show``: the title they confirmed, kept as the nomination's public title."""
        async with self.store.transaction() as db:
            nomination = await self._one(nomination_id)
            if nomination.status not in allowed_from:
                raise NominationNotOpen(nomination, status.value)
            check_revision(nomination, seen_revision)
            await db.execute(
                "UPDATE nominations SET status = ?, public_show = COALESCE(?, public_show), updated_at = ?"
                " WHERE id = ?",
                (status.value, public_show, utc_text(now), nomination_id),
            )
            await self._event(db, nomination_id, status, actor_id, reason, now)
            return await self._one(nomination_id)

    async def merge(
        self, source_id: int, target_id: int, actor_id: int, now: datetime, *, seen_revision: int | None = None
    ) -> Nomination:
        """Folds a duplicate into ``target``: its author and seconders become seconders of the
        target (nobody twice, the target's author never), and the source is marked merged."""
        async with self.store.transaction() as db:
            source, target = await self._one(source_id), await self._one(target_id)
            check_can_merge(source, target)
            check_revision(source, seen_revision)
            seconders = await self.store.fetch_all("SELECT user_id FROM seconds WHERE nomination_id = ?", source_id)
            for user_id in merged_supporters(source, [row[0] for row in seconders], target):
                await db.execute(
                    "INSERT INTO seconds (nomination_id, user_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    (target_id, user_id, utc_text(now)),
                )
            await db.execute("DELETE FROM seconds WHERE nomination_id = ?", (source_id,))
            await self._recount(db, source_id)
            await self._recount(db, target_id)
            await db.execute(
                "UPDATE nominations SET status = 'merged', merged_into = ?, updated_at = ? WHERE id = ?",
                (target_id, utc_text(now), source_id),
            )
            await self._event(db, source_id, Status.MERGED, actor_id, f"merged into #{target.number}", now)
            return await self._one(target_id)

    async def oldest_pending(self, guild_id: int) -> Nomination | None:
        found = await self._rows("WHERE guild_id = ? AND status = 'pending' ORDER BY number LIMIT 1", guild_id)
        return found[0] if found else None

    # -- reading ------------------------------------------------------------------------------

    async def by_number(self, guild_id: int, number: int) -> Nomination:
        found = await self._rows("WHERE guild_id = ? AND number = ?", guild_id, number)
        if not found:
            raise NominationGone(number)
        return found[0]

    async def by_id(self, nomination_id: int) -> Nomination | None:
        found = await self._rows("WHERE id = ?", nomination_id)
        return found[0] if found else None

    async def page(
        self,
        guild_id: int,
        *,
        status: Status | None,
        show_keys: list[str] | None,
        author_id: int | None,
        offset: int,
        limit: int,
        catalogue_keys: list[str] | None = None,
    ) -> tuple[list[Nomination], int]:
        """One page, most-seconded first, and the total number of matches; ``show_keys`` and
        ``catalogue_keys``: nominations of any of these spellings or catalogue entries."""
        where: list[str] = ["guild_id = ?"]
        params: list[object] = [guild_id]
        for clause, value in (
            ("status = ?", status and status.value),
            ("author_id = ?", author_id),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        if show_keys is not None:
            entries = catalogue_keys or []
            where.append(
                f"(show_key IN ({', '.join('?' for _ in show_keys)})"
                f" OR catalogue_key IN ({', '.join('?' for _ in entries) or 'NULL'}))"
            )
            params.extend(show_keys)
            params.extend(entries)
        condition = "WHERE " + " AND ".join(where)
        return await self._counted(condition, "ORDER BY seconds DESC, number LIMIT ? OFFSET ?", params, limit, offset)

    async def public_shows(self, guild_id: int) -> list[str]:
        """The known show titles of the server's nominations (the list's, or confirmed by a
        moderator), each once: never a title only a member typed."""
        rows = await self.store.fetch_all(
            "SELECT public_show FROM nominations WHERE guild_id = ? AND public_show IS NOT NULL"
            " GROUP BY public_show ORDER BY lower(public_show), public_show",
            guild_id,
        )
        return [r[0] for r in rows]

    async def show_keys(self, guild_id: int) -> list[str]:
        """Every show key nominated in the server (to find the one a list page's button names)."""
        rows = await self.store.fetch_all("SELECT DISTINCT show_key FROM nominations WHERE guild_id = ?", guild_id)
        return [r[0] for r in rows]

    async def known_format(self, guild_id: int, show_key: str) -> Format | None:
        value = await self.store.fetch_value(
            "SELECT format FROM nominations WHERE guild_id = ? AND show_key = ? AND format NOT IN ('unknown')"
            " ORDER BY id DESC LIMIT 1",
            guild_id,
            show_key,
        )
        return Format(value) if value else None

    async def approved(self, guild_id: int, limit: int) -> list[Nomination]:
        return await self._rows(
            "WHERE guild_id = ? AND status = 'approved' ORDER BY seconds DESC, number LIMIT ?",
            guild_id,
            limit,
        )

    async def unposted(self, guild_id: int, limit: int) -> tuple[list[Nomination], int]:
        """Live nominations without a public post (the channel was unset, gone or closed to the
        bot when they came in), oldest first, up to ``limit``; and how many there are in all."""
        condition = "WHERE guild_id = ? AND status IN ('pending', 'approved') AND message_id IS NULL"
        return await self._counted(condition, "ORDER BY number LIMIT ?", [guild_id], limit)

    # -- helpers ------------------------------------------------------------------------------

    async def count_by_status(self) -> dict[str, int]:
        rows = await self.store.fetch_all("SELECT status, COUNT(*) FROM nominations GROUP BY status")
        return {str(row[0]): int(row[1]) for row in rows}

    async def _one(self, nomination_id: int) -> Nomination:
        found = await self.by_id(nomination_id)
        if found is None:
            raise NominationGone()
        return found

    async def _counted(
        self, condition: str, order_and_limit: str, params: list[object], *page: int
    ) -> tuple[list[Nomination], int]:
        """The rows ``condition`` matches, one page of them (``page`` fills the LIMIT/OFFSET marks), and their count."""
        total = await self.store.fetch_value(f"SELECT count(*) FROM nominations {condition}", *params)
        return await self._rows(f"{condition} {order_and_limit}", *params, *page), int(total or 0)

    async def _rows(self, condition: str, *params: object) -> list[Nomination]:
        """Reads go through the one shared connection, so inside a transaction they see its writes."""
        rows = await self.store.fetch_all(f"SELECT * FROM nominations {condition}", *params)
        return [_nomination(row) for row in rows]

    async def _event(
        self, db: Transaction, nomination_id: int, status: Status, actor_id: int, reason: str | None, now: datetime
    ) -> None:
        await db.execute(
            "INSERT INTO nomination_events (nomination_id, status, actor_id, reason, at) VALUES (?, ?, ?, ?, ?)",
            (nomination_id, status.value, actor_id, reason, utc_text(now)),
        )


def _nomination(row: Row) -> Nomination:
    return Nomination(
        id=row["id"],
        guild_id=row["guild_id"],
        number=row["number"],
        list_id=row["list_id"],
        author_id=row["author_id"],
        show=row["show"],
        moment=Spoiler(row["moment"]),
        episode=row["episode"],
        what_happens=Spoiler(row["what_happens"]),
        why=Spoiler(row["why"]),
        format=Format(row["format"]),
        represented_by=row["represented_by"],
        status=Status(row["status"]),
        merged_into=row["merged_into"],
        seconds=row["seconds"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        created_at=utc_time(row["created_at"]),
        public_show=row["public_show"],
        revision=row["revision"],
        catalogue_key=row["catalogue_key"],
    )
