"""Reading Namida's /healthz and /metrics the way a monitoring system does: over HTTP."""

from __future__ import annotations

import re
import socket

import aiohttp


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def get(bot, path: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{bot.settings.http_port}{path}"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


def sample(page: str, name: str) -> float:
    """One sample's value on a /metrics page (0 when the page does not have it)."""
    values = re.findall(rf"^{re.escape(name)} (\S+)$", page, flags=re.MULTILINE)
    assert len(values) <= 1
    return float(values[0]) if values else 0.0
