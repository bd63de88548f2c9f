"""/about credits the anime catalogue (its licence asks for it) whenever the bot uses one."""

from __future__ import annotations

import shutil

from bot.domain.anime import CREDIT
from tests.domain.test_anime import FIXTURE
from tests.e2e.harness import running_namida
from tests.e2e.surfaces import leaks


async def test_about_credits_the_catalogue_and_its_licence(discord, settings, alice, top_list):
    shutil.copyfile(FIXTURE, settings.catalogue)
    async with running_namida(discord, settings) as bot:
        assert await bot.anime_catalogue.wait_ready()
        result = await discord.slash("about", user=alice)
    assert result.ephemeral
    fields = {f["name"]: f["value"] for f in result.embeds[0]["fields"]}
    assert fields["Show catalogue"] == CREDIT
    assert "anime-offline-database by manami-project" in CREDIT and "(ODbL) 1.0" in CREDIT
    assert leaks(result.message, top_list) == []


async def test_without_a_catalogue_about_credits_none(discord, settings, alice):
    assert not settings.catalogue.exists()
    async with running_namida(discord, settings) as bot:
        assert not await bot.anime_catalogue.wait_ready()
        result = await discord.slash("about", user=alice)
    assert "Show catalogue" not in {f["name"] for f in result.embeds[0]["fields"]}
    assert "An American Writer" in {f["name"]: f["value"] for f in result.embeds[0]["fields"]}["The list"]


async def test_a_catalogue_downloaded_while_running_is_used_without_a_restart(discord, settings, alice):
    async with running_namida(discord, settings) as bot:
        assert not await bot.anime_catalogue.wait_ready()
        before = await discord.autocomplete("nominate", {"show": "clanad aftr story"}, user=alice)
        shutil.copyfile(FIXTURE, settings.catalogue)  # what `namida catalogue update` leaves behind
        assert await bot.anime_catalogue.refresh()  # the check a running bot makes every minute
        after = await discord.autocomplete("nominate", {"show": "clanad aftr story"}, user=alice)
        about = await discord.slash("about", user=alice)
    assert not any(c["value"] == "Clannad: After Story" for c in before)
    assert after[0]["value"] == "Clannad: After Story" and after[0]["name"].startswith("Clannad: After Story (TV, ")
    assert {f["name"]: f["value"] for f in about.embeds[0]["fields"]}["Show catalogue"] == CREDIT
