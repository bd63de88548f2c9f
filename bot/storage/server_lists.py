"""SQL for a server's own lists (the server lists aggregate).

A change reads the list, lets a domain rule compute the new places and writes them back, all in
one locked write transaction, so two moderators editing at once never lose each other's change.
The UNIQUE constraints (one id per server, one entry per show and per nomination) refuse what
slips past the rules.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.domain.catalog import Credit, Rules
from bot.domain.errors import UnknownList
from bot.domain.server_lists import (
    MAX_LISTS,
    ListHeader,
    NoServerLists,
    ServerEntry,
    ServerList,
    ServerListRefused,
    entry_fields,
    list_id_from_name,
    refuse_duplicates,
)
from bot.domain.text import compact, normalise
from bot.storage.engine import ConstraintViolation, Database, Row, Transaction, utc_text

Change = Callable[[ServerList], tuple[ServerEntry, ...]]


class ServerListStore:
    def __init__(self, store: Database) -> None:
        self.store = store

    # -- lists --------------------------------------------------------------------------------

    async def create(
        self,
        guild_id: int,
        list_id: str,
        name: str,
        header: ListHeader,
        creator_id: int,
        now: datetime,
        *,
        ranked_places: int,
        entries: tuple[ServerEntry, ...] = (),
    ) -> ServerList:
        """A new list (with ``entries``, for an imported file); refused past MAX_LISTS or when the
        server already has a list with this id."""
        async with self.store.transaction() as db:
            count = await self.store.fetch_value("SELECT count(*) FROM server_lists WHERE guild_id = ?", guild_id)
            if isinstance(count, int) and count >= MAX_LISTS:
                raise ServerListRefused(
                    f"This server already has {MAX_LISTS} lists, the most it can have: delete one first."
                )
            await self._refuse_taken_name(guild_id, name, {list_id, list_id_from_name(name)})
            created = await db.fetch_one(
                "INSERT INTO server_lists (guild_id, list_id, name, ranked_places, header, created_by,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                (guild_id, list_id, name, ranked_places, _header_json(header), creator_id, utc_text(now),
                 utc_text(now)),
            )  # fmt: skip
            if created is None:  # the (guild_id, list_id) key is taken
                raise ServerListRefused(
                    f"This server already has a list called that (its id would be `{list_id}`): pick another name."
                )
            await self._write_entries(db, int(created[0]), entries)
            return await self._read(guild_id, list_id)

    async def rename(self, guild_id: int, list_id: str, name: str, now: datetime) -> ServerList:
        """A new name; the id stays, so the list's buttons in older messages keep working."""
        async with self.store.transaction() as db:
            current = await self._read(guild_id, list_id)
            await self._refuse_taken_name(guild_id, name, {list_id_from_name(name)}, current.id)
            await db.execute(
                "UPDATE server_lists SET name = ?, updated_at = ? WHERE id = ?", (name, utc_text(now), current.id)
            )
            return await self._read(guild_id, current.list_id)

    async def _refuse_taken_name(self, guild_id: int, name: str, ids: set[str], own_row: int | None = None) -> None:
        """Refuses a name another list here has, or one whose id another list's name or id gives:
        an id kept through a rename no longer follows the name, so both are compared."""
        rows = await self.store.fetch_all("SELECT id, list_id, name FROM server_lists WHERE guild_id = ?", guild_id)
        for row in rows:
            if row["id"] == own_row:
                continue
            same_id = row["list_id"] in ids or list_id_from_name(row["name"]) in ids
            if same_id or normalise(row["name"]) == normalise(name):
                raise ServerListRefused(
                    f"This server already has a list called that (**{row['name']}**, id `{row['list_id']}`): "
                    "pick another name."
                )

    async def delete(self, guild_id: int, list_id: str, list_row: int | None = None) -> ServerList:
        """Deletes the list (only the one stored as ``list_row``, when given: not a list made since
        under the same id); UnknownList when it is already gone."""
        async with self.store.transaction() as db:
            current = await self._read(guild_id, list_id)
            if list_row is not None and current.id != list_row:
                raise UnknownList(list_id, [])
            await db.execute("DELETE FROM server_list_entries WHERE list_row = ?", (current.id,))
            await db.execute("DELETE FROM server_lists WHERE id = ?", (current.id,))
            return current

    # -- entries ------------------------------------------------------------------------------

    async def change_entries(
        self, guild_id: int, list_id: str, change: Change, now: datetime, *, ranked_places: int | None = None
    ) -> ServerList:
        """Replaces the list's places with ``change(current)``, computed inside the transaction."""
        async with self.store.transaction() as db:
            current = await self._read(guild_id, list_id)
            entries = change(current)
            refuse_duplicates(entries, current)
            await db.execute("DELETE FROM server_list_entries WHERE list_row = ?", (current.id,))
            await self._write_entries(db, current.id, entries)
            await db.execute(
                "UPDATE server_lists SET ranked_places = COALESCE(?, ranked_places), updated_at = ? WHERE id = ?",
                (ranked_places, utc_text(now), current.id),
            )
            return await self._read(guild_id, list_id)

    async def _write_entries(self, db: Transaction, list_row: int, entries: tuple[ServerEntry, ...]) -> None:
        for place, entry in enumerate(entries, start=1):
            try:
                await db.execute(
                    "INSERT INTO server_list_entries (list_row, place, entry_key, show_key, nomination_id, content)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (list_row, place, entry.key, compact(entry.show), entry.nomination_id, _entry_json(entry)),
                )
            except ConstraintViolation:
                raise ServerListRefused(
                    "That would put the same show or nomination on the list twice, so I changed nothing."
                ) from None

    # -- reading ------------------------------------------------------------------------------

    async def get(self, guild_id: int, list_id: str) -> ServerList:
        """The server's list with this id, or UnknownList naming the server's lists."""
        return await self._read(guild_id, list_id)

    async def find(self, guild_id: int, wanted: str) -> ServerList | None:
        """The server's list whose id or name is ``wanted`` (ignoring case and punctuation)."""
        try:
            return await self._read(guild_id, wanted.strip())
        except UnknownList:
            return None

    async def names(self, guild_id: int) -> list[tuple[str, str]]:
        """(id, name) of each of the server's lists, by name."""
        return [(row["list_id"], row["name"]) for row in await self._list_rows(guild_id)]

    async def _list_rows(self, guild_id: int) -> Sequence[Row]:
        return await self.store.fetch_all(
            "SELECT list_id, name FROM server_lists WHERE guild_id = ? ORDER BY lower(name), id", guild_id
        )

    async def _read(self, guild_id: int, wanted: str) -> ServerList:
        """The list by id, or by name as a moderator may type it; UnknownList names the others."""
        row = await self.store.fetch_one(
            "SELECT * FROM server_lists WHERE guild_id = ? AND list_id = ?", guild_id, wanted
        )
        if row is None:
            names = await self.names(guild_id)
            same_name = next((list_id for list_id, name in names if normalise(name) == normalise(wanted)), None)
            if same_name is not None:
                return await self._read(guild_id, same_name)
            if not names:
                raise NoServerLists(wanted)
            raise UnknownList(wanted, [name for _, name in names])
        rows = await self.store.fetch_all(
            "SELECT e.content, e.nomination_id, n.author_id FROM server_list_entries e"
            " LEFT JOIN nominations n ON n.id = e.nomination_id WHERE e.list_row = ? ORDER BY e.place",
            row["id"],
        )
        seconders = await self._seconders([r["nomination_id"] for r in rows if r["nomination_id"] is not None])
        entries = tuple(
            _entry(r["content"], r["nomination_id"], r["author_id"], seconders.get(r["nomination_id"], ()))
            for r in rows
        )
        return ServerList(
            id=row["id"],
            guild_id=row["guild_id"],
            list_id=row["list_id"],
            name=row["name"],
            top=row["ranked_places"],
            header=_header(row["header"]),
            entries=entries,
        )

    async def _seconders(self, nomination_ids: list[int]) -> dict[int, tuple[int, ...]]:
        if not nomination_ids:
            return {}
        marks = ", ".join("?" for _ in nomination_ids)
        rows = await self.store.fetch_all(
            f"SELECT nomination_id, user_id FROM seconds WHERE nomination_id IN ({marks}) ORDER BY at, user_id",
            *nomination_ids,
        )
        found: dict[int, list[int]] = {}
        for nomination_id, user_id in rows:
            found.setdefault(nomination_id, []).append(user_id)
        return {k: tuple(v) for k, v in found.items()}


def _header_json(header: ListHeader) -> str:
    return json.dumps(
        {
            "credit": [header.credit.author, header.credit.publication, header.credit.source],
            "spoiler_warning": header.spoiler_warning,
            "rules": header.rules.as_list(),
        },
        ensure_ascii=False,
    )


def _header(text: str) -> ListHeader:
    data = json.loads(text)
    return ListHeader(Credit(*data["credit"]), data["spoiler_warning"], Rules(*data["rules"]))


def _entry_json(entry: ServerEntry) -> str:
    return json.dumps(entry_fields(entry, None), ensure_ascii=False)


def _entry(content: str, nomination_id: int | None, author_id: int | None, seconders: tuple[int, ...]) -> ServerEntry:
    data = json.loads(content)
    return ServerEntry(
        key=data["key"],
        show=data["show"],
        moment=data["moment"],
        summary=data["summary"],
        why_it_hits=data["why_it_hits"],
        episode=data.get("episode"),
        alt_titles=tuple(data.get("alt_titles", ())),
        characters=tuple(data.get("characters", ())),
        themes=tuple(data.get("themes", ())),
        catalogue=data.get("catalogue"),
        nomination_id=nomination_id,
        nominated_by=author_id,
        seconded_by=seconders,
    )
