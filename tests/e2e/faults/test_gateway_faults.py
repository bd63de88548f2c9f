"""The gateway drops Namida mid-poll, or invalidates its session: Namida reconnects by itself,
clicks keep being answered, and deadlines that pass meanwhile still close their polls."""

from __future__ import annotations

import asyncio
import time

from tests.e2e.faults.helpers import close_by_deadline, results_posts, wait_for_status, wait_for_tally
from tests.e2e.polling import CHART_WAIT, start_poll, vote


async def test_clicks_are_answered_after_a_dropped_connection_is_resumed(discord, configured, mod, alice, bob):
    poll = await start_poll(discord, mod, "custom", question="Still there?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)

    assert await discord.gateway.drop_connection() == 1
    await discord.wait_until_ready()
    assert len(discord.gateway.resumes) == 1 and len(discord.gateway.identifies) == 1  # resumed, not restarted

    assert (await vote(discord, poll, "2. No", bob)).content == "Your vote: **2. No**."
    await wait_for_tally(discord, poll, "**2** ballot(s)")


async def test_a_click_made_during_an_outage_is_answered_after_resume(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Anyone?", options="Yes; No")
    async with discord.gateway.outage(longest=5):
        clicked = asyncio.create_task(vote(discord, poll, "1. Yes", alice))
        await asyncio.sleep(0.3)
        assert not clicked.done()  # Discord holds it for the session until Namida is back
    answered = await clicked
    assert answered.content == "Your vote: **1. Yes**." and discord.gateway.replayed >= 1
    assert await configured.polls.counts(1) == ({0: 1, 1: 0}, 1)


async def test_a_deadline_that_passes_during_an_outage_still_closes_the_poll(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Closed in the dark?", options="Yes; No")
    await vote(discord, poll, "2. No", alice)
    channel = discord.guild.channel("polls").id
    since = len(discord.requests)

    async with discord.gateway.outage(longest=10):
        await close_by_deadline(configured, poll)
        await wait_for_status(discord, "POST", rf"/channels/{channel}/messages", 200, since=since, timeout=CHART_WAIT)
        assert not discord.gateway.ready  # the results went out over REST while the gateway was down

    (results,) = results_posts(discord, channel)
    assert results["embeds"][0]["description"].startswith("🏆 **2. No** wins.")
    await discord.wait_until_ready()
    late = await vote(discord, poll, "1. Yes", alice)
    assert late.ephemeral and late.content.startswith("This poll is closed")


async def test_clicks_are_answered_after_an_invalid_session_forces_a_new_identify(discord, configured, mod, alice, bob):
    poll = await start_poll(discord, mod, "custom", question="Who are you again?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)

    started = time.monotonic()
    assert await discord.gateway.invalidate_session(resumable=False) == 1
    await discord.wait_until_ready(timeout=15)  # discord.py waits 5 s before it IDENTIFYs again
    assert len(discord.gateway.identifies) == 2 and discord.gateway.resumes == []
    assert time.monotonic() - started < 10

    assert (await vote(discord, poll, "2. No", bob)).content == "Your vote: **2. No**."
    mine = await vote(discord, poll, "My vote", alice)
    assert mine.content == "Your vote: **1. Yes**."
    since = len(discord.requests)
    closed = await (await discord.slash("poll close", {"poll": 1}, user=mod)).final_message(CHART_WAIT)
    assert "Closed **Poll #1" in closed["content"]
    await wait_for_status(discord, "POST", rf"/channels/{discord.guild.channel('polls').id}/messages", 200, since=since)
    assert results_posts(discord, discord.guild.channel("polls").id)[0]["embeds"][0]["description"].startswith(
        "It's a tie between **1. Yes** and **2. No**."
    )
