"""The poll's clock and its current tally, read from the store: shared by the buttons, the
commands and the closer, so it imports nothing that builds messages."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.poll_tally import compute_result

__all__ = ["compute_result", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)
