"""/nominate with a catalogue: show suggestions from it, and the list's rules decided by it."""

from __future__ import annotations

import shutil

import pytest

from bot.domain import limits
from standin import Callback
from tests.domain.test_anime import FIXTURE
from tests.e2e.nominating import FORMAT_FIELD, approve, form_fields, nominate


@pytest.fixture
def settings(settings):
    shutil.copyfile(FIXTURE, settings.catalogue)
    return settings


def within_limits(choices) -> bool:
    return len(choices) <= limits.AUTOCOMPLETE_CHOICES and all(
        1 <= len(c["name"]) <= limits.CHOICE_NAME and 1 <= len(c["value"]) <= limits.CHOICE_VALUE for c in choices
    )


@pytest.mark.parametrize(
    ("typed", "name", "value"),
    [
        ("lie in apr", "Shigatsu wa Kimi no Uso (TV, ", "Shigatsu wa Kimi no Uso"),  # part of a synonym
        ("四月は君の嘘", "Shigatsu wa Kimi no Uso (TV, ", "Shigatsu wa Kimi no Uso"),  # Japanese script
        ("clanad aftr story", "Clannad: After Story (TV, ", "Clannad: After Story"),  # typos
    ],
)
async def test_the_catalogue_finds_what_members_type(discord, ready, alice, typed, name, value):
    choices = await discord.autocomplete("nominate", {"show": typed}, user=alice)
    assert choices[0]["name"].startswith(name) and choices[0]["value"] == value
    assert within_limits(choices)


async def test_the_lists_shows_come_before_the_catalogues(discord, ready, alice, top_list):
    names = [c["name"] for c in await discord.autocomplete("nominate", {"show": "madoka"}, user=alice)]
    list_titles = list(top_list.entry("madoka-magica").titles)
    assert names[: len(list_titles)] == list_titles and names[0] == "Madoka Magica"
    assert names[len(list_titles) :] == ["Madoka Magica Movie 3: Rebellion (MOVIE, 2013, 1 ep)"]
    # the catalogue's "Mahou Shoujo Madoka★Magica" is the list's "Mahou Shoujo Madoka Magica": offered once


async def test_shows_approved_here_come_before_the_catalogues(discord, configured, ready, alice):
    carol = discord.member("carol")
    before = [c["name"] for c in await discord.autocomplete("nominate", {"show": "clannad"}, user=carol)]
    assert before[0] == "Clannad (TV, 2007, 23 eps)" and "Clannad: After Story (TV, 2008, 24 eps)" in before
    await nominate(discord, alice, "CLANNAD ~AFTER STORY~", moment="Ushio in the snow")
    mod = discord.member("mod", permissions="manage_guild")
    await approve(discord, (await discord.slash("nominations review", user=mod)).message, mod)
    after = [c["name"] for c in await discord.autocomplete("nominate", {"show": "clannad"}, user=carol)]
    assert after[0] == "Clannad: After Story"  # approved on this server: first, by its confirmed title
    assert after[1] == "Clannad (TV, 2007, 23 eps)" and "Clannad: After Story (TV, 2008, 24 eps)" not in after


async def test_a_broad_query_offers_at_most_25_each_show_once(discord, ready, alice):
    choices = await discord.autocomplete("nominate", {"show": "a"}, user=alice)
    assert len(choices) == limits.AUTOCOMPLETE_CHOICES and within_limits(choices)
    assert len({c["value"].casefold() for c in choices}) == len(choices)


@pytest.mark.parametrize(
    ("typed", "refusal"),
    [
        ("Madoka Magica Movie 3: Rebellion",
         "**Madoka Magica Movie 3: Rebellion** is a movie, and the list counts multi-episode shows only."),
        ("clannad mou hitotsu no sekai tomoyo hen",  # spelled loosely: still that one entry
         r"**Clannad: Mou Hitotsu no Sekai, Tomoyo\-hen** is a one-off SPECIAL (one episode): "
         "the list counts multi-episode shows only."),
    ],
)  # fmt: skip
async def test_movies_and_one_offs_are_refused_without_asking(discord, configured, ready, alice, typed, refusal):
    result = await discord.slash("nominate", {"show": typed}, user=alice)
    assert result.ephemeral and result.content == refusal  # "\-" shows as "-": markdown-escaped


async def test_a_tv_show_in_the_catalogue_is_not_asked_what_kind_of_show_it_is(discord, configured, ready, alice):
    result = await discord.slash("nominate", {"show": "clannad"}, user=alice)
    assert result.type == Callback.MODAL and FORMAT_FIELD not in form_fields(result.modal)


async def test_an_episode_past_the_last_is_refused_naming_the_count(discord, configured, ready, alice):
    refused = await nominate(discord, alice, "Clannad", moment="Ushio in the snow", episode="24", announced=False)
    assert refused.ephemeral
    assert refused.content.startswith("**Clannad** has 23 episodes, so there is no episode 24.")
    saved = await nominate(discord, alice, "Clannad", moment="Ushio in the snow", episode="23")
    assert "is saved and waiting for a moderator" in saved.content


async def test_a_show_the_catalogue_does_not_know_is_asked_as_before(discord, configured, ready, alice):
    result = await discord.slash("nominate", {"show": "A Show Nobody Catalogued"}, user=alice)
    assert result.type == Callback.MODAL and FORMAT_FIELD in form_fields(result.modal)
