"""Coalesced message edits: whatever the click rate, at most one edit per message per interval,
and the last state is always the one shown (each edit renders the state when it runs)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Hashable

import discord

log = logging.getLogger(__name__)
Edit = Callable[[], Awaitable[None]]
MAX_RETRIES = 5


class MessageRefresher:
    def __init__(self, interval: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self._wanted: dict[Hashable, Edit] = {}
        self._last_edit: dict[Hashable, float] = {}
        self._workers: dict[Hashable, asyncio.Task] = {}
        self._flushing = asyncio.Event()
        self._failures: dict[Hashable, int] = {}
        self.edits_sent = 0

    def request(self, key: Hashable, edit: Edit) -> None:
        """Ask for ``edit`` to run soon; a later request for the same key replaces this one."""
        self._wanted[key] = edit
        if key not in self._workers:
            self._workers[key] = asyncio.create_task(self._work(key), name=f"refresh-{key}")

    async def _work(self, key: Hashable) -> None:
        try:
            while key in self._wanted:
                wait = self._last_edit.get(key, float("-inf")) + self.interval - self.clock()
                if wait > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._flushing.wait(), wait)
                await self._run(key, self._wanted.pop(key))
        finally:
            self._workers.pop(key, None)

    async def _run(self, key: Hashable, edit: Edit) -> None:
        self.edits_sent += 1
        try:
            await edit()
        except discord.NotFound:
            log.info("Message %s to refresh is gone; skipping", key)
        except discord.DiscordServerError as error:
            # A passing Discord failure: try again after the interval, unless a newer edit is waiting.
            failures = self._failures.get(key, 0) + 1
            self._failures[key] = failures
            if failures <= MAX_RETRIES and not self._flushing.is_set():
                self._wanted.setdefault(key, edit)
            log.warning("Refreshing message %s failed (%s, attempt %d)", key, error.status, failures)
        except discord.HTTPException as error:
            log.warning("Could not refresh message %s: %s", key, error)
        else:
            self._failures.pop(key, None)
        finally:
            # From the end of the edit: a render that waited behind votes must not bring the next
            # edit closer than the interval.
            self._last_edit[key] = self.clock()

    async def flush(self) -> None:
        """Run every pending edit now, without waiting out the interval (used on shutdown, so the
        last state is not lost); edits already under way finish first."""
        self._flushing.set()
        await asyncio.gather(*list(self._workers.values()), return_exceptions=True)
