"""Public posts of a catalogue show: named by the catalogue's title (a catalogue fact, not member
text), linked to the show's page, with its thumbnail; nothing of the show when titles are spoilers."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from tests.domain.test_anime import FIXTURE
from tests.e2e.exposure import exposures
from tests.e2e.nominating import approve, default_of, nominate, posts_in
from tests.e2e.surfaces import sent_leaks

AFTER_STORY_PAGE = "https://myanimelist.net/anime/4181"
AFTER_STORY_PICTURE = "https://cdn.myanimelist.net/images/anime/4181t.jpg"


@pytest.fixture
def settings(settings):
    shutil.copyfile(FIXTURE, settings.catalogue)
    return settings


async def test_the_post_names_links_and_pictures_the_catalogue_show(discord, configured, ready, alice, mod, top_list):
    typed = "クラナド アフターストーリー"  # a synonym: the one entry "Clannad: After Story"
    await nominate(discord, alice, typed, moment="Ushio in the snow")
    (post,) = posts_in(discord, "nominations")
    embed = post["embeds"][0]
    assert embed["title"] == "Nomination #1 · Clannad: After Story"  # the catalogue's title, not the typed one
    assert embed["url"] == AFTER_STORY_PAGE and embed["thumbnail"]["url"] == AFTER_STORY_PICTURE
    assert exposures(discord, typed, may_see={alice.id}) == []  # what the member typed stays theirs

    queue = await discord.slash("nominations review", user=mod)
    form, approved = await approve(discord, queue.message, mod)
    assert default_of(form.modal, "Public show title") == "Clannad: After Story"
    assert approved.content.startswith("**Nomination #1 · Clannad: After Story** was approved.")
    await discord.wait_for_request("PATCH", rf"/channels/\d+/messages/{post['id']}")
    approved_post = discord.get_message(post["id"])["embeds"][0]
    assert approved_post["title"] == "Nomination #1 · Clannad: After Story"
    assert approved_post["url"] == AFTER_STORY_PAGE and approved_post["thumbnail"]["url"] == AFTER_STORY_PICTURE
    assert sent_leaks(discord.requests, top_list) == []


async def test_a_free_text_show_gets_no_link_and_no_picture(discord, configured, ready, alice):
    await nominate(discord, alice, "A Show Nobody Catalogued", moment="The end", fmt="tv")
    (post,) = posts_in(discord, "nominations")
    embed = post["embeds"][0]
    assert embed["title"] == "Nomination #1" and "url" not in embed and "thumbnail" not in embed


async def test_with_show_titles_as_spoilers_the_post_shows_nothing_of_the_show(discord, configured, ready, alice):
    await configured.guild_settings.update(
        discord.guild.id, datetime.now(UTC), show_titles_are_spoilers=True
    )
    await nominate(discord, alice, "Clannad: After Story", moment="Ushio in the snow")
    (post,) = posts_in(discord, "nominations")
    embed = post["embeds"][0]
    assert embed["title"] == "Nomination #1" and "url" not in embed and "thumbnail" not in embed
    assert exposures(discord, "Clannad", may_see={alice.id}) == []
