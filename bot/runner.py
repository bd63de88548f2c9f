"""Start-up in one explicit order: lists → database → bot → gateway; clean close on signals."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Coroutine
from typing import Any

import discord

from bot.app import Namida, bot_class
from bot.domain.list_files import load_catalog
from bot.settings import Settings, SettingsError
from bot.storage.opening import open_database

log = logging.getLogger(__name__)

# The event loop holds its tasks only weakly: a close nobody references could vanish half-done.
_closing: set[asyncio.Future[None]] = set()


async def build_bot(settings: Settings, *, force_sync: bool = False, **client_options: Any) -> Namida:
    """Everything the bot needs, loaded and validated, but not yet connected. ``client_options``
    go to discord.py's Client (tests shorten ``guild_ready_timeout``)."""
    catalog = load_catalog(settings.lists_dir)
    store = await open_database(settings.database)
    log.info(
        "Loaded %d list(s) with %d entries; database: %s; %s",
        len(catalog.lists),
        catalog.entry_count,
        await store.describe(),
        settings.shards.describe(),
    )
    cls, shard_options = bot_class(settings)
    options = shard_options | client_options
    return cls(settings=settings, store=store, catalog=catalog, force_sync=force_sync, **options)


async def run(settings: Settings, *, force_sync: bool = False) -> None:
    bot = await build_bot(settings, force_sync=force_sync, settle_heap=True)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, _request_close, bot, signum)
    try:
        await bot.start(settings.token or "")
    except discord.LoginFailure as error:
        raise SettingsError(
            "Discord refused DISCORD_TOKEN: the token was reset or copied wrongly; "
            "reset it under Bot at https://discord.com/developers/applications and set it again."
        ) from error
    finally:
        await bot.close()
        log.info("Stopped cleanly")


def run_event_loop(main: Coroutine) -> None:
    """Runs ``main`` on uvloop where it exists (Linux, macOS): discord.py's own work per click
    (gateway events in, HTTP answers out) is mostly event-loop and socket code, which uvloop runs
    in C. Elsewhere, asyncio's loop."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
        return
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(main)


def _request_close(bot: Namida, signum: int) -> None:
    log.info("Received %s; closing", signal.Signals(signum).name)
    closing = asyncio.ensure_future(bot.close())
    _closing.add(closing)
    closing.add_done_callback(_closing.discard)
