"""The moderator role must be one the server hands out: not @everyone, not an integration's role."""

from __future__ import annotations

import pytest

from tests.e2e.surfaces import sent_leaks


def shown_role(result) -> str:
    return {f["name"]: f["value"] for f in result.embeds[0]["fields"]}["Moderator role"]


@pytest.mark.parametrize(
    ("role", "reason"),
    [
        ("@everyone", "@everyone can't be the moderator role: every member would moderate."),
        ("SomeBot", "is managed by an integration (a bot or a subscription)"),
    ],
)
async def test_an_unusable_moderator_role_is_refused_and_nothing_is_stored(
    discord, namida, mod, top_list, role, reason
):
    since = len(discord.requests)
    chosen = discord.guild.role(role)
    refused = await discord.slash("settings set", {"moderator_role": chosen, "cooldown_seconds": 5}, user=mod)
    assert refused.ephemeral and refused.content.startswith("Nothing was changed.") and reason in refused.content
    after = await discord.slash("settings show", user=mod)
    assert shown_role(after) == "not set (Manage Server only)"
    assert {f["name"]: f["value"] for f in after.embeds[0]["fields"]}["Cooldown between nominations"] == "60 s"
    settings = await namida.guild_settings.get(discord.guild.id)
    assert settings.moderator_role_id is None
    assert sent_leaks(discord.requests[since:], top_list) == []


async def test_a_role_the_server_hands_out_is_accepted(discord, namida, mod, top_list):
    helpers = discord.guild.role("Helpers")
    saved = await discord.slash("settings set", {"moderator_role": helpers}, user=mod)
    assert saved.ephemeral and shown_role(saved) == f"<@&{helpers.id}>"
    assert sent_leaks(discord.requests, top_list) == []
