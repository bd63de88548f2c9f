"""Polls planned ahead, through the real client: a scheduled start posts the poll, a role is pinged
(and only that role) at the start, in the one reminder and with the results; cancel; refusals."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio

from bot.storage.opening import open_database
from bot.storage.polls import PollStore
from standin import PERMISSIONS, Overwrite, StandIn, make_guild
from tests.e2e.harness import discord_standin, running_namida
from tests.e2e.polling import start_poll, vote
from tests.e2e.polls.test_lifecycle import results_posts
from tests.e2e.surfaces import sent_leaks

HOUR = timedelta(hours=1)
POST_WAIT = 30.0  # seconds: results come with a chart, and drawing the first one can take a while


@pytest_asyncio.fixture
async def discord() -> AsyncIterator[StandIn]:
    """The poll server, plus Watchers (a role anyone may mention) and Quiet (one nobody may)."""
    guild = make_guild(
        channels=("general", "polls"), roles={"Moderator": ("manage_guild",), "Voters": (), "Watchers": (), "Quiet": ()}
    )
    guild.roles = [replace(role, mentionable=role.name == "Watchers") for role in guild.roles]
    async with discord_standin(guild) as standin:
        yield standin


@pytest.fixture
def watchers(discord):
    return discord.guild.role("Watchers")


def polls_channel(discord) -> int:
    return discord.guild.channel("polls").id


async def schedule(discord, mod, **options: Any) -> tuple[int, str]:
    """Runs /poll custom with ``options``; the scheduled poll's id and the private confirmation."""
    options = {"question": "Movie night?", "options": "Yes; No", "duration": "1h", "starts_in": "10m", **options}
    answer = await (await discord.slash("poll custom", options, user=mod)).final_message()
    assert answer["flags"] & 64, "the confirmation is private"
    found = re.search(r"\*\*Poll #(\d+)\*\* is scheduled", answer["content"])
    assert found, answer["content"]
    return int(found.group(1)), answer["content"]


async def let_time_pass(bot, poll_id: int, *, starts_at: datetime, closes_at: datetime) -> None:
    await bot.polls.reschedule(poll_id, starts_at, closes_at)
    bot.get_cog("Polls").closer.wake()


async def next_post(discord, since: int) -> tuple[dict[str, Any], Any]:
    """The next message the bot posts in the poll channel after request ``since``, and its request."""
    record = await discord.wait_for_request(
        "POST", rf"/channels/{polls_channel(discord)}/messages", start=since, timeout=POST_WAIT
    )
    return discord.messages_in(polls_channel(discord))[-1], record


async def wait_for_posts(discord, since: int, count: int) -> None:
    for _ in range(count):
        record = await discord.wait_for_request(
            "POST", rf"/channels/{polls_channel(discord)}/messages", start=since, timeout=POST_WAIT
        )
        since = discord.requests.index(record, since) + 1


def exactly(role) -> dict[str, Any]:
    return {"parse": [], "roles": [role.id]}


def reminders(discord) -> list[dict[str, Any]]:
    return [m for m in discord.messages_in(polls_channel(discord)) if "⏰" in m["content"]]


async def test_a_scheduled_poll_is_posted_at_its_start_pinging_exactly_its_role(
    discord, configured, mod, alice, watchers, top_list
):
    before = datetime.now(UTC)
    poll_id, confirmation = await schedule(discord, mod, ping=watchers, remind="30m")
    stamps = [int(s) for s in re.findall(r"<t:(\d+):[RF]>", confirmation)]
    opens = before + timedelta(minutes=10)
    assert re.search(r"opens <t:\d+:R> \(<t:\d+:F>\)", confirmation)
    assert abs(stamps[0] - opens.timestamp()) < 60 and stamps[0] == stamps[1]
    assert abs(stamps[2] - (opens + HOUR).timestamp()) < 60, "the deadline counts from the start"
    assert "A reminder goes out 30 min before it closes." in confirmation and "can't be mentioned" not in confirmation
    assert discord.messages_in(polls_channel(discord)) == [], "nothing is posted before the start"

    listing = await discord.slash("poll list", user=alice)
    assert f"**Poll #{poll_id}** · Movie night? · scheduled, opens <t:" in listing.embeds[0]["description"]
    early = await discord.slash("poll results", {"poll": poll_id}, user=alice)
    assert early.ephemeral and "hasn't started yet" in early.content

    since = len(discord.requests)
    now = datetime.now(UTC)
    await let_time_pass(configured, poll_id, starts_at=now, closes_at=now + HOUR)
    posted, record = await next_post(discord, since)
    assert posted["content"] == f"<@&{watchers.id}> **Poll #{poll_id}** is open: vote below."
    assert record.json["allowed_mentions"] == exactly(watchers)
    assert posted["embeds"][0]["title"] == "Movie night?"
    assert (await vote(discord, posted, "1. Yes", alice)).content == "Your vote: **1. Yes**."
    listing = await discord.slash("poll list", user=alice)
    assert f"**Poll #{poll_id}** · Movie night? · open, closes <t:" in listing.embeds[0]["description"]
    assert sent_leaks(discord.requests, top_list) == []


async def test_one_reminder_links_to_the_poll_and_a_restart_sends_no_second(
    discord, configured, settings, mod, alice, watchers
):
    poll = await start_poll(discord, mod, "custom", question="Soon?", options="Yes; No", duration="2h",
                            remind="1h", ping=watchers)  # fmt: skip
    poll_id = int(poll["embeds"][0]["footer"]["text"].split("#")[1].split(" ")[0])
    assert poll["content"] == f"<@&{watchers.id}> **Poll #{poll_id}** is open: vote below."
    since = len(discord.requests)
    await configured.polls.extend(poll_id, datetime.now(UTC) + timedelta(minutes=30))  # within the hour
    configured.get_cog("Polls").closer.wake()
    reminder, record = await next_post(discord, since)
    guild = discord.guild.id
    assert reminder["content"].startswith(f"<@&{watchers.id}> ⏰ **Poll #{poll_id}** · Soon? closes <t:")
    assert reminder["content"].endswith(f"Vote here: https://discord.com/channels/{guild}/{polls_channel(discord)}/{poll['id']}")
    assert record.json["allowed_mentions"] == exactly(watchers)
    await configured.close()

    async with running_namida(discord, settings) as again:
        await again.get_cog("Polls").closer.close_due()  # the start-up pass, done once more on purpose
        assert len(reminders(discord)) == 1
        since = len(discord.requests)
        await again.polls.extend(poll_id, datetime.now(UTC) - timedelta(minutes=1))
        again.get_cog("Polls").closer.wake()
        results, record = await next_post(discord, since)
        assert results["content"] == f"<@&{watchers.id}> The results of **Poll #{poll_id}** are in."
        assert results["embeds"][0]["title"].startswith("Results")
        assert record.json["allowed_mentions"] == exactly(watchers)
    assert len(reminders(discord)) == 1


async def test_starts_reminders_and_closes_missed_while_down_happen_once_in_order(
    discord, configured, settings, mod, alice, watchers
):
    whole, _ = await schedule(discord, mod, question="Whole window missed?", remind="30m", ping=watchers)
    half, _ = await schedule(discord, mod, question="Reminder missed?", remind="30m")
    await configured.close()
    now = datetime.now(UTC)
    store = await open_database(settings.database)
    try:
        polls = PollStore(store)
        await polls.reschedule(whole, now - 2 * HOUR, now - HOUR)  # started, reminded and closed while down
        await polls.reschedule(half, now - HOUR, now + timedelta(minutes=10))  # started and reminder due
    finally:
        await store.close()

    since = len(discord.requests)
    async with running_namida(discord, settings):
        await wait_for_posts(discord, since, 5)
    posts = discord.messages_in(polls_channel(discord))
    seen = [
        ("results" if m["embeds"] and m["embeds"][0]["title"].startswith("Results") else
         "reminder" if "⏰" in m["content"] else "poll",
         m["embeds"][0]["footer"]["text"].split(" ·")[0] if m["embeds"] else m["content"].split("**")[1])
        for m in posts
    ]  # fmt: skip
    assert seen == [
        ("poll", f"Poll #{whole}"), ("poll", f"Poll #{half}"),
        ("reminder", f"Poll #{whole}"), ("reminder", f"Poll #{half}"), ("results", f"Poll #{whole}"),
    ]  # fmt: skip
    late, on_time = (m["content"] for m in posts if "⏰" in m["content"])
    assert late.startswith(f"⏰ **Poll #{whole}** · Whole window missed? was due to close <t:")
    assert "while I was offline, so this reminder comes too late to vote: the results follow." in late
    pinged = [m["content"] for m in posts if f"<@&{watchers.id}>" in m["content"]]
    assert pinged == [f"<@&{watchers.id}> The results of **Poll #{whole}** are in."]  # once, with the results
    assert on_time.startswith(f"⏰ **Poll #{half}** · Reminder missed? closes <t:")
    assert len(results_posts(discord)) == 1


async def test_cancel_drops_a_scheduled_poll_and_refuses_a_started_one(discord, configured, mod, alice):
    waiting, _ = await schedule(discord, mod, question="Cancel me?")
    started = await start_poll(discord, mod, "custom", question="Running?", options="Yes; No")
    choices = await discord.autocomplete("poll cancel", {"poll": ""}, user=mod)
    assert [c["value"] for c in choices] == [waiting]
    assert choices[0]["name"] == f"Poll #{waiting} · Cancel me? (scheduled)"

    member = await discord.slash("poll cancel", {"poll": waiting}, user=alice)
    assert member.ephemeral and "Only moderators" in member.content
    cancelled = await discord.slash("poll cancel", {"poll": waiting}, user=mod)
    assert cancelled.ephemeral and cancelled.content == f"Cancelled **Poll #{waiting}**: it won't be posted."
    again = await discord.slash("poll cancel", {"poll": waiting}, user=mod)
    assert again.ephemeral and "I don't know that poll" in again.content
    listing = await discord.slash("poll list", user=alice)
    assert f"Poll #{waiting}" not in listing.embeds[0]["description"]

    started_id = int(started["embeds"][0]["footer"]["text"].split("#")[1].split(" ")[0])
    refused = await discord.slash("poll cancel", {"poll": started_id}, user=mod)
    assert refused.ephemeral and "has already started, so it can't be cancelled" in refused.content


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"starts_in": "30s"}, "`starts_in` can be 1 minute to 32 days from now."),
        ({"starts_in": "33d"}, "`starts_in` can be 1 minute to 32 days from now."),
        ({"starts_in": "tomorrow"}, "`starts_in`: I couldn't read that duration"),
        ({"remind": "1h"}, "`remind` must be shorter than the poll itself (1 h)"),
        ({"remind": "3h"}, "`remind` must be shorter than the poll itself (1 h)"),
        ({"remind": "0m"}, "`remind` can be 1 minute to 32 days before the deadline."),
    ],
)
async def test_bad_planning_options_are_refused_kindly(discord, configured, mod, options, expected):
    answer = await discord.slash("poll custom", {"question": "Q", "options": "a; b", "duration": "1h", **options},
                                 user=mod)  # fmt: skip
    assert answer.ephemeral and answer.content.startswith(expected), answer.content
    assert discord.messages_in(polls_channel(discord)) == []


async def test_the_everyone_role_is_refused_and_an_unmentionable_role_is_warned_about(discord, configured, mod):
    everyone = await discord.slash("poll custom", {"question": "Q", "options": "a; b", "ping": discord.guild.everyone},
                                   user=mod)  # fmt: skip
    assert everyone.ephemeral and "I won't ping @everyone" in everyone.content
    quiet = discord.guild.role("Quiet")
    _, confirmation = await schedule(discord, mod, ping=quiet)
    assert f"<@&{quiet.id}> can't be mentioned by me: it isn't mentionable" in confirmation
    assert "Mention Everyone" in confirmation


async def test_an_unmentionable_role_is_fine_where_namida_may_mention_everyone(discord, configured, mod):
    allowed = PERMISSIONS["mention_everyone"]
    await discord.set_overwrites("polls", Overwrite(discord.bot_user.id, allow=allowed, kind=1))
    quiet = discord.guild.role("Quiet")
    _, confirmation = await schedule(discord, mod, ping=quiet)
    assert f"<@&{quiet.id}> is pinged when it opens" in confirmation and "can't be mentioned" not in confirmation


async def test_a_planned_honorable_poll_pings_its_role_three_times_without_leaking_spoilers(
    discord, configured, mod, alice, watchers, top_list
):
    answer = await (await discord.slash("poll honorable", {"starts_in": "1h", "ping": watchers, "remind": "2h"},
                                        user=mod)).final_message()  # fmt: skip
    poll_id = int(re.search(r"Poll #(\d+)", answer["content"]).group(1))
    since = len(discord.requests)
    now = datetime.now(UTC)
    await let_time_pass(configured, poll_id, starts_at=now, closes_at=now + timedelta(minutes=90))
    await wait_for_posts(discord, since, 2)
    posted, reminder = discord.messages_in(polls_channel(discord))
    assert posted["embeds"][0]["footer"]["text"] == f"Poll #{poll_id} · open"
    assert reminder["content"].startswith(f"<@&{watchers.id}> ⏰") and reminder["content"].endswith(posted["id"])
    since = len(discord.requests)
    await configured.polls.extend(poll_id, datetime.now(UTC) - timedelta(seconds=1))
    configured.get_cog("Polls").closer.wake()
    results, _ = await next_post(discord, since)
    assert results["content"] == f"<@&{watchers.id}> The results of **Poll #{poll_id}** are in."
    pings = [r.json["allowed_mentions"] for r in discord.requests if r.method == "POST" and r.json
             and r.path == f"/channels/{polls_channel(discord)}/messages"]  # fmt: skip
    assert pings == [exactly(watchers)] * 3, "the start, the reminder and the results ping the same role"
    assert sent_leaks(discord.requests, top_list) == []


async def test_a_hostile_question_quoted_in_the_reminder_pings_only_the_chosen_role(discord, configured, mod, watchers):
    quiet = discord.guild.role("Quiet")
    question = f"@everyone <@&{quiet.id}> <@{mod.id}> **loud** ||hidden|| # big"
    poll = await start_poll(discord, mod, "custom", question=question, options="Yes; No", duration="2h",
                            remind="1h", ping=watchers)  # fmt: skip
    poll_id = int(poll["embeds"][0]["footer"]["text"].split("#")[1].split(" ")[0])
    since = len(discord.requests)
    await configured.polls.extend(poll_id, datetime.now(UTC) + timedelta(minutes=30))
    configured.get_cog("Polls").closer.wake()
    reminder, record = await next_post(discord, since)
    assert record.json["allowed_mentions"] == exactly(watchers)
    text = reminder["content"]
    assert text.startswith(f"<@&{watchers.id}> ⏰ **Poll #{poll_id}** · @\u200beveryone")
    assert "@everyone" not in text and f"<@&{quiet.id}>" not in text and f"<@{mod.id}>" not in text
    assert "**loud**" not in text and "||" not in text and "loud" in text
