"""Answers to the busiest interactions (votes), posted straight to Discord's callback endpoint.

discord.py answers an interaction through its own HTTP client, asks Discord to send the answer back
(``with_response``) and parses it into a message: the largest single cost of a click on the event
loop. Here the answer is one POST (through pyreqwest when the ``fast`` extra is installed, whose HTTP
work runs outside the GIL; through aiohttp otherwise, see ``bot/answer_clients.py``), and Discord's
reply (204, no body) needs no parsing.

Only plain-text answers go this way. When the answer surely did not reach Discord (no connection,
a 429 or 503, no free slot within a second) the methods return False and the caller answers through
discord.py's own ``InteractionResponse``; when it may have, nothing is sent twice, because Discord
refuses a second answer with a 400.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import discord
import orjson

from bot.answer_clients import CONNECTIONS, AnswerClient, MaybeSent, NotSent, open_client
from bot.compat import api_base, mark_answered
from bot.domain import limits

log = logging.getLogger(__name__)

CHANNEL_MESSAGE = 4  # interaction callback types, as Discord numbers them
UPDATE_MESSAGE = 7
EPHEMERAL = 1 << 6
NO_PINGS: dict[str, list[str]] = {"parse": []}

SLOT_WAIT = 1.0  # seconds to wait for one of them before leaving the answer to discord.py
TIMEOUT = timedelta(seconds=limits.FIRST_RESPONSE_SECONDS)  # a later answer would be refused anyway

# Statuses for which Discord did not process the answer: discord.py may answer instead. Anything
# else (a 500 after the answer was taken, an expired interaction) would make a second answer a 400.
_NOT_PROCESSED = {429, 503}


class DirectAnswers:
    """One HTTP client, kept for the bot's lifetime."""

    def __init__(self, client: str = "auto") -> None:
        self._choice = client
        self._client: AnswerClient | None = None
        self._slots = asyncio.Semaphore(CONNECTIONS)
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def start(self) -> None:
        self._client = open_client(self._choice, TIMEOUT)
        log.info("Votes are answered through %s", self._client.name)

    @property
    def client_name(self) -> str | None:
        return self._client.name if self._client else None

    async def close(self) -> None:
        """New answers go through discord.py from now on; those already posting may finish."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            await asyncio.wait_for(self._idle.wait(), TIMEOUT.total_seconds())
        except TimeoutError:
            log.warning("Closing with %d answer(s) still on their way", self._in_flight)
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
        url = f"{api_base()}/interactions/{interaction.id}/{interaction.token}/callback"
        body = orjson.dumps({"type": kind, "data": data})
        if not await self._take_slot():
            return False
        self._in_flight += 1
        self._idle.clear()
        try:
            return await self._send(interaction, url, body)
        finally:
            self._slots.release()
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    async def _take_slot(self) -> bool:
        if not self._slots.locked():
            return await self._slots.acquire()  # free: no wait, no timer
        try:
            async with asyncio.timeout(SLOT_WAIT):
                return await self._slots.acquire()
        except TimeoutError:
            return False

    async def _send(self, interaction: discord.Interaction, url: str, body: bytes) -> bool:
        client = self._client
        if client is None:
            return False
        try:
            status = await client.post(url, body)
        except NotSent as failure:
            log.warning("Answer to interaction %s not sent (%s): answering through discord.py", interaction.id, failure)
            return False
        except MaybeSent as failure:
            # It may have reached Discord: answering again could be refused as a second answer.
            log.warning("Answer to interaction %s may not have arrived: %s", interaction.id, failure)
            return True
        if status < 300:
            return True
        if status in _NOT_PROCESSED:
            log.warning("Discord refused an answer with %s: answering through discord.py", status)
            return False
        level = logging.ERROR if status == 400 else logging.WARNING
        log.log(level, "Discord refused the answer to interaction %s with %s", interaction.id, status)
        return True


def _checked(text: str) -> str:
    if not text.strip() or limits.discord_len(text) > limits.MESSAGE_CONTENT:
        raise ValueError(f"an answer must be 1 to {limits.MESSAGE_CONTENT} characters")
    return text


def _mark(interaction: discord.Interaction, kind: discord.InteractionResponseType) -> bool:
    mark_answered(interaction, kind)
    return True
