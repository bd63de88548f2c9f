"""SQL for per-server settings: channels, nomination limits, the moderator role. Every feature
reads them (polls post results in the poll channel, lists and polls check the moderator role), so
they are an aggregate of their own rather than part of one feature's store."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import datetime
from typing import Any

from bot.domain.guild_settings import GuildSettings
from bot.storage.engine import Database, utc_text

_COLUMNS = [f.name for f in fields(GuildSettings) if f.name != "guild_id"]
_FLAGS = [f.name for f in fields(GuildSettings) if f.type in (bool, "bool")]


class GuildSettingsStore:
    def __init__(self, store: Database) -> None:
        self.store = store

    async def get(self, guild_id: int) -> GuildSettings:
        """The server's settings; the defaults for a server that never changed one."""
        row = await self.store.fetch_one("SELECT * FROM guild_settings WHERE guild_id = ?", guild_id)
        if row is None:
            return GuildSettings(guild_id)
        values = {name: row[name] for name in _COLUMNS}
        for flag in _FLAGS:
            values[flag] = bool(values[flag])
        return GuildSettings(guild_id, **values)

    async def update(self, guild_id: int, now: datetime, **changes: Any) -> GuildSettings:
        unknown = set(changes) - set(_COLUMNS)
        if unknown:
            raise ValueError(f"unknown settings {sorted(unknown)}")
        async with self.store.transaction() as db:
            updated = replace(await self.get(guild_id), **changes)
            values = [int(v) if isinstance(v, bool) else v for v in (getattr(updated, n) for n in _COLUMNS)]
            updates = ", ".join(f"{name} = excluded.{name}" for name in (*_COLUMNS, "updated_at"))
            await db.execute(
                f"INSERT INTO guild_settings (guild_id, {', '.join(_COLUMNS)}, updated_at) "
                f"VALUES (?, {', '.join('?' for _ in values)}, ?) ON CONFLICT (guild_id) DO UPDATE SET {updates}",
                (guild_id, *values, utc_text(now)),
            )
        return updated
