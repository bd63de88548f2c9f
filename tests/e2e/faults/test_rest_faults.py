"""Discord answers 429 or 5xx to Namida's posts and edits: Namida (with discord.py) recovers by
itself; no post is duplicated, no vote or nomination is lost."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

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
from tests.e2e.nominating import nominate, posts_in
from tests.e2e.polling import CHART_WAIT, start_poll, vote


def polls_channel(discord) -> int:
    return discord.guild.channel("polls").id


def message_path(message) -> str:
    return f"/channels/{message['channel_id']}/messages/{message['id']}"


# --- the results post ---------------------------------------------------------------------------


async def test_results_post_retried_by_discord_py_after_a_502_is_posted_exactly_once(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Through a 502?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    channel = polls_channel(discord)
    discord.faults.fail_next("POST", rf"/channels/{channel}/messages", status=502)
    since = len(discord.requests)
    await close_by_deadline(configured, poll)

    await wait_for_status(discord, "POST", rf"/channels/{channel}/messages", 200, since=since, timeout=CHART_WAIT)
    assert [r.status for r in posts_to(discord, channel, since)] == [502, 200]
    (results,) = results_posts(discord, channel)
    assert results["embeds"][0]["description"].startswith("🏆 **1. Yes** wins.")


async def test_results_post_survives_two_503s_and_is_posted_exactly_once(discord, configured, mod, alice, caplog):
    caplog.set_level(logging.INFO)
    poll = await start_poll(discord, mod, "custom", question="Through two 503s?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    channel = polls_channel(discord)
    discord.faults.fail_next("POST", rf"/channels/{channel}/messages", status=503, times=2)
    since = len(discord.requests)
    await close_by_deadline(configured, poll)

    def posted_or_gave_up():
        statuses = [r.status for r in posts_to(discord, channel, since)]
        gave_up = logged(caplog, "kept for /poll results")
        return (statuses, gave_up) if 200 in statuses or gave_up else None

    async with waking(configured):  # time passes; a later attempt may come from the closer
        statuses, gave_up = await wait_until(posted_or_gave_up, 10, "the results to be posted")
    assert not gave_up, f"Namida gave up on the results after {statuses}: {gave_up}"
    assert statuses == [503, 503, 200]
    assert len(results_posts(discord, channel)) == 1


# --- the tally ----------------------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["user", "global"])
async def test_a_rate_limited_tally_edit_is_retried_and_the_final_tally_shown(
    discord, configured, mod, alice, bob, scope
):
    poll = await start_poll(discord, mod, "custom", question="Rate limited?", options="Yes; No")
    discord.faults.rate_limit_next("PATCH", message_path(poll), retry_after=0.3, scope=scope)
    since = len(discord.requests)

    assert (await vote(discord, poll, "1. Yes", alice)).content == "Your vote: **1. Yes**."
    assert (await vote(discord, poll, "2. No", bob)).content == "Your vote: **2. No**."
    shown = await wait_for_tally(discord, poll, "**2** ballot(s)")
    assert "**1. Yes**\n`██████░░░░░░` 1 · 50.0%" in shown
    edits = [r.status for r in discord.requests[since:] if r.method == "PATCH" and r.path == message_path(poll)]
    assert edits[:2] == [429, 200] and set(edits[2:]) <= {200}
    assert len(posts_to(discord, polls_channel(discord))) == 1  # the poll itself, once
    assert await configured.polls.counts(poll_id_of(poll)) == ({0: 1, 1: 1}, 2)


async def test_a_500_on_a_tally_edit_is_retried_by_discord_py(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Through a 500?", options="Yes; No")
    discord.faults.fail_next("PATCH", message_path(poll), status=500)
    since = len(discord.requests)
    await vote(discord, poll, "2. No", alice)
    await wait_for_tally(discord, poll, "**1** ballot(s)", timeout=4)
    assert [r.status for r in discord.requests[since:] if r.path == message_path(poll)] == [500, 200]


async def test_a_tally_edit_answered_503_is_retried_later(discord, configured, mod, alice):
    # "later" is the refresher's interval: 0.2 s here (conftest), 5 s in production
    poll = await start_poll(discord, mod, "custom", question="Through a 503?", options="Yes; No")
    discord.faults.fail_next("PATCH", message_path(poll), status=503)
    since = len(discord.requests)
    await vote(discord, poll, "1. Yes", alice)
    await wait_for_status(discord, "PATCH", message_path(poll), 503, since=since)
    await wait_for_tally(discord, poll, "**1** ballot(s)", timeout=2)


async def test_a_vote_answered_503_by_discord_is_retried_and_counted_once(discord, configured, mod, alice):
    """discord.py retries interaction responses on any 5xx (its bot REST client does not retry 503)."""
    poll = await start_poll(discord, mod, "custom", question="Answered?", options="Yes; No")
    discord.faults.fail_next("POST", r"/interactions/\d+/[^/]+/callback", status=503)
    answered = await vote(discord, poll, "1. Yes", alice)
    assert answered.content == "Your vote: **1. Yes**."
    assert [r.status for r in discord.requests if r.path.endswith("/callback")][-2:] == [503, 200]
    assert await configured.polls.counts(poll_id_of(poll)) == ({0: 1, 1: 0}, 1)
    assert "**1** ballot(s)" in await wait_for_tally(discord, poll, "**1** ballot(s)")


async def test_a_rate_limited_vote_answer_is_answered_once_through_discord_py(discord, configured, mod, alice):
    """The direct answer gives up on a 429; discord.py's client waits it out and answers."""
    poll = await start_poll(discord, mod, "custom", question="Limited?", options="Yes; No")
    since = len(discord.requests)
    discord.faults.rate_limit_next("POST", r"/interactions/\d+/[^/]+/callback", retry_after=0.2, scope="user")
    answered = await vote(discord, poll, "1. Yes", alice)
    assert answered.ephemeral and answered.content == "Your vote: **1. Yes**."
    assert [r.status for r in discord.requests[since:] if r.path.endswith("/callback")] == [429, 200]
    assert await configured.polls.counts(poll_id_of(poll)) == ({0: 1, 1: 0}, 1)


# --- the poll post ------------------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["user", "global"])
async def test_a_rate_limited_poll_post_is_posted_once(discord, configured, mod, scope):
    channel = polls_channel(discord)
    discord.faults.rate_limit_next("POST", rf"/channels/{channel}/messages", retry_after=0.3, scope=scope)
    poll = await start_poll(discord, mod, "custom", question="Posted once?", options="Yes; No")
    assert [r.status for r in posts_to(discord, polls_channel(discord))] == [429, 200]
    assert [m["id"] for m in discord.messages_in(polls_channel(discord))] == [poll["id"]]


async def test_a_poll_post_answered_503_cancels_the_poll_and_says_so(discord, configured, mod):
    discord.faults.fail_next("POST", rf"/channels/{polls_channel(discord)}/messages", status=503)
    started = await discord.slash("poll custom", {"question": "Posted?", "options": "Yes; No"}, user=mod)
    told = await started.final_message()
    assert "(HTTP 503); the poll was cancelled" in told["content"]
    assert discord.messages_in(polls_channel(discord)) == []
    listing = await discord.slash("poll list", user=mod)
    assert "closed" in listing.embeds[0]["description"]


# --- nominations ----------------------------------------------------------------------------------


async def test_a_500_on_the_nomination_post_is_retried_and_posted_once(discord, configured, alice):
    channel = discord.guild.channel("nominations").id
    discord.faults.fail_next("POST", rf"/channels/{channel}/messages", status=500)
    started = time.monotonic()
    result = await nominate(discord, alice, "Clannad: After Story", moment="Ushio in the snow", fmt="tv")
    assert time.monotonic() - started < 5
    assert result.ephemeral and "is saved" in result.content
    assert [r.status for r in posts_to(discord, channel)] == [500, 200]
    assert [p["embeds"][0]["title"] for p in posts_in(discord, "nominations")] == [
        "Nomination #1"
    ]


async def test_a_503_on_the_nomination_post_keeps_the_nomination_and_tells_the_member(discord, configured, alice):
    channel = discord.guild.channel("nominations").id
    discord.faults.fail_next("POST", rf"/channels/{channel}/messages", status=503)
    result = await nominate(discord, alice, "Clannad: After Story", moment="Ushio in the snow", fmt="tv")

    assert result.ephemeral and "is saved" in result.content
    told = (await result.next_followup())["content"]
    assert told.startswith("Your nomination is safe, but I couldn't post it. Discord didn't accept my post")
    assert "(HTTP 503)" in told and posts_in(discord, "nominations") == []
    assert "Nomination #1" in posts_in(discord, "mod-queue")[-1]["content"]
    shown = await discord.slash("nominations show", {"id": 1}, user=alice)
    assert shown.embeds[0]["title"] == "Nomination #1"


async def test_the_member_reads_discord_capitalised_when_the_post_fails(discord, configured, alice):
    discord.faults.fail_next("POST", rf"/channels/{discord.guild.channel('nominations').id}/messages", status=503)
    result = await nominate(discord, alice, "Clannad: After Story", moment="Ushio in the snow", fmt="tv")
    assert "Discord didn't accept my post" in (await result.next_followup())["content"]


async def test_a_vote_whose_answer_is_lost_still_reaches_the_tally(discord, configured, mod, alice):
    """The answer can fail for good (here: Discord says the interaction is gone); the vote was
    stored before it, so the public tally must still show it."""
    poll = await start_poll(discord, mod, "custom", question="Lost answer?", options="Yes; No")
    discord.faults.fail_next("POST", r"/interactions/\d+/[^/]+/callback", status=404, code=10062)
    clicked = asyncio.ensure_future(vote(discord, poll, "1. Yes", alice))
    await wait_for_status(discord, "POST", r"/interactions/\d+/[^/]+/callback", 404)
    clicked.cancel()
    assert await configured.polls.counts(poll_id_of(poll)) == ({0: 1, 1: 0}, 1)
    await asyncio.sleep(0.2)  # Discord would refuse a second answer just the same: none is sent
    assert [r.status for r in discord.requests if r.path.endswith("/callback")][-1] == 404
    assert "**1** ballot(s)" in await wait_for_tally(discord, poll, "**1** ballot(s)")
