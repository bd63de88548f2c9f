"""Deadlines that survive restarts, early close, reopen, extend, ties, and refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.harness import running_namida
from tests.e2e.polling import CHART_WAIT, labels, start_poll, vote


def poll_id_of(message) -> int:
    return int(message["embeds"][0]["footer"]["text"].split("#")[1].split(" ")[0])


def results_posts(discord):
    return [
        m for m in discord.messages_in(discord.guild.channel("polls"))
        if m["embeds"] and m["embeds"][0]["title"].startswith("Results")
    ]  # fmt: skip


async def wait_for_results(discord, since: int):
    channel = discord.guild.channel("polls").id
    await discord.wait_for_request("POST", rf"/channels/{channel}/messages", start=since, timeout=CHART_WAIT)
    return results_posts(discord)[-1]


async def test_the_deadline_closes_the_poll_and_posts_results_with_a_chart(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Soon over?", options="Yes; No", duration="1m")
    await vote(discord, poll, "1. Yes", alice)
    since = len(discord.requests)
    await configured.polls.extend(poll_id_of(poll), datetime.now(UTC) - timedelta(minutes=1))  # time passes
    configured.get_cog("Polls").closer.wake()

    results = await wait_for_results(discord, since)
    assert results["embeds"][0]["description"].startswith("🏆 **1. Yes** wins.")
    assert results["attachments"][0]["filename"].endswith("-results.png")
    late = await vote(discord, poll, "2. No", alice)
    assert (
        late.ephemeral
        and late.content.startswith("This poll is closed")
        and late.embeds[0]["title"].startswith("Results")
    )


async def test_a_deadline_that_passed_while_namida_was_down_closes_at_start_up(
    discord, configured, settings, mod, alice
):
    poll = await start_poll(discord, mod, "custom", question="Down?", options="Yes; No")
    await vote(discord, poll, "2. No", alice)
    await configured.polls.extend(poll_id_of(poll), datetime.now(UTC) - timedelta(hours=1))
    await configured.close()

    since = len(discord.requests)
    async with running_namida(discord, settings):
        results = await wait_for_results(discord, since)
    assert results["embeds"][0]["description"].startswith("🏆 **2. No** wins.")
    assert len(results_posts(discord)) == 1


async def test_buttons_keep_working_after_a_restart_mid_poll(discord, configured, settings, mod, alice, bob):
    poll = await start_poll(discord, mod, "custom", question="Restart?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    await configured.close()

    async with running_namida(discord, settings):
        again = await vote(discord, poll, "1. Yes", bob)
        mine = await vote(discord, poll, "My vote", alice)
    assert again.content == "Your vote: **1. Yes**." and mine.content == "Your vote: **1. Yes**."


async def test_close_early_then_reopen_and_extend(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Again?", options="Yes; No")
    poll_id = poll_id_of(poll)
    closed = await (await discord.slash("poll close", {"poll": poll_id}, user=mod)).final_message(CHART_WAIT)
    assert "Closed **Poll #" in closed["content"]
    twice = await (await discord.slash("poll close", {"poll": poll_id}, user=mod)).final_message()
    assert "was already closed" in twice["content"] and len(results_posts(discord)) == 1

    reopened = await discord.slash("poll reopen", {"poll": poll_id, "duration": "2h"}, user=mod)
    assert "Reopened" in reopened.content
    assert (await vote(discord, poll, "2. No", alice)).content == "Your vote: **2. No**."
    extended = await discord.slash("poll extend", {"poll": poll_id, "duration": "1d"}, user=mod)
    assert "now closes <t:" in extended.content
    too_long = await discord.slash("poll extend", {"poll": poll_id, "duration": "32d"}, user=mod)
    assert too_long.ephemeral and "32 days" in too_long.content


async def test_a_tie_is_announced_as_a_tie(discord, configured, mod, alice, bob):
    poll = await start_poll(discord, mod, "custom", question="Tie?", options="Yes; No; Maybe")
    await vote(discord, poll, "1. Yes", alice)
    await vote(discord, poll, "2. No", bob)
    since = len(discord.requests)
    await (await discord.slash("poll close", {"poll": poll_id_of(poll)}, user=mod)).final_message(CHART_WAIT)
    results = await wait_for_results(discord, since)
    assert results["embeds"][0]["description"].startswith("It's a tie between **1. Yes** and **2. No**.")


@pytest.mark.parametrize("duration", ["-5m", "0", "99999d", "abc", "33d", "30s"])
async def test_invalid_durations_are_refused_kindly(discord, configured, mod, duration):
    result = await discord.slash("poll custom", {"question": "Q", "options": "a; b", "duration": duration}, user=mod)
    assert result.ephemeral and ("`30m`" in result.content or "1 minute to 32 days" in result.content)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("only one", "Give 2 to 25 options"),
        ("a; A; b", "Two options are the same"),
        (";".join("x" * 81 for _ in range(2)), "under 80"),
    ],
)
async def test_bad_custom_options_are_refused(discord, configured, mod, options, expected):
    result = await discord.slash("poll custom", {"question": "Q", "options": options}, user=mod)
    assert result.ephemeral and expected in result.content


async def test_members_cannot_run_moderator_poll_commands(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Q", options="a; b")
    for command, options in [
        ("poll honorable", {}), ("poll custom", {"question": "Q", "options": "a; b"}),
        ("poll close", {"poll": poll_id_of(poll)}), ("poll extend", {"poll": poll_id_of(poll), "duration": "1h"}),
        ("poll export", {"poll": poll_id_of(poll)}),
    ]:  # fmt: skip
        result = await discord.slash(command, options, user=alice)
        assert result.ephemeral and "Only moderators" in result.content, command


async def test_poll_autocomplete_and_list_show_handles_and_status(discord, configured, mod, alice, top_list):
    await start_poll(discord, mod, "honorable")
    choices = await discord.autocomplete("poll results", {"poll": ""}, user=alice)
    assert [c["name"] for c in choices] == ["Poll #1 · Which honorable mention deserved a top-10 slot? (open)"]
    listing = await discord.slash("poll list", user=alice)
    assert listing.ephemeral and "**Poll #1**" in listing.embeds[0]["description"]
    assert not [e for e in top_list.entries if e.moment.reveal() in str(choices) + listing.embeds[0]["description"]]
    assert labels(discord.messages_in(discord.guild.channel("polls"))[-1])


async def test_results_never_posted_before_a_crash_are_posted_at_start_up(discord, configured, settings, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Crash?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    await configured.polls.close(poll_id_of(poll), datetime.now(UTC))  # closed, then Namida died
    await configured.close()

    since = len(discord.requests)
    async with running_namida(discord, settings):
        results = await wait_for_results(discord, since)
    assert results["embeds"][0]["description"].startswith("🏆 **1. Yes** wins.")


async def test_honorable_poll_export_and_chart_carry_handles_only(discord, configured, mod, alice, top_list):
    poll = await start_poll(discord, mod, "honorable", anonymous=False)
    await vote(discord, poll, "1. Yuki Yuna is a Hero", alice)
    await discord.slash("poll export", {"poll": poll_id_of(poll)}, user=mod)
    since = len(discord.requests)
    await (await discord.slash("poll close", {"poll": poll_id_of(poll)}, user=mod)).final_message(CHART_WAIT)
    await wait_for_results(discord, since)
    files = [f for r in discord.requests if r.files for f in r.files]
    exported = b"".join(f.data for f in files if f.filename.endswith(".csv")).decode("utf-8-sig")
    assert "Yuki Yuna is a Hero" in exported
    for entry in top_list.entries:
        assert entry.moment.reveal() not in exported
        assert all(entry.moment.reveal() not in f.filename for f in files)
