"""The show menu within Discord's limits, with a catalogue large enough to fill it."""

from __future__ import annotations

import json

import pytest

from bench.catalogue import generated_catalogue
from bot.domain import limits
from standin import Callback
from tests.e2e.nominations.test_show_picker import KEEP_TYPED, menu_of


@pytest.fixture
def settings(settings):
    document = generated_catalogue(3_000, seed=3)
    settings.catalogue.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return settings


async def test_a_broad_typed_show_offers_at_most_24_entries_and_the_typed_spelling(discord, configured, alice):
    assert await configured.anime_catalogue.wait_ready()
    shown = await discord.slash("nominate", {"show": "ka"}, user=alice)  # the start of a great many titles
    assert shown.type == Callback.CHANNEL_MESSAGE and shown.ephemeral
    options = menu_of(shown.message)["options"]
    assert len(options) == limits.SELECT_OPTIONS and options[-1]["label"] == KEEP_TYPED
    assert len({o["value"] for o in options}) == len(options)
    assert all(len(o["label"]) <= limits.SELECT_OPTION_LABEL for o in options)
    assert all(len(o.get("description") or "") <= limits.SELECT_OPTION_DESCRIPTION for o in options)
