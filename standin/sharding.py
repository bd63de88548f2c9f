"""Which gateway shard a guild belongs to, and the ``shard`` field of an IDENTIFY."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's rule: the shard whose id is the guild's creation timestamp modulo the count."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class Shard:
    id: int = 0
    count: int = 1

    def owns(self, guild_id: int | None) -> bool:
        """Direct messages (no guild) go to shard 0, as on Discord."""
        if guild_id is None:
            return self.id == 0
        return shard_of(guild_id, self.count) == self.id


def parse_shard(identify: dict[str, Any]) -> Shard | str:
    """The IDENTIFY's shard, or why it is invalid. No ``shard`` means one connection for every guild."""
    value = identify.get("shard")
    if value is None:
        return Shard()
    if not (isinstance(value, list) and len(value) == 2 and all(type(part) is int for part in value)):
        return f"shard must be [shard_id, shard_count], not {value!r}"
    shard_id, count = value
    if count < 1 or not 0 <= shard_id < count:
        return f"invalid shard {value!r}: need 0 <= shard_id < shard_count"
    return Shard(shard_id, count)


def guild_id_of(data: Any) -> int | None:
    """The guild a dispatch concerns; None for direct messages and events without one."""
    guild_id = data.get("guild_id") if isinstance(data, dict) else None
    return int(guild_id) if guild_id is not None else None
