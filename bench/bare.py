"""The baseline: a bare discord.py bot whose only work per click is to defer it.

``python -m bench.bare API_BASE GATEWAY_URL`` (token in ``DISCORD_TOKEN``), pointed at a stand-in
the same way ``standin.launch`` points Namida at one. discord.py's defaults throughout (asyncio's
event loop, an unbounded HTTP pool); ``BENCH_BARE_LOOP=uvloop`` runs it on uvloop, as Namida runs.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


class BareBot(discord.Client):
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()


async def run(token: str) -> None:
    client = BareBot(intents=discord.Intents(guilds=True))
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, lambda: asyncio.ensure_future(client.close()))
    async with client:
        await client.start(token)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    Route.BASE = sys.argv[1]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])
    if os.environ.get("BENCH_BARE_LOOP") == "uvloop":
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(run(os.environ["DISCORD_TOKEN"]))
    else:
        asyncio.run(run(os.environ["DISCORD_TOKEN"]))
