"""Discord answers slowly: every click is still acknowledged within Discord's 3 seconds (the
stand-in also records a violation for any late first response), and polls still close."""

from __future__ import annotations

import asyncio
import time

from tests.e2e.faults.helpers import results_posts, wait_for_status, wait_for_tally, wait_until
from tests.e2e.polling import CHART_WAIT, start_poll, vote

EDITS = r"/channels/\d+/messages/\d+"


async def test_clicks_are_acknowledged_in_time_while_message_edits_are_slow(discord, configured, mod):
    poll = await start_poll(discord, mod, "custom", question="Slow edits?", options="Yes; No")
    slow = discord.faults.slow("PATCH", EDITS, 1.5, within=20)
    voters = [discord.member(f"voter{n}") for n in range(4)]

    async def timed_vote(member, label: str) -> float:
        started = time.monotonic()
        result = await vote(discord, poll, label, member)
        assert result.accepted and result.content == f"Your vote: **{label}**."
        return time.monotonic() - started

    first = [await timed_vote(voters[0], "1. Yes")]
    await wait_until(lambda: slow.hits or None, 5, "a tally edit")  # an edit is under way (slowly)...
    rest = await asyncio.gather(*(timed_vote(v, "2. No") for v in voters[1:]))  # ...clicks don't queue behind it
    assert max(first + rest) < 3.0, f"acknowledged after {first + rest} s"

    shown = await wait_for_tally(discord, poll, "**4** ballot(s)", timeout=10)
    assert "**2. No**\n`█████████░░░` 3 · 75.0%" in shown
    discord.faults.clear()  # Namida's last edit at shutdown need not be slow


async def test_a_poll_closes_while_every_message_post_and_edit_is_slow(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Slow close?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    discord.faults.slow("*", r"/channels/\d+/messages(/\d+)?", 1.5, within=20)
    since = len(discord.requests)

    started = time.monotonic()
    closing = await discord.slash("poll close", {"poll": 1}, user=mod)
    assert time.monotonic() - started < 3.0 and closing.accepted  # deferred first, then the slow work
    assert "Closed **Poll #1" in (await closing.final_message(timeout=CHART_WAIT))["content"]
    channel = discord.guild.channel("polls").id
    await wait_for_status(discord, "POST", rf"/channels/{channel}/messages", 200, since=since, timeout=10)
    assert len(results_posts(discord, channel)) == 1
    discord.faults.clear()
