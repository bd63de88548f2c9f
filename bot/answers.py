"""Answers to the busiest interactions (votes), posted straight to Discord's callback endpoint.

discord.py answers an interaction through aiohttp, asks Discord to send the answer back
(``with_response``) and parses it into a message: the largest single cost of a click on the event
loop. Here the answer is one POST through pyreqwest, whose HTTP work runs on its own thread
outside the GIL (about 50 µs of the loop's time per request against aiohttp's 200 µs, measured on
the development machine), and Discord's reply (204, no body) needs no parsing.

Only plain-text answers go this way. Whenever this path cannot be sure the member was answered
it says so, and the caller falls back to discord.py's own ``InteractionResponse``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import discord
import orjson
from discord.http import Route
from pyreqwest.client import Client, ClientBuilder
from pyreqwest.exceptions import ConnectError, PoolTimeoutError, PyreqwestError

from bot.domain import limits

log = logging.getLogger(__name__)

CHANNEL_MESSAGE = 4  # interaction callback types, as Discord numbers them
UPDATE_MESSAGE = 7
EPHEMERAL = 1 << 6
NO_PINGS = {"parse": []}

CONNECTIONS = 32  # like discord.py's own pool in bot/app.py
TIMEOUT = timedelta(seconds=limits.FIRST_RESPONSE_SECONDS)  # a later answer would be refused anyway
USER_AGENT = f"DiscordBot (https://github.com/Rapptz/discord.py, {discord.__version__}) Namida"

# Failures that happen before a request can have reached Discord: safe to answer again.
_NOT_SENT = (ConnectError, PoolTimeoutError)


class DirectAnswers:
    """One HTTP client, kept for the bot's lifetime."""

    def __init__(self) -> None:
        self._client: Client | None = None

    async def start(self) -> None:
        self._client = (
            ClientBuilder()
            .max_connections(CONNECTIONS)
            .timeout(TIMEOUT)
            .user_agent(USER_AGENT)
            .follow_redirects(False)
            .no_proxy()  # like discord.py, which ignores proxy variables unless told otherwise
            .build()
        )

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.close()

    async def send_text(self, interaction: discord.Interaction, text: str) -> bool:
        """A new ephemeral message; False if discord.py should answer instead."""
        data = {"content": _checked(text), "flags": EPHEMERAL, "allowed_mentions": NO_PINGS}
        done = await self._post(interaction, CHANNEL_MESSAGE, data)
        return _mark(interaction, discord.InteractionResponseType.channel_message) if done else False

    async def update_text(self, interaction: discord.Interaction, text: str) -> bool:
        """The clicked message becomes ``text`` with its components gone; False as above."""
        data = {"content": _checked(text), "components": [], "allowed_mentions": NO_PINGS}
        done = await self._post(interaction, UPDATE_MESSAGE, data)
        return _mark(interaction, discord.InteractionResponseType.message_update) if done else False

    async def _post(self, interaction: discord.Interaction, kind: int, data: dict) -> bool:
        if self._client is None or interaction.response.is_done():
            return False
        url = f"{Route.BASE}/interactions/{interaction.id}/{interaction.token}/callback"
        body = orjson.dumps({"type": kind, "data": data})
        request = self._client.post(url).header("Content-Type", "application/json").body_bytes(body)
        try:
            response = await request.build().send()
        except _NOT_SENT as failure:
            log.warning("Answer to interaction %s not sent (%s): retrying through discord.py", interaction.id, failure)
            return False
        except PyreqwestError as failure:
            # It may have reached Discord: answering again could be refused as a second answer.
            log.warning("Answer to interaction %s may not have arrived: %s", interaction.id, failure)
            return True
        if response.status < 300:
            return True
        if response.status == 429 or response.status >= 500:
            log.warning("Discord refused an answer with %s: retrying through discord.py", response.status)
            return False
        # Anything else (an expired or already answered interaction) would be refused again.
        log.log(
            logging.ERROR if response.status == 400 else logging.WARNING,
            "Discord refused the answer to interaction %s with %s",
            interaction.id,
            response.status,
        )
        return True


def _checked(text: str) -> str:
    if not text.strip() or limits.discord_len(text) > limits.MESSAGE_CONTENT:
        raise ValueError(f"an answer must be 1 to {limits.MESSAGE_CONTENT} characters")
    return text


def _mark(interaction: discord.Interaction, kind: discord.InteractionResponseType) -> bool:
    # discord.py has no public way to learn that an interaction was answered elsewhere; without
    # this, ``is_done()`` stays False and an error report would try to answer a second time.
    interaction.response._response_type = kind
    return True
