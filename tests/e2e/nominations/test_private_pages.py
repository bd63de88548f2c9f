"""List pages and review buttons act only on the member's own private message."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from tests.e2e.nominating import button, nominate, posts_in
from tests.e2e.surfaces import sent_leaks

FOREIGN = "only works on the private message it was made for, so I changed nothing"


async def test_a_page_button_turns_only_its_own_private_page(discord, configured, alice, bob, top_list):
    await configured.guild_settings.update(discord.guild.id, datetime.now(UTC), max_open_nominations=25)
    for i in range(6):
        await nominate(discord, alice, "Clannad", moment=f"Moment {i}", fmt="tv")
    first = await discord.slash("nominations list", user=alice)
    following = button(first.message, "Next ▶")

    by_bob = await discord.click(first.message, following, user=bob)
    assert by_bob.ephemeral and FOREIGN in by_bob.content
    assert discord.get_message(first.message["id"])["embeds"] == first.message["embeds"]

    post = posts_in(discord, "nominations")[0]  # a public post, with the page button copied onto it
    forged = copy.deepcopy(discord.get_message(post["id"]))
    forged["components"][0]["components"][0]["custom_id"] = following
    discord.world.messages[int(forged["id"])] = forged
    on_public = await discord.click(forged, following, user=alice)
    assert on_public.ephemeral and FOREIGN in on_public.content
    assert discord.get_message(post["id"])["embeds"] == forged["embeds"]

    turned = await discord.click(first.message, following, user=alice)
    assert "Page 2 of 2" in turned.embeds[0]["footer"]["text"]
    assert sent_leaks(discord.requests, top_list) == []


async def test_a_review_button_on_the_own_queue_still_checks_the_moderator_now(discord, configured, alice, top_list):
    helpers = discord.guild.role("Helpers")
    await configured.guild_settings.update(
        discord.guild.id, datetime.now(UTC), moderator_role_id=helpers.id
    )
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    helper = discord.member("helper", roles=["Helpers"])
    queue = await discord.slash("nominations review", user=helper)
    await configured.guild_settings.update(discord.guild.id, datetime.now(UTC), moderator_role_id=None)
    refused = await discord.click(queue.message, button(queue.message, "Approve…"), user=helper)
    assert refused.ephemeral and "Only moderators can do that" in refused.content
    assert (await configured.nominations.by_number(discord.guild.id, 1)).status.value == "pending"
    assert sent_leaks(discord.requests, top_list) == []
