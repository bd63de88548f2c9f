"""The anime catalogue as the bot uses it: optional, prepared in the background, never in the way.

Start-up does not wait for it. When the index is missing or older than the catalogue file, a
separate process rebuilds it (parsing the JSON costs hundreds of megabytes for a moment, which
should not stay in the bot's heap); until it is ready every query answers ``None`` ("not ready"),
and callers fall back to the list's own shows. SQLite and rapidfuzz work runs on one dedicated
thread, so a query never blocks the event loop.
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
from bot.storage.anime_index import AnimeIndex, IndexFacts, index_path, stamp

log = logging.getLogger(__name__)

T = TypeVar("T")


class AnimeCatalogue:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.index_path = index_path(path)
        self._index: AnimeIndex | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="anime-catalogue")
        self._preparing: asyncio.Task[None] | None = None
        self._builder: asyncio.subprocess.Process | None = None

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

    async def wait_ready(self) -> bool:
        """For callers that can wait (``check``, tests): True once queries answer."""
        if self._preparing is not None:
            await asyncio.shield(self._preparing)
        return self.ready

    async def search(self, text: str, limit: int = 25) -> list[Anime] | None:
        return await self._ask(lambda index: index.search(text, limit))

    async def exact(self, text: str) -> list[Anime] | None:
        return await self._ask(lambda index: index.exact(text))

    async def by_key(self, key: str) -> Anime | None:
        return await self._ask(lambda index: index.by_key(key))

    async def by_source(self, url: str) -> Anime | None:
        return await self._ask(lambda index: index.by_source(url))

    async def close(self) -> None:
        if self._builder is not None and self._builder.returncode is None:
            self._builder.kill()
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

    async def _prepare(self) -> None:
        if not await self._run(self.path.is_file):
            log.info("No anime catalogue at %s; shows are matched against the list only", self.path)
            return
        index = await self._run(self._open_current)
        if index is None:
            if not await self._rebuild():
                return
            index = await self._run(self._open_current)
        if index is None:
            log.warning("The anime catalogue index %s could not be opened; shows are free text", self.index_path)
            return
        self._index = index
        log.info("Anime catalogue ready: %d entries, last updated %s", index.facts.count, index.facts.last_update)

    def _open_current(self) -> AnimeIndex | None:
        """The index, if it exists, opens and was built from the catalogue file as it is now."""
        try:
            index = AnimeIndex(self.index_path)
        except Exception:  # noqa: BLE001 - missing, half-written or from another version: rebuilt either way
            return None
        if index.stamp != stamp(self.path):
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
            log.warning("The anime catalogue %s could not be indexed (%s); shows are free text", self.path, last_line)
            return False
        return True
