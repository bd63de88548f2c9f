"""An adjustable clock (for the 3-second and 15-minute rules) and a tiny change-notification helper."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Clock:
    """Monotonic seconds plus an offset that tests move forward to simulate elapsed time."""

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        return time.monotonic() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += seconds


class Signal:
    """Wakes every waiter whenever something changed; waiters re-check their own condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, check: Callable[[], T | None], timeout: float, what: str) -> T:  # noqa: ASYNC109
        """Return check()'s first non-None value, re-evaluated after each fire()."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    event = self._event
                    found = check()
                    if found is not None:
                        return found
                    await event.wait()
        except TimeoutError:
            raise TimeoutError(f"stand-in: timed out after {timeout}s waiting for {what}") from None
