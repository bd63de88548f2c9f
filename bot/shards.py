"""Which Discord gateway shards this process connects, and so which guilds it runs background
work for. Discord puts a guild on shard ``(guild_id >> 22) % shard_count``."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import NamidaError


class ShardSettingError(NamidaError):
    """NAMIDA_SHARD_COUNT or NAMIDA_SHARDS is malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Shards:
    """count None: one process, every shard Discord recommends (today's default). Otherwise this
    process connects ``ids`` out of ``count``."""

    count: int | None = None
    ids: tuple[int, ...] = ()

    @property
    def sharded(self) -> bool:
        return self.count is not None

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process runs the guild's background work (closing polls, reminders, ...)."""
        if self.count is None:
            return True
        return (guild_id >> 22) % self.count in self.ids

    @property
    def syncs_commands(self) -> bool:
        """Commands are global to the application: exactly one process (the one with shard 0,
        which always exists) syncs them, so several processes do not repeat or race the overwrite."""
        return self.count is None or 0 in self.ids

    def describe(self) -> str:
        if self.count is None:
            return "one process, all shards"
        return f"shards {format_shard_ids(self.ids)} of {self.count} in this process"


def load_shards(count_raw: str, ids_raw: str) -> Shards:
    """From NAMIDA_SHARD_COUNT and NAMIDA_SHARDS (e.g. ``0-3`` or ``0,2,5-7``); both may be unset."""
    if not count_raw:
        if ids_raw:
            raise ShardSettingError(
                "NAMIDA_SHARDS needs NAMIDA_SHARD_COUNT: set the total number of shards over all processes too."
            )
        return Shards()
    if not (count_raw.isascii() and count_raw.isdigit()) or int(count_raw) < 1:
        raise ShardSettingError(f"NAMIDA_SHARD_COUNT must be a whole number of at least 1 (got {count_raw!r}).")
    count = int(count_raw)
    ids = _shard_ids(ids_raw, count) if ids_raw else tuple(range(count))
    return Shards(count, ids)


def _shard_ids(raw: str, count: int) -> tuple[int, ...]:
    ids: list[int] = []
    for part in raw.split(","):
        low, _, high = part.strip().partition("-")
        if not _is_number(low) or (high and not _is_number(high)):
            raise ShardSettingError(f"NAMIDA_SHARDS must list shard ids and ranges like 0-3 or 0,2,5-7 (got {raw!r}).")
        first, last = int(low), int(high or low)
        if first > last:
            raise ShardSettingError(f"NAMIDA_SHARDS has the range {part.strip()} backwards; write {last}-{first}.")
        for shard_id in range(first, last + 1):
            if shard_id >= count:
                raise ShardSettingError(
                    f"NAMIDA_SHARDS lists shard {shard_id}, but with NAMIDA_SHARD_COUNT={count} "
                    f"the shards are 0 to {count - 1}."
                )
            if shard_id in ids:
                raise ShardSettingError(f"NAMIDA_SHARDS lists shard {shard_id} twice.")
            ids.append(shard_id)
    return tuple(sorted(ids))


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def format_shard_ids(ids: tuple[int, ...]) -> str:
    """``(0, 1, 2, 5)`` -> ``0-2,5``."""
    runs: list[str] = []
    start = previous = None
    for shard_id in (*ids, None):
        if shard_id is not None and previous is not None and shard_id == previous + 1:
            previous = shard_id
            continue
        if start is not None:
            runs.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = shard_id
    return ",".join(runs)
