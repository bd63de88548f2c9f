"""The anime catalogue as the bot uses it: optional, prepared in the background, never in the way.

Start-up does not wait for it. When the index is missing or older than the catalogue file, a
separate process rebuilds it (parsing the JSON costs hundreds of megabytes for a moment, which
should not stay in the bot's heap); until it is ready every query answers ``None`` ("not ready"),
and callers fall back to the list's own shows. SQLite and rapidfuzz work runs on one dedicated
thread, so a query never blocks the event loop.

A running bot looks at the file once a minute (one ``stat``): a catalogue replaced by ``namida
catalogue update`` (or by hand) is indexed the same way and swapped in, and until then, or if the
new file is unusable, queries keep answering from the previous index.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from bot.domain.anime import Anime
from bot.storage.anime_index import AnimeIndex, IndexFacts, index_path, remove_partial, stamp

log = logging.getLogger(__name__)

T = TypeVar("T")
CHECK_SECONDS = 60.0  # how often a running bot looks for a newer catalogue file


class AnimeCatalogue:
    def __init__(self, path: Path, check_seconds: float = CHECK_SECONDS) -> None:
        self.path = path
        self.index_path = index_path(path)
        self.check_seconds = check_seconds
        self._index: AnimeIndex | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="anime-catalogue")
        self._preparing: asyncio.Task[None] | None = None
        self._watching: asyncio.Task[None] | None = None
        self._builder: asyncio.subprocess.Process | None = None
        self._unusable: str | None = None  # the stamp of a file that could not be indexed: not retried

    @property
    def ready(self) -> bool:
        return self._index is not None

    @property
    def facts(self) -> IndexFacts | None:
        return self._index.facts if self._index else None

    def start(self) -> None:
        """Begins preparing the index in the background; returns at once."""
        if self._preparing is None:
            self._preparing = asyncio.create_task(self._prepare(), name="anime-catalogue")
            self._watching = asyncio.create_task(self._watch(), name="anime-catalogue-watch")

    async def wait_ready(self) -> bool:
        """For callers that can wait (``check``, tests): True once queries answer."""
        if self._preparing is not None:
            await asyncio.shield(self._preparing)
        return self.ready

    async def refresh(self) -> bool:
        """Switches to the catalogue file as it is now, if it changed since it was indexed (what the
        minutely check does); True if queries now answer from a new index."""
        if self._preparing is None or not self._preparing.done():
            return False  # not started, or already preparing
        now = await self._run(self._file_stamp)
        current = self._index.stamp if self._index else None
        if now is None or now in (current, self._unusable):
            return False
        self._preparing = asyncio.create_task(self._prepare(), name="anime-catalogue")
        await asyncio.shield(self._preparing)
        return self._index is not None and self._index.stamp != current

    async def search(self, text: str, limit: int = 25) -> list[Anime] | None:
        return await self._ask(lambda index: index.search(text, limit))

    async def exact(self, text: str) -> list[Anime] | None:
        return await self._ask(lambda index: index.exact(text))

    async def by_key(self, key: str) -> Anime | None:
        return await self._ask(lambda index: index.by_key(key))

    async def by_source(self, url: str) -> Anime | None:
        return await self._ask(lambda index: index.by_source(url))

    async def close(self) -> None:
        if self._watching is not None:
            self._watching.cancel()
            await asyncio.gather(self._watching, return_exceptions=True)
        if self._builder is not None and self._builder.returncode is None:
            self._builder.kill()
            await self._builder.wait()
            remove_partial(self.index_path, self._builder.pid)
        if self._preparing is not None and not self._preparing.done():
            self._preparing.cancel()
            await asyncio.gather(self._preparing, return_exceptions=True)
        index, self._index = self._index, None
        if index is not None:
            await self._run(index.close)
        self._thread.shutdown(wait=False)

    async def _ask(self, question: Callable[[AnimeIndex], T]) -> T | None:
        index = self._index
        if index is None:
            return None
        return await self._run(lambda: question(index))

    async def _run(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, work)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.check_seconds)
            try:
                await self.refresh()
            except Exception:  # a failed check must not end the checking
                log.exception("Looking for a newer anime catalogue at %s failed", self.path)

    async def _prepare(self) -> None:
        previous = self._index
        now = await self._run(self._file_stamp)
        if now is None:
            if previous is None:
                log.info("No anime catalogue at %s; shows are matched against the list only", self.path)
            return
        index = await self._run(self._open_current)
        if index is None:
            if not await self._rebuild():
                self._unusable = now
                return
            index = await self._run(self._open_current)
        if index is None:
            self._unusable = now
            log.warning("The anime catalogue index %s could not be opened; %s", self.index_path, self._fallback())
            return
        self._index = index
        if previous is not None:  # queries already queued on the thread still run on it first
            await self._run(previous.close)
        log.info("Anime catalogue ready: %d entries, last updated %s", index.facts.count, index.facts.last_update)

    def _fallback(self) -> str:
        return "the previous catalogue stays in use" if self._index is not None else "shows are free text"

    def _file_stamp(self) -> str | None:
        try:
            return stamp(self.path) if self.path.is_file() else None
        except OSError:  # replaced or removed between the two looks
            return None

    def _open_current(self) -> AnimeIndex | None:
        """The index, if it exists, opens and was built from the catalogue file as it is now."""
        try:
            index = AnimeIndex(self.index_path)
        except Exception:  # noqa: BLE001 - missing, half-written or from another version: rebuilt either way
            return None
        if index.stamp != self._file_stamp():
            index.close()
            return None
        return index

    async def _rebuild(self) -> bool:
        log.info("Building the anime catalogue index %s from %s", self.index_path, self.path)
        self._builder = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.storage.anime_index", str(self.path), str(self.index_path),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, errors = await self._builder.communicate()
        if self._builder.returncode != 0:
            last_line = (errors.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
            log.warning(
                "The anime catalogue %s could not be indexed (%s); %s", self.path, last_line, self._fallback()
            )
            return False
        return True
