"""A poll posted in a channel a member cannot read does not exist for that member."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from standin import PERMISSIONS, Overwrite, StandIn, make_guild
from tests.e2e.harness import discord_standin
from tests.e2e.polling import start_poll
from tests.e2e.surfaces import sent_leaks

VIEW = PERMISSIONS["view_channel"]
STAFF_QUESTION = "Which staff outing?"


@pytest_asyncio.fixture
async def discord() -> AsyncIterator[StandIn]:
    """#staff is hidden from @everyone and shown to the Staff role (and the bot)."""
    guild = make_guild(channels=("general", "polls", "staff"), roles={"Moderator": ("manage_guild",), "Staff": ()})
    async with discord_standin(guild) as standin:
        await standin.set_overwrites(
            "staff",
            Overwrite(guild.id, deny=VIEW),
            Overwrite(guild.role("Staff").id, allow=VIEW),
            Overwrite(standin.bot_user.id, allow=VIEW, kind=1),
        )
        yield standin


@pytest.fixture
def mod(discord):
    return discord.member("mod", roles=["Staff"], permissions="manage_guild")


async def two_polls(discord, mod) -> None:
    """Poll #1 in the public poll channel, Poll #2 in #staff."""
    await start_poll(discord, mod, "custom", question="Which public outing?", options="Park; Beach")
    staff = discord.guild.channel("staff")
    since = len(discord.requests)
    started = await discord.slash("poll custom", {"question": STAFF_QUESTION, "options": "Bar; Cafe", "channel": staff},
                                  user=mod)  # fmt: skip
    assert "is up in" in (await started.final_message())["content"]
    await discord.wait_for_request("POST", rf"/channels/{staff.id}/messages", start=since)


async def test_a_member_who_cannot_read_the_channel_never_sees_its_poll(discord, configured, mod, alice, top_list):
    await two_polls(discord, mod)
    listing = await discord.slash("poll list", user=alice)
    assert "**Poll #1**" in listing.embeds[0]["description"]
    assert "Poll #2" not in listing.embeds[0]["description"] and STAFF_QUESTION not in str(listing.embeds)
    choices = await discord.autocomplete("poll results", {"poll": ""}, user=alice)
    assert [c["value"] for c in choices] == [1]

    unknown = await discord.slash("poll results", {"poll": 999}, user=alice)
    hidden = await discord.slash("poll results", {"poll": 2}, user=alice)
    assert hidden.ephemeral and hidden.content == unknown.content
    assert "I don't know that poll" in hidden.content

    outsider_mod = discord.member("outsider-mod", permissions="manage_guild")
    unknown_export = await discord.slash("poll export", {"poll": 999}, user=outsider_mod)
    hidden_export = await discord.slash("poll export", {"poll": 2}, user=outsider_mod)
    assert hidden_export.ephemeral and hidden_export.content == unknown_export.content
    assert not (hidden_export.message or {}).get("attachments")
    assert sent_leaks(discord.requests, top_list) == []


async def test_a_member_who_can_read_the_channel_finds_its_poll(discord, configured, mod, top_list):
    await two_polls(discord, mod)
    staffer = discord.member("staffer", roles=["Staff"])
    listing = await discord.slash("poll list", user=staffer)
    assert "**Poll #1**" in listing.embeds[0]["description"] and "**Poll #2**" in listing.embeds[0]["description"]
    choices = await discord.autocomplete("poll results", {"poll": ""}, user=staffer)
    assert sorted(c["value"] for c in choices) == [1, 2]
    for where in ("general", "staff"):  # the cached channel's overwrites, then Discord's own answer
        reader = discord.member(f"staffer-in-{where}", roles=["Staff"])  # one chart each: no cooldown
        shown = await discord.slash("poll results", {"poll": 2, "ephemeral": True}, user=reader, channel=where)
        assert (await shown.final_message())["embeds"][0]["title"].startswith("Results")
    export = await discord.slash("poll export", {"poll": 2}, user=mod)
    assert export.ephemeral and export.content.startswith("Totals only")
    assert sent_leaks(discord.requests, top_list) == []
