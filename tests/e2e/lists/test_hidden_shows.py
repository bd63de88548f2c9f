"""A server whose show titles are spoilers: its own list names nominated entries by rank and
nomination number, and their shows sit behind spoiler bars like the rest of the entry."""

from __future__ import annotations

from typing import Any

from tests.e2e.listing import MOMENTS
from tests.e2e.lists.test_members import published_list
from tests.e2e.surfaces import hidden_spoilers, hideable_texts, shown, unhideable_texts
from tests.e2e.test_lookups import buttons

SHOWS = tuple(MOMENTS)  # Toradora is Nomination #1, Plastic Memories #2, Kanon #3


def readable_shows(body: Any) -> list[str]:
    """The shows a request lets anyone read without a click: titles, labels, choices, plain text."""
    body = body if isinstance(body, dict) else {}
    message = body["data"] if isinstance(body.get("data"), dict) and "type" in body else body
    texts = unhideable_texts(message) + [shown(text) for text in hideable_texts(message)]
    texts += [choice.get("name") or "" for choice in message.get("choices") or []]
    return [show for show in SHOWS for text in texts if show in text]


async def test_with_show_titles_as_spoilers_a_server_list_names_no_nominated_show(
    discord, configured, mod, alice, bob, carol
):
    await published_list(discord, mod, alice, bob, carol)  # #1 Kanon, #2 Toradora, #3 Plastic Memories
    saved = await discord.slash("settings set", {"show_titles_are_spoilers": True}, user=mod)
    assert saved.ephemeral and saved.content == "Saved."
    since = len(discord.requests)

    overview = await discord.slash("list", {"list": "our-ten"}, user=bob)
    assert "`#1` **Nomination #3**" in shown(overview.embeds[0]["description"])
    assert f"Kanon: {MOMENTS['Kanon']}" in hidden_spoilers(overview.message)
    entry = await discord.slash("entry", {"query": "2", "list": "our-ten"}, user=alice)
    assert entry.embeds[0]["title"] == "#2 · Nomination #1"
    assert "Toradora" in hidden_spoilers(entry.message)  # one tap away, like the moment
    assert set(buttons(entry.message)) == {"◀ #3 · Nomination #2", "Reveal", "▶ #1 · Nomination #3"}
    offered = await discord.autocomplete("entry", {"list": "our-ten", "query": ""}, user=bob)
    assert [c["name"] for c in offered] == ["#3 · Nomination #2", "#2 · Nomination #1", "#1 · Nomination #3"]
    menu = buttons(overview.message)["Open an entry…"]
    picked = await discord.select(overview.message, menu, ["nomination-2"], user=carol)
    assert picked.ephemeral and picked.embeds[0]["title"] == "#3 · Nomination #2"
    moved = await discord.click(entry.message, buttons(entry.message)["▶ #1 · Nomination #3"], user=alice)
    assert moved.embeds[0]["title"] == "#1 · Nomination #3"
    await discord.slash("random", {"list": "our-ten"}, user=bob)
    assert [show for r in discord.requests[since:] for show in readable_shows(r.json)] == []

    revealed = await discord.click(moved.message, buttons(moved.message)["Reveal"], user=carol)
    assert revealed.ephemeral and "**Show** Kanon" in revealed.embeds[0]["description"]  # asked for, private

    await discord.slash("settings set", {"show_titles_are_spoilers": False}, user=mod)
    again = await discord.slash("entry", {"query": "2", "list": "our-ten"}, user=alice)
    assert again.embeds[0]["title"] == "#2 · Toradora" and "**Show**" not in again.embeds[0]["description"]
