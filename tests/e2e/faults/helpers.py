"""Helpers for fault tests: close a poll by its deadline, keep the closer awake, find what
Namida posted and which requests got which answer."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from standin import RequestRecord, StandIn

T = TypeVar("T")


def poll_id_of(message: dict[str, Any]) -> int:
    return int(message["embeds"][0]["footer"]["text"].split("#")[1].split(" ")[0])


def results_posts(discord: StandIn, channel_id: int) -> list[dict[str, Any]]:
    return [
        m for m in discord.messages_in(channel_id)
        if m["embeds"] and m["embeds"][0]["title"].startswith("Results")
    ]  # fmt: skip


def posts_to(discord: StandIn, channel_id: int, since: int = 0) -> list[RequestRecord]:
    """Every POST of a message to channel_id from request index since, faulted ones included."""
    return [r for r in discord.requests[since:] if r.method == "POST" and r.path == f"/channels/{channel_id}/messages"]


async def close_by_deadline(bot, poll: dict[str, Any]) -> None:
    """Time passes: the poll's deadline is now in the past, and the closer notices."""
    await bot.polls.extend(poll_id_of(poll), datetime.now(UTC) - timedelta(seconds=1))
    bot.get_cog("Polls").closer.wake()


@contextlib.asynccontextmanager
async def waking(bot, every: float = 0.2) -> AsyncIterator[None]:
    """Keep waking the poll closer, as the passing of time would (it may retry what failed)."""

    async def wake() -> None:
        while True:
            bot.get_cog("Polls").closer.wake()
            await asyncio.sleep(every)

    task = asyncio.create_task(wake())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def wait_for_status(
    discord: StandIn,
    method: str,
    path: str,
    status: int,
    *,
    since: int = 0,
    timeout: float = 5.0,  # noqa: ASYNC109
) -> RequestRecord:
    """The first request matching method and path (fullmatch) that got ``status``."""

    def check() -> RequestRecord | None:
        return next(
            (r for r in discord.requests[since:] if r.method == method and r.status == status and _matches(path, r)),
            None,
        )

    return await discord.world.changed.wait_for(check, timeout, f"{method} {path} answered {status}")


async def wait_for_tally(discord: StandIn, message: dict[str, Any], text: str, timeout: float = 5.0) -> str:  # noqa: ASYNC109
    """The poll message's tally once it shows ``text`` (edits are coalesced, so they come late)."""

    def check() -> str | None:
        shown = discord.get_message(message["id"])
        tally = shown["embeds"][0]["description"] if shown else ""
        return tally if text in tally else None

    return await discord.world.changed.wait_for(check, timeout, f"the tally to show {text!r}")


async def wait_until(check: Callable[[], T | None], timeout: float, what: str) -> T:  # noqa: ASYNC109
    """Poll ``check`` (for conditions no stand-in event announces, such as a log line)."""
    try:
        async with asyncio.timeout(timeout):
            while (found := check()) is None:  # noqa: ASYNC110 (nothing to wait on: log lines)
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise TimeoutError(f"timed out after {timeout}s waiting for {what}") from None
    return found


def logged(caplog, text: str) -> list[str]:
    return [record.getMessage() for record in caplog.records if text in record.getMessage()]


def _matches(pattern: str, record: RequestRecord) -> bool:
    return re.fullmatch(pattern, record.path) is not None
