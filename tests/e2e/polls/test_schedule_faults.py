"""Polls planned ahead whose channel was deleted meanwhile: the start or the reminder is tried once,
logged, and never retried in a loop; the poll ends as it can, and nothing is lost silently."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import UTC, datetime, timedelta

from tests.e2e.faults.helpers import logged, posts_to, wait_for_status, wait_until, waking
from tests.e2e.polling import CHART_WAIT
from tests.e2e.polls.test_lifecycle import results_posts

HOUR = timedelta(hours=1)


async def plan_in(discord, mod, channel, **options) -> int:
    options = {"question": "Movie night?", "options": "Yes; No", "duration": "1h", "channel": channel, **options}
    answer = await (await discord.slash("poll custom", options, user=mod)).final_message()
    found = re.search(r"\*\*Poll #(\d+)\*\*", answer["content"])
    assert found and answer["flags"] & 64, answer["content"]
    return int(found.group(1))


async def test_a_scheduled_poll_whose_channel_was_deleted_is_closed_unposted_without_a_loop(
    discord, configured, mod, alice, caplog
):
    caplog.set_level(logging.INFO)
    general = discord.guild.channel("general")
    poll_id = await plan_in(discord, mod, general, starts_in="10m")
    await discord.delete_channel(general)
    since = len(discord.requests)
    now = datetime.now(UTC)
    await configured.polls.reschedule(poll_id, now, now + HOUR)
    configured.get_cog("Polls").closer.wake()

    await wait_for_status(discord, "POST", rf"/channels/{general.id}/messages", 404, since=since, timeout=CHART_WAIT)
    await wait_until(lambda: logged(caplog, f"Could not post scheduled poll {poll_id}") or None, 5, "a log line")
    settled = len(discord.requests)
    async with waking(configured):  # the closer runs again and again: the start is not retried
        await asyncio.sleep(1.0)
    assert [f"{r.method} {r.path}" for r in discord.requests[settled:]] == []
    assert [r.status for r in posts_to(discord, general.id, since)] == [404]
    assert results_posts(discord) == [], "nobody saw the poll: no results are announced"

    listing = await discord.slash("poll list", user=alice)
    assert f"**Poll #{poll_id}** · Movie night? · closed" in listing.embeds[0]["description"]
    cancel = await discord.slash("poll cancel", {"poll": poll_id}, user=mod)
    assert cancel.ephemeral and "has already started" in cancel.content


async def test_a_reminder_whose_channel_was_deleted_is_tried_once_and_the_results_still_go_out(
    discord, configured, mod, alice, caplog
):
    caplog.set_level(logging.INFO)
    general = discord.guild.channel("general")
    poll_id = await plan_in(discord, mod, general, duration="2h", remind="1h")
    await discord.delete_channel(general)
    since = len(discord.requests)
    await configured.polls.extend(poll_id, datetime.now(UTC) + timedelta(minutes=30))  # the reminder is due
    configured.get_cog("Polls").closer.wake()

    await wait_until(lambda: logged(caplog, f"Could not post the reminder of poll {poll_id}") or None, 10, "a log")
    async with waking(configured):
        await asyncio.sleep(1.0)
    assert [r.status for r in posts_to(discord, general.id, since)] == [404], "one try, no loop"

    await configured.polls.extend(poll_id, datetime.now(UTC) - timedelta(seconds=1))
    configured.get_cog("Polls").closer.wake()
    polls = discord.guild.channel("polls").id
    await wait_for_status(discord, "POST", rf"/channels/{polls}/messages", 200, since=since, timeout=CHART_WAIT)
    (results,) = results_posts(discord)
    assert results["embeds"][0]["footer"]["text"] == f"Poll #{poll_id}"
