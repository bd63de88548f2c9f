"""Two shard processes on one database: a scheduled poll's start and reminder are done only by the
process that owns the guild's shard, once, when that process is back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.settings import Settings
from standin import StandIn, make_guild, point_discord_py_at
from tests.e2e.harness import TOKEN, shard_process

pytestmark = pytest.mark.asyncio


async def test_only_the_owning_process_starts_and_reminds_a_scheduled_poll(settings: Settings) -> None:
    guild = make_guild(channels=("general", "polls"), shard=(1, 2))
    channel = guild.channel("polls").id
    async with StandIn(token=TOKEN, guilds=[guild], shard_count=2) as discord:
        with point_discord_py_at(discord):
            mod = discord.member("mod", permissions="manage_guild")
            async with shard_process(settings, 0) as other:  # owns shard 0, not this guild
                async with shard_process(settings, 1) as owner:
                    await owner.guild_settings.update(guild.id, datetime.now(UTC), poll_channel_id=channel)
                    options = {"question": "Later?", "options": "Yes; No", "starts_in": "1h", "remind": "1h",
                               "duration": "2h"}  # fmt: skip
                    answer = await (await discord.slash("poll custom", options, user=mod)).final_message()
                    poll_id = int(re.search(r"Poll #(\d+)\*\* is scheduled", answer["content"]).group(1))
                # The owner is down; the start and the reminder fall due: the other process leaves them.
                now = datetime.now(UTC)
                await other.polls.reschedule(poll_id, now - timedelta(minutes=90), now + timedelta(minutes=30))
                await other.get_cog("Polls").closer.close_due()
                assert discord.messages_in(channel) == []

                async with shard_process(settings, 1) as back:  # back: it catches up at start-up
                    posted = await discord.wait_for_request("POST", rf"/channels/{channel}/messages", timeout=30)
                    after = discord.requests.index(posted) + 1
                    await discord.wait_for_request("POST", rf"/channels/{channel}/messages", start=after, timeout=30)
                    since = len(discord.requests)
                    await back.get_cog("Polls").closer.close_due()  # once more on purpose: nothing twice
                    await other.get_cog("Polls").closer.close_due()
                    assert [r.path for r in discord.requests[since:] if r.method == "POST"] == []
                    posts = discord.messages_in(channel)
                    assert [("⏰" in m["content"], bool(m["embeds"])) for m in posts] == [(False, True), (True, False)]
    discord.assert_no_violations()
