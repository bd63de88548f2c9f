"""Helpers for poll tests: start a poll as a moderator and find its public message."""

from __future__ import annotations

from typing import Any

from standin import StandIn
from standin.state import walk_components

CHART_WAIT = 30.0  # seconds: closing a poll draws its chart, and a first chart starts the chart process


async def start_poll(discord: StandIn, mod, kind: str, **options) -> dict[str, Any]:
    """Runs /poll <kind> and returns the poll's public message once it is posted."""
    since = len(discord.requests)
    started = await discord.slash(f"poll {kind}", options, user=mod)
    confirmation = await started.final_message()
    assert "is up in" in confirmation["content"], confirmation["content"]
    channel = discord.guild.channel("polls").id
    await discord.wait_for_request("POST", rf"/channels/{channel}/messages", start=since)
    return discord.messages_in(channel)[-1]


def labels(message: dict[str, Any]) -> dict[str, str]:
    """Visible label (or placeholder) -> custom_id of every component in a message."""
    return {
        (c.get("label") or c.get("placeholder")): c["custom_id"]
        for c in walk_components(message["components"])
        if c.get("custom_id")
    }


async def vote(discord: StandIn, message: dict[str, Any], label: str, user):
    return await discord.click(message, labels(message)[label], user=user)


def tally_lines(message: dict[str, Any]) -> str:
    return message["embeds"][0]["description"]
