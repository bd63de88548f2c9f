"""The HTTP clients that post answers for ``bot/answers.py``: pyreqwest when the ``fast`` extra is
installed (its HTTP work runs on its own thread, outside the GIL), aiohttp otherwise.

Both tell apart the two ways a post can fail: ``NotSent`` when nothing can have reached Discord
(so discord.py may answer instead) and ``MaybeSent`` when it may have (a second answer would be
refused with a 400).
"""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from typing import Protocol

import aiohttp
import discord

CONNECTIONS = 32  # answers in flight at once, like discord.py's own pool in bot/app.py
USER_AGENT = f"DiscordBot (https://github.com/Rapptz/discord.py, {discord.__version__}) Namida"


class NotSent(Exception):
    """The request surely never reached Discord."""


class MaybeSent(Exception):
    """The request may have reached Discord."""


class AnswerClient(Protocol):
    name: str

    async def post(self, url: str, body: bytes) -> int: ...

    async def close(self) -> None: ...


def fast_client_installed() -> bool:
    return importlib.util.find_spec("pyreqwest") is not None


def open_client(choice: str, timeout: timedelta) -> AnswerClient:
    """``auto`` picks pyreqwest when it is installed."""
    if choice == "pyreqwest" or (choice == "auto" and fast_client_installed()):
        return PyreqwestClient(timeout)
    return AiohttpClient(timeout)


class PyreqwestClient:
    name = "pyreqwest"

    def __init__(self, timeout: timedelta) -> None:
        from pyreqwest.client import ClientBuilder

        # No connection limit inside pyreqwest: its pool timeout would only fire at the 3-second
        # deadline, too late for discord.py to answer instead. DirectAnswers bounds it.
        self._client = (
            ClientBuilder()
            .timeout(timeout)
            .user_agent(USER_AGENT)
            .follow_redirects(False)
            .no_proxy()  # like discord.py, which ignores proxy variables unless told otherwise
            .build()
        )

    async def post(self, url: str, body: bytes) -> int:
        from pyreqwest.exceptions import PyreqwestError

        request = self._client.post(url).header("Content-Type", "application/json").body_bytes(body).build()
        try:
            response = await request.send()
        except PyreqwestError as failure:
            raise (NotSent if _pyreqwest_never_sent(failure) else MaybeSent)(str(failure)) from failure
        return response.status

    async def close(self) -> None:
        await self._client.close()


def _pyreqwest_never_sent(failure: Exception) -> bool:
    """Only a failure to connect proves that nothing reached Discord. pyreqwest's ConnectError also
    covers a connection dropped after the request went out, and a ConnectTimeoutError can come
    while waiting for the reply: neither is proof."""
    from pyreqwest.exceptions import ConnectError

    causes = getattr(failure, "details", None) or {}
    return isinstance(failure, ConnectError) and any(
        cause.get("message") == "client error (Connect)" for cause in causes.get("causes") or ()
    )


class AiohttpClient:
    name = "aiohttp"

    def __init__(self, timeout: timedelta) -> None:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=CONNECTIONS),
            timeout=aiohttp.ClientTimeout(total=timeout.total_seconds()),
            headers={"User-Agent": USER_AGENT, "Content-Type": "application/json"},
        )

    async def post(self, url: str, body: bytes) -> int:
        try:
            async with self._session.post(url, data=body, allow_redirects=False) as response:
                return response.status
        except aiohttp.ClientConnectorError as failure:  # no connection: nothing was written
            raise NotSent(str(failure)) from failure
        except (aiohttp.ClientError, TimeoutError) as failure:
            raise MaybeSent(str(failure) or type(failure).__name__) from failure

    async def close(self) -> None:
        await self._session.close()
