"""/settings round trip, and clear messages when a channel is gone or closed to the bot."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from tests.e2e.nominating import nominate, posts_in


def fields(result) -> dict[str, str]:
    return {f["name"]: f["value"] for f in result.embeds[0]["fields"]}


async def test_settings_round_trip(discord, namida, mod):
    guild = discord.guild
    defaults = await discord.slash("settings show", user=mod)
    assert defaults.ephemeral and fields(defaults)["Open nominations per member"] == "3"
    assert fields(defaults)["Cooldown between nominations"] == "60 s"
    assert fields(defaults)["Shows already on the list"] == "accepted and marked"

    options = {
        "nominations_channel": guild.channel("nominations"),
        "review_channel": guild.channel("mod-queue"),
        "moderator_role": guild.role("Helpers"),
        "max_open_nominations": 5,
        "cooldown_seconds": 30,
        "allow_listed_shows": False,
        "show_titles_are_spoilers": True,
    }
    saved = await discord.slash("settings set", options, user=mod)
    shown = fields(saved)
    assert saved.ephemeral and saved.content == "Saved."
    assert shown["Nominations channel"] == f"<#{guild.channel('nominations').id}>"
    assert shown["Moderator role"] == f"<@&{guild.role('Helpers').id}>"
    assert (shown["Open nominations per member"], shown["Cooldown between nominations"]) == ("5", "30 s")
    assert (shown["Shows already on the list"], shown["Show titles are spoilers"]) == ("refused", "yes")

    cleared = await discord.slash("settings clear", {"setting": "review_channel"}, user=mod)
    assert fields(cleared)["Review channel"] == "not set"
    assert fields(await discord.slash("settings show", user=mod))["Nominations channel"].startswith("<#")


async def test_nothing_to_change_is_a_friendly_refusal(discord, namida, mod):
    result = await discord.slash("settings set", user=mod)
    assert result.ephemeral and "Pick at least one setting" in result.content


async def test_a_channel_the_bot_cannot_post_in_is_refused_naming_the_permission(discord, namida, mod):
    result = await discord.slash("settings set", {"nominations_channel": discord.guild.channel("locked")}, user=mod)
    assert result.ephemeral and "Nothing was changed" in result.content
    assert "I need Send Messages, Embed Links there" in result.content


async def test_a_deleted_channel_is_reported_and_never_loses_a_nomination(discord, namida, mod, alice):
    gone = 123456789012345678
    await namida.guild_settings.update(
        discord.guild.id, datetime.now(UTC), nominations_channel_id=gone, cooldown_seconds=0
    )
    result = await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv", announced=False)
    assert "is saved" in result.content
    warning = await result.next_followup()
    assert (
        warning["flags"] & 64
        and "Your nomination is safe, but I couldn't post it. The nominations channel" in warning["content"]
    )
    assert (await namida.nominations.by_number(discord.guild.id, 1)).moment.reveal() == "Ushio in the snow"

    report = fields(await discord.slash("settings show", user=mod))
    assert f"<#{gone}>" in report["⚠️ Needs fixing"] and "no longer exists" in report["⚠️ Needs fixing"]


async def test_setting_the_channel_again_posts_the_nominations_that_missed_their_post(
    discord, namida, mod, alice, monkeypatch
):
    gone = 123456789012345678
    await namida.guild_settings.update(
        discord.guild.id, datetime.now(UTC), nominations_channel_id=gone, cooldown_seconds=0
    )
    for moment in ("Ushio in the snow", "Nagisa's last winter", "The town's lights"):
        await nominate(discord, alice, "Clannad", moment=moment, fmt="tv", announced=False)
    # production posts 25 at a time; by name, as the running bot imported it
    monkeypatch.setattr(sys.modules["cogs.nominations.service"], "CATCH_UP_POSTS", 2)

    fixed = await discord.slash("settings set", {"nominations_channel": discord.guild.channel("nominations")}, user=mod)
    assert fixed.content == "Saved."
    caught_up = await fixed.next_followup()
    assert caught_up["flags"] & 64 and caught_up["content"].startswith("Posted 2 nomination(s) that were waiting")
    assert "1 more are waiting: set the nominations channel again" in caught_up["content"]
    titles = [m["embeds"][0]["title"] for m in posts_in(discord, "nominations")]
    assert [t.split(" · ")[0] for t in titles] == ["Nomination #1", "Nomination #2"]

    again = await discord.slash("settings set", {"nominations_channel": discord.guild.channel("nominations")}, user=mod)
    assert (await again.next_followup())["content"].startswith("Posted 1 nomination(s)")
    assert len(posts_in(discord, "nominations")) == 3
    once_more = await discord.slash("settings set", {"cooldown_seconds": 5}, user=mod)
    assert once_more.content == "Saved." and not once_more.followups  # nothing left to post
    assert len(posts_in(discord, "nominations")) == 3


async def test_show_titles_as_spoilers_keep_the_title_off_unhideable_surfaces(discord, configured, alice):
    await configured.guild_settings.update(
        discord.guild.id, datetime.now(UTC), show_titles_are_spoilers=True
    )
    result = await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    assert "**Nomination #1** is saved" in result.content
    post = discord.messages_in(discord.guild.channel("nominations"))[-1]
    assert post["embeds"][0]["title"] == "Nomination #1"
    assert post["embeds"][0]["description"].startswith("**Show** ||Clannad||")
