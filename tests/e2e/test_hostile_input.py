"""A corpus of hostile text through every text input Namida has: each gets a calm answer, never a
traceback, never a ping, and never a payload Discord would reject (the stand-in checks that)."""

from __future__ import annotations

import pytest

from standin import Callback, InteractionRefused, message_texts
from tests.e2e.nominating import form_fields

CORPUS = [
    " ",
    "\u200b\u200b",
    "x" * 100,
    "||spoiler|| ||",
    "@everyone @here",
    "<@&123456789012345678> <@123456789012345678> <#123456789012345678>",
    "```\ncode fence\n```",
    "**bold** __under__ ~~strike~~ *it* [link](https://example.com)",
    "\u202eright-to-left\u2066isolate",
    "e\u0301\u0301\u0301 combining",
    "💀" * 40,
    "# header\n> quote\n- list",
    "\\",
    "`",
    "-5m",
    "99999999999999999999",
    "nul\x00inside",
]
APOLOGY = "something went wrong on my side"


def assert_defused(text: str) -> None:
    """Mass mentions may only appear with the zero-width space that keeps them from pinging."""
    for mass in ("@everyone", "@here"):
        assert mass not in text


def everything_posted(discord) -> str:
    return "\n".join(t for m in discord.world.messages.values() for t in message_texts(m))


def assert_calm(result) -> None:
    """Answered, without an unexpected-error apology, and without anything that could ping."""
    assert result.accepted, result.status
    text = result.all_text()
    assert APOLOGY not in text
    assert_defused(text)
    mentions = (result.callback or {}).get("data", {}).get("allowed_mentions")
    assert mentions is None or mentions.get("parse", []) == []


async def attempt(call):
    """What the Discord client would refuse to send (e.g. an empty required option) is fine."""
    try:
        return await call
    except InteractionRefused:
        return None


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
async def test_lookups_and_autocomplete_stay_calm(discord, namida, alice, text):
    for name, options in [
        ("entry", {"query": text}),
        ("entry", {"query": "3", "list": text}),
        ("honorable", {"query": text}),
        ("list", {"list": text}),
        ("random", {"list": text}),
    ]:
        result = await attempt(discord.slash(name, options, user=alice))
        if result is not None:
            assert_calm(result)
            assert result.ephemeral or result.type == Callback.CHANNEL_MESSAGE
    for name, options in [("entry", {"query": text}), ("honorable", {"query": text}), ("list", {"list": text})]:
        choices = await attempt(discord.autocomplete(name, options, user=alice))
        assert choices is None or len(choices) <= 25


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
async def test_nominations_and_polls_stay_calm(discord, namida, alice, text):
    mod = discord.member("mod", permissions="manage_guild")
    opened = await attempt(discord.slash("nominate", {"show": text}, user=alice))
    if opened is not None and opened.type == Callback.MODAL:
        fields = form_fields(opened.modal)
        values = {fields[label]: text[:100] for label in fields if label != "What kind of show is it?"}
        if "What kind of show is it?" in fields:
            values[fields["What kind of show is it?"]] = ["tv"]
        submitted = await attempt(discord.submit_modal(opened.modal["custom_id"], values, user=alice))
        if submitted is not None:
            assert_calm(submitted)
    elif opened is not None:
        assert_calm(opened)
    first = await discord.slash("poll custom", {"question": "Open?", "options": "Yes; No"}, user=mod)
    assert "**Poll #1** is up" in (await first.final_message())["content"]  # for add-option and voters
    for name, options, user in [
        ("nominations list", {"show": text}, alice),
        ("nominations show", {"id": 999_999_999}, alice),
        ("poll custom", {"question": text, "options": f"{text}; plain"}, mod),
        ("poll custom", {"question": "Q", "options": "a; b", "duration": text}, mod),
        ("poll custom", {"question": "Q", "options": "a; b", "starts_in": text}, mod),
        ("poll custom", {"question": "Q", "options": "a; b", "remind": text}, mod),
        ("poll add-option", {"poll": 1, "label": text}, mod),
        ("poll voters", {"poll": 1}, mod),
        ("poll results", {"poll": 10**12}, alice),
    ]:
        result = await attempt(discord.slash(name, options, user=user))
        if result is not None:
            final = await result.final_message() if result.type == Callback.DEFERRED_CHANNEL_MESSAGE else None
            assert_calm(result)
            assert final is None or APOLOGY not in final["content"]
    for name, options in [("nominate", {"show": text}), ("nominations list", {"show": text})]:
        choices = await attempt(discord.autocomplete(name, options, user=alice))
        assert choices is None or len(choices) <= 25
    assert_defused(everything_posted(discord))  # the posted polls included
