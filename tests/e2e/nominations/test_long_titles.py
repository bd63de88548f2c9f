"""A catalogue title longer than Discord lets a choice, a select option or a show name be: offered,
typed back, nominated, posted and approved under one short form of it, never refused."""

from __future__ import annotations

import json

import pytest

from bot.domain import limits
from bot.domain.nominations import SHOW_MAX
from standin import Callback
from tests.domain.test_anime import FIXTURE
from tests.e2e.nominating import FORMAT_FIELD, approve, default_of, form_fields, nominate, posts_in
from tests.e2e.nominations.test_show_picker import menu_of
from tests.e2e.surfaces import sent_leaks

LONG_TITLE = (
    "Shin no Nakama ja Nai to Yuusha no Party wo Oidasareta node, Henkyou de Slow Life suru Koto ni Shimashita: "
    "Second Season"
)
SHORT_TITLE = "Shin no Nakama ja Nai to Yuusha no Party wo Oidasareta node, Henkyou de Slow Life suru Koto ni Shim…"
PAGE = "https://myanimelist.net/anime/51837"


@pytest.fixture
def settings(settings):
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    document["data"].append({
        "sources": [PAGE], "title": LONG_TITLE, "type": "TV", "episodes": 12, "status": "FINISHED",
        "animeSeason": {"season": "SPRING", "year": 2024}, "picture": None, "thumbnail": None,
        "synonyms": ["Banished from the Hero's Party, I Decided to Live a Quiet Life in the Countryside 2"],
    })  # fmt: skip
    settings.catalogue.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return settings


async def test_a_long_title_is_suggested_short_with_its_details(discord, ready, alice):
    (choice, *_) = await discord.autocomplete("nominate", {"show": "banished from the hero"}, user=alice)
    assert choice["name"].endswith("… (TV, 2024, 12 eps)") and len(choice["name"]) <= limits.CHOICE_NAME
    assert choice["value"] == SHORT_TITLE and len(SHORT_TITLE) == SHOW_MAX == limits.CHOICE_VALUE


async def test_the_suggested_short_title_is_that_entry_and_nominates_it(discord, configured, ready, alice, mod):
    opened = await discord.slash("nominate", {"show": SHORT_TITLE}, user=alice)
    assert opened.type == Callback.MODAL and FORMAT_FIELD not in form_fields(opened.modal)  # the TV entry itself
    saved = await nominate(discord, alice, SHORT_TITLE, moment="Ruti at the harbour", episode="12")
    assert "is saved and waiting for a moderator" in saved.content
    (post,) = posts_in(discord, "nominations")
    assert post["embeds"][0]["title"] == f"Nomination #1 · {SHORT_TITLE}" and post["embeds"][0]["url"] == PAGE
    queue = await discord.slash("nominations review", user=mod)
    form, approved = await approve(discord, queue.message, mod)
    assert default_of(form.modal, "Public show title") == SHORT_TITLE
    assert approved.content.startswith(f"**Nomination #1 · {SHORT_TITLE}** was approved.")
    listed = await discord.slash("nominations list", {"show": SHORT_TITLE}, user=alice)
    page = json.dumps(listed.embeds, ensure_ascii=False)
    assert "Nomination #1" in page and "No nominations match." not in page


async def test_a_long_title_picked_from_the_menu_opens_the_form(discord, configured, ready, alice, top_list):
    shown = await discord.slash("nominate", {"show": "shin no nakama ja nai"}, user=alice)  # part of a title
    assert shown.type == Callback.CHANNEL_MESSAGE and shown.ephemeral
    menu = menu_of(shown.message)
    option = next(o for o in menu["options"] if o["label"].startswith("Shin no Nakama"))
    assert option["label"].endswith("… (TV, 2024, 12 eps)") and len(option["label"]) <= limits.SELECT_OPTION_LABEL
    opened = await discord.select(shown.message, menu["custom_id"], [option["value"]], user=alice)
    assert opened.type == Callback.MODAL and FORMAT_FIELD not in form_fields(opened.modal)
    fields = form_fields(opened.modal)
    since = len(discord.requests)
    saved = await discord.submit_modal(
        opened.modal["custom_id"],
        {fields["The moment (hidden as a spoiler)"]: "Ruti at the harbour", fields["What happens"]: "She smiles.",
         fields["Why it moved you"]: "Finally free.", fields["Episode (optional)"]: ""},
        user=alice,
    )  # fmt: skip
    assert "is saved and waiting for a moderator" in saved.content, saved.content
    assert sent_leaks(discord.requests[since:], top_list) == []
