"""/nominate with a catalogue: a typed show several entries could be is picked from a short menu,
and what the catalogue knows about the show decides whether the member is asked its kind."""

from __future__ import annotations

import shutil

import pytest

from bot.domain import limits
from standin import Callback
from standin.state import walk_components
from tests.domain.test_anime import FIXTURE
from tests.e2e.harness import running_namida
from tests.e2e.nominating import FORMAT_FIELD, form_fields, nominate, posts_in
from tests.e2e.surfaces import sent_leaks

PICKER = "Which show is it?"
KEEP_TYPED = "None of these: keep what I typed"


@pytest.fixture
def settings(settings):
    shutil.copyfile(FIXTURE, settings.catalogue)
    return settings


def menu_of(message: dict) -> dict:
    (menu,) = [c for c in walk_components(message["components"]) if c.get("placeholder") == PICKER]
    return menu


def option_labels(message: dict) -> list[str]:
    return [option["label"] for option in menu_of(message)["options"]]


def value_of(message: dict, label_start: str) -> str:
    return next(o["value"] for o in menu_of(message)["options"] if o["label"].startswith(label_start))


async def picker(discord, user, show: str) -> dict:
    shown = await discord.slash("nominate", {"show": show}, user=user)
    assert shown.type == Callback.CHANNEL_MESSAGE and shown.ephemeral, shown.content
    return shown.message


async def pick(discord, message: dict, label_start: str, user):
    return await discord.select(message, menu_of(message)["custom_id"], [value_of(message, label_start)], user=user)


async def test_a_name_several_shows_share_asks_which_one(discord, configured, ready, alice, top_list):
    menu = await picker(discord, alice, "hunter x hunter")
    assert option_labels(menu) == [
        "Hunter x Hunter (TV, 1999, 62 eps)",
        "Hunter x Hunter (2011) (TV, 2011, 148 eps)",
        KEEP_TYPED,
    ]
    descriptions = [option.get("description") for option in menu_of(menu)["options"]]
    assert descriptions == ["Also: HxH", "Also: HxH 2011", None]  # the first other name tells them apart
    opened = await pick(discord, menu, "Hunter x Hunter (2011)", alice)
    assert opened.type == Callback.MODAL and FORMAT_FIELD not in form_fields(opened.modal)
    assert opened.modal["title"] == "Nominate: Hunter x Hunter (2011)"
    assert sent_leaks(discord.requests, top_list) == []


async def test_a_title_close_to_catalogue_ones_offers_them_and_the_typed_spelling(discord, configured, ready, alice):
    menu = await picker(discord, alice, "clanad aftr story")
    labels = option_labels(menu)
    assert labels[0].startswith("Clannad: After Story (TV, ") and labels[-1] == KEEP_TYPED
    assert len(labels) <= limits.SELECT_OPTIONS and all(len(label) <= limits.SELECT_OPTION_LABEL for label in labels)
    kept = await pick(discord, menu, KEEP_TYPED, alice)  # free text: asked its kind, as without a catalogue
    assert kept.type == Callback.MODAL and FORMAT_FIELD in form_fields(kept.modal)
    assert kept.modal["title"] == "Nominate: clanad aftr story"


async def test_picking_a_movie_is_refused_as_the_lists_rules_say(discord, configured, ready, alice):
    menu = await picker(discord, alice, "rebellion")  # part of a title: a menu
    refused = await pick(discord, menu, "Madoka Magica Movie 3", alice)
    assert refused.ephemeral and refused.content == (
        "**Madoka Magica Movie 3: Rebellion** is a movie, and the list counts multi-episode shows only."
    )


def typed(opened, moment: str = "Kite's last hunt") -> dict:
    fields = form_fields(opened.modal)
    return {
        fields["The moment (hidden as a spoiler)"]: moment,
        fields["What happens"]: "Something heartbreaking happens.",
        fields["Why it moved you"]: "It stayed with me for days.",
        fields["Episode (optional)"]: "",
    }


async def test_a_double_pick_leaves_one_form_and_one_nomination(discord, configured, ready, alice):
    menu = await picker(discord, alice, "hunter x hunter")
    first = await pick(discord, menu, "Hunter x Hunter (TV, 1999", alice)
    second = await pick(discord, menu, "Hunter x Hunter (TV, 1999", alice)
    older = await discord.submit_modal(first.modal["custom_id"], typed(first), user=alice)
    assert older.ephemeral and "That form expired" in older.content
    saved = await discord.submit_modal(second.modal["custom_id"], typed(second), user=alice)
    assert "is saved and waiting for a moderator" in saved.content
    open_count, _ = await configured.nominations.member_activity(discord.guild.id, alice.id)
    assert open_count == 1


async def test_a_menu_from_before_a_restart_says_it_expired(discord, settings, alice):
    async with running_namida(discord, settings) as bot:
        assert await bot.anime_catalogue.wait_ready()
        menu = await picker(discord, alice, "hunter x hunter")
    async with running_namida(discord, settings) as bot:
        stale = await pick(discord, menu, "Hunter x Hunter (2011)", alice)
        assert stale.ephemeral and stale.content.startswith("That menu has expired")
        assert "run `/nominate` again" in stale.content
        assert await bot.nominations.member_activity(discord.guild.id, alice.id) == (0, None)


async def test_someone_elses_menu_does_nothing_for_them(discord, configured, ready, alice, bob):
    menu = await picker(discord, alice, "hunter x hunter")
    theirs = await pick(discord, menu, "Hunter x Hunter (2011)", bob)
    assert theirs.ephemeral and theirs.type != Callback.MODAL


@pytest.mark.parametrize(
    "show",
    [
        "Mahoutsukai no Yome: Hoshi Matsu Hito",  # an OVA of three episodes
        "To Your Eternity",  # an ONA of twenty
        "Hikaru ga Shinda Natsu",  # a TV series not aired yet (episodes unknown)
    ],
)
async def test_multi_episode_ovas_and_onas_are_not_asked_their_kind(discord, configured, ready, alice, show):
    opened = await discord.slash("nominate", {"show": show}, user=alice)
    assert opened.type == Callback.MODAL and FORMAT_FIELD not in form_fields(opened.modal)


async def test_a_show_of_unknown_type_is_asked_its_kind(discord, configured, ready, alice):
    opened = await discord.slash("nominate", {"show": "Untitled Sad Project"}, user=alice)
    assert opened.type == Callback.MODAL and FORMAT_FIELD in form_fields(opened.modal)


async def test_a_multi_episode_ova_is_saved_as_an_ova_series(discord, configured, ready, alice):
    saved = await nominate(discord, alice, "The Ancient Magus' Bride: Those Awaiting a Star", moment="The letter")
    assert "is saved and waiting for a moderator" in saved.content
    (post,) = posts_in(discord, "nominations")
    assert post["embeds"][0]["description"].endswith("· OVA series")


async def test_an_edit_is_held_to_the_catalogue_s_episode_count(discord, configured, ready, alice):
    saved = await nominate(discord, alice, "Clannad", moment="Ushio in the snow", episode="20")
    assert "is saved" in saved.content
    opened = await discord.slash("nominations edit", {"id": 1}, user=alice)
    fields = form_fields(opened.modal)
    values = {fields["The moment (hidden as a spoiler)"]: "Ushio in the snow", fields["Episode (optional)"]: "30",
              fields["What happens"]: "Something heartbreaking happens.", fields["Why it moved you"]: "It stayed."}
    refused = await discord.submit_modal(opened.modal["custom_id"], values, user=alice)
    assert refused.ephemeral and refused.content.startswith("**Clannad** has 23 episodes, so there is no episode 30.")

