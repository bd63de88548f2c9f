"""One show however it is spelled: with a catalogue, duplicates, "already on the list" and the
show filter compare catalogue entries, not spellings."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tests.domain.test_anime import FIXTURE
from tests.e2e.nominating import button, nominate
from tests.e2e.surfaces import sent_leaks


@pytest.fixture
def settings(settings, database_url):
    """With a catalogue, on each database engine: the comparisons by catalogue entry are SQL."""
    shutil.copyfile(FIXTURE, settings.catalogue)
    return replace(settings, database=database_url)


async def test_the_same_moment_spelled_another_way_is_offered_to_second(discord, configured, ready, alice, bob):
    first = await nominate(discord, alice, "CLANNAD ~AFTER STORY~", moment="Ushio in the snow")
    assert "is saved" in first.content
    again = await nominate(discord, bob, "クラナド アフターストーリー", moment="Ushio in the snow", announced=False)
    assert again.ephemeral and "already nominates that moment" in again.content
    assert "Press **Second** to support it instead." in again.content
    seconded = await discord.click(again.message, button(again.message, "Second"), user=bob)
    assert seconded.content.startswith("You seconded **Nomination #1")
    open_count, _ = await configured.nominations.member_activity(discord.guild.id, bob.id)
    assert open_count == 0


async def test_a_list_show_typed_by_a_catalogue_name_is_on_the_list(discord, configured, ready, alice, top_list):
    saved = await nominate(discord, alice, "暗殺教室", moment="The last lesson")  # Assassination Classroom, in Japanese
    note = "Note: the show is already on the list as **#3 · Assassination Classroom**; it's marked as such."
    assert saved.content.endswith(note)
    assert sent_leaks(discord.requests, top_list) == []


async def test_a_server_taking_only_new_shows_refuses_a_list_show_by_any_name(discord, configured, ready, alice):
    await configured.guild_settings.update(discord.guild.id, datetime.now(UTC), allow_listed_shows=False)
    refused = await nominate(discord, alice, "Yakusoku no Neverland", moment="The train", announced=False)
    assert refused.ephemeral
    assert refused.content.startswith(
        "That show is already on the list as **Honorable mention · The Promised Neverland**"
    )


async def test_the_show_filter_finds_every_spelling_of_one_show_and_no_other(discord, configured, ready, alice, bob):
    carol = discord.member("carol")
    await nominate(discord, alice, "CLANNAD ~AFTER STORY~", moment="Ushio in the snow")
    await nominate(discord, bob, "クラナド アフターストーリー", moment="The wheat field")
    await nominate(discord, carol, "Clannad", moment="The dango song")  # the first season: another entry
    listed = await discord.slash("nominations list", {"show": "Clannad: After Story"}, user=alice)
    assert listed.ephemeral
    page = listed.embeds[0]
    handles = [field["name"] for field in page["fields"]]
    assert handles == ["Nomination #1 · Clannad: After Story", "Nomination #2 · Clannad: After Story"]
    assert "2 nomination(s)" in page["footer"]["text"]


async def test_the_next_page_of_a_show_filter_keeps_every_spelling(discord, configured, ready):
    moments = ("Ushio in the snow", "The wheat field", "Nagisa's birth", "The robot girl", "Sanae's bread", "Fuko")
    fans = [discord.member(f"fan{number}") for number in range(len(moments))]
    for fan, moment in zip(fans, moments, strict=True):  # nobody typed the catalogue's own title
        saved = await nominate(discord, fan, "クラナド アフターストーリー", moment=moment)
        assert "is saved" in saved.content
    listed = await discord.slash("nominations list", {"show": "Clannad: After Story"}, user=fans[0])
    assert "Page 1 of 2 · 6 nomination(s)" in listed.embeds[0]["footer"]["text"]
    following = await discord.click(listed.message, button(listed.message, "Next ▶"), user=fans[0])
    page = following.embeds[0]
    assert page["footer"]["text"].startswith("Page 2 of 2 · 6 nomination(s)") and len(page["fields"]) == 1
