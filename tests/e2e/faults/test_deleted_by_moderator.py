"""A moderator deletes the poll message, or the channel Namida posted it in: the poll still closes,
its results go where they still can (or are kept for /poll results), with a log line and no loop."""

from __future__ import annotations

import asyncio
import logging

from tests.e2e.faults.helpers import (
    close_by_deadline,
    logged,
    poll_id_of,
    posts_to,
    results_posts,
    wait_for_status,
    wait_for_tally,
    wait_until,
    waking,
)
from tests.e2e.polling import CHART_WAIT, start_poll, vote


async def test_a_poll_whose_message_was_deleted_still_closes_in_its_channel(discord, configured, mod, alice, caplog):
    caplog.set_level(logging.INFO)
    poll = await start_poll(discord, mod, "custom", question="Gone?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    await wait_for_tally(discord, poll, "**1** ballot(s)")
    await discord.delete_message(poll["id"])
    channel = discord.guild.channel("polls").id
    since = len(discord.requests)

    await close_by_deadline(configured, poll)
    await wait_for_status(discord, "POST", rf"/channels/{channel}/messages", 200, since=since, timeout=CHART_WAIT)
    (results,) = results_posts(discord, channel)
    assert results["embeds"][0]["description"].startswith("🏆 **1. Yes** wins.")
    await wait_until(lambda: logged(caplog, "is gone; skipping") or None, 3, "a log line about the message")
    edits = [r.status for r in discord.requests[since:] if r.method == "PATCH"]
    assert edits == [404]  # the closing edit of the tally found nothing, and was not retried


async def test_results_of_a_poll_whose_channel_was_deleted_go_to_the_poll_channel(
    discord, configured, mod, alice, caplog
):
    caplog.set_level(logging.INFO)
    general = discord.guild.channel("general")
    started = await discord.slash(
        "poll custom", {"question": "Elsewhere?", "options": "Yes; No", "channel": general}, user=mod
    )
    assert "is up in" in (await started.final_message())["content"]
    (poll,) = [m for m in discord.messages_in(general.id) if "interaction_metadata" not in m]
    await vote(discord, poll, "2. No", alice)
    await discord.delete_channel(general)
    polls = discord.guild.channel("polls").id
    since = len(discord.requests)

    await close_by_deadline(configured, poll)
    await wait_for_status(discord, "POST", rf"/channels/{polls}/messages", 200, since=since, timeout=CHART_WAIT)
    (results,) = results_posts(discord, polls)
    assert results["embeds"][0]["description"].startswith("🏆 **2. No** wins.")
    assert [r.status for r in posts_to(discord, general.id, since)] == [404]
    assert logged(caplog, f"Could not post results of poll 1 in channel {general.id}")


async def test_results_are_kept_for_poll_results_when_the_poll_channel_itself_was_deleted(
    discord, configured, mod, alice, caplog
):
    caplog.set_level(logging.INFO)
    poll = await start_poll(discord, mod, "custom", question="Nowhere?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    await wait_for_tally(discord, poll, "**1** ballot(s)")
    polls = discord.guild.channel("polls")
    await discord.delete_channel(polls)
    since = len(discord.requests)

    await close_by_deadline(configured, poll)
    await wait_until(lambda: logged(caplog, "kept for /poll results") or None, 5, "the results to be kept")
    await wait_for_status(discord, "PATCH", rf"/channels/{polls.id}/messages/{poll['id']}", 404, since=since)
    assert sorted((r.method, r.status) for r in discord.requests[since:]) == [("PATCH", 404), ("POST", 404)]

    settled = len(discord.requests)
    async with waking(configured):  # the closer runs again and again: it must not retry a deleted channel
        await asyncio.sleep(1.0)
    assert [f"{r.method} {r.path}" for r in discord.requests[settled:]] == []

    shown = await discord.slash("poll results", {"poll": poll_id_of(poll)}, user=alice)
    results = await shown.final_message()
    assert (
        results["embeds"][0]["title"].startswith("Results") and "**1. Yes** wins" in results["embeds"][0]["description"]
    )

    refused = await discord.slash("poll custom", {"question": "Again?", "options": "Yes; No"}, user=mod)
    assert refused.ephemeral and "no longer exists" in refused.content


async def test_a_moderator_is_not_told_results_were_posted_when_they_were_kept(discord, configured, mod, alice):
    await start_poll(discord, mod, "custom", question="Told the truth?", options="Yes; No")
    await discord.delete_channel(discord.guild.channel("polls"))
    closed = await (await discord.slash("poll close", {"poll": 1}, user=mod)).final_message(CHART_WAIT)
    assert "Closed **Poll #1" in closed["content"]
    assert "posted its results" not in closed["content"] and "/poll results" in closed["content"]
