"""Forged, stale or foreign ids in buttons and menus get a friendly answer, never a silent failure."""

from __future__ import annotations

import copy

import pytest

from tests.e2e.polling import labels, start_poll
from tests.e2e.surfaces import sent_leaks


def forge(discord, message, old_id: str, new_id: str):
    """The stored message with one component's custom_id replaced, as a modified client could send."""
    stored = copy.deepcopy(discord.get_message(message["id"]))
    for row in stored["components"]:
        for item in row["components"]:
            if item.get("custom_id") == old_id:
                item["custom_id"] = new_id
    discord.world.messages[int(stored["id"])] = stored
    return stored


@pytest.mark.parametrize(
    ("forged", "expected"),
    [
        ("poll:999999:v:0", "I don't know that poll in this server"),
        ("poll:1:v:24", "was never offered in this poll"),
        ("nom:999999:second", "doesn't exist in this server"),
        # Steps of a private message, copied onto a public one, change nothing there.
        ("nomrev:999999:r1:approve", "only works on the private message it was made for"),
        ("poll:1:done:zz", "only works on the private message it was made for"),
        ("poll:abc:v:0", "Run the command again"),
        ("poll:1:v:²", "Run the command again"),  # "²".isdigit() is True
        ("poll:١:v:0", "Run the command again"),  # int("١") is 1
        ("nom:٣:second", "Run the command again"),
        # An id past 64 bits (no Discord id or row id is) would not fit either database's integers.
        ("noms:any:9999999999999999999:0:next:", "belongs to an entry or list I no longer have"),
        ("noms:any:99999999999999999999:0:next:", "belongs to an entry or list I no longer have"),
        ("lists:9999999999999999999:mine:delete", "belongs to an entry or list I no longer have"),
    ],
)
async def test_forged_component_ids(discord, configured, mod, alice, forged, expected):
    poll = await start_poll(discord, mod, "custom", question="Q", options="a; b")
    message = forge(discord, poll, labels(poll)["1. a"], forged)
    result = await discord.click(message, forged, user=alice)
    assert result.ephemeral and expected in result.content, result.content


async def test_a_menu_value_that_was_never_offered(discord, configured, alice):
    listing = await discord.slash("list", user=alice)
    menu = listing.components[0]["components"][0]
    payload = discord._builder.component(
        discord.get_message(listing.message["id"]), menu["custom_id"], alice, ["anohana"]
    )
    payload["data"]["values"] = ["not-an-entry"]
    result = await discord.inject(payload)
    assert result.ephemeral and "Run the command again" in result.content


@pytest.mark.parametrize("value", ["²", "١"])
async def test_a_ranked_pick_that_is_not_an_ascii_number_gets_the_stale_answer(
    discord, configured, mod, alice, top_list, value
):
    poll = await start_poll(discord, mod, "custom", question="Rank?", options="a; b; c", mode="ranked")
    ranking = await discord.click(poll, labels(poll)["Vote"], user=alice)
    pick = ranking.message
    menu = next(c for row in pick["components"] for c in row["components"] if c["type"] == 3)
    payload = discord._builder.component(discord.get_message(pick["id"]), menu["custom_id"], alice, ["0"])
    payload["data"]["values"] = [value]
    result = await discord.inject(payload)
    assert result.ephemeral and "Run the command again" in result.content
    assert discord.get_message(pick["id"])["content"] == pick["content"]  # the ballot message is unchanged
    assert await configured.polls.ballot_of(1, alice.id) == ()
    assert sent_leaks(discord.requests, top_list) == []
