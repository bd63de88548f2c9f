"""Reading what Namida stored, for assertions (the bot itself never needs these queries)."""

from __future__ import annotations

from bot.storage.database import Store


async def last_reason(store: Store, nomination_id: int) -> str | None:
    """The reason recorded with the nomination's latest status change."""
    value = await store.fetch_value(
        "SELECT reason FROM nomination_events WHERE nomination_id = ? ORDER BY id DESC LIMIT 1", nomination_id
    )
    return str(value) if value is not None else None


async def has_seconded(store: Store, nomination_id: int, user_id: int) -> bool:
    row = await store.fetch_one("SELECT 1 FROM seconds WHERE nomination_id = ? AND user_id = ?", nomination_id, user_id)
    return row is not None
