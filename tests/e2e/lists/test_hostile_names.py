"""Hostile text through every /lists text option: a calm private answer, never a ping, never a
payload Discord would refuse (the stand-in checks), and a list name that can't break markup."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.server_lists import ServerEntry
from tests.e2e.test_hostile_input import CORPUS, assert_calm, assert_defused, attempt, everything_posted

ENTRY = ServerEntry(key="e1", show="Kanon", moment="Ayu's final wish", summary="She says goodbye.", why_it_hits="W.")


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
async def test_lists_commands_stay_calm_and_names_stay_inert(discord, configured, mod, alice, text):
    created = await attempt(discord.slash("lists create", {"name": text}, user=mod))
    if created is not None:
        assert_calm(created)
        assert created.ephemeral
    for name, options in [
        ("lists rename", {"list": text, "name": "Plain"}),
        ("lists add", {"list": text, "nomination": 1}),
        ("lists remove", {"list": text, "rank": 1}),
        ("lists export", {"list": text}),
        ("lists delete", {"list": text}),
        ("lists publish", {"poll": 1, "list": text}),
    ]:
        result = await attempt(discord.slash(name, options, user=mod))
        if result is not None:
            assert_calm(result)
            assert result.ephemeral
    choices = await attempt(discord.autocomplete("lists add", {"list": text, "nomination": 1}, user=mod))
    assert choices is None or len(choices) <= 25

    for list_id, _ in await configured.server_lists.names(discord.guild.id):
        await configured.server_lists.change_entries(discord.guild.id, list_id, lambda _: (ENTRY,), datetime.now(UTC))
        for command, options in (("list", {"list": list_id}), ("entry", {"query": "1", "list": list_id})):
            shown = await discord.slash(command, options, user=alice)
            assert_calm(shown)
            embed = shown.embeds[0]
            for surface in (embed["title"], (embed.get("author") or {}).get("name") or ""):
                assert not any(mark in surface for mark in ("||", "**", "__", "`", "<@", "\n")), surface
    assert_defused(everything_posted(discord))
