"""Members look entries up: what they see, where the spoilers are, and what stays private."""

from __future__ import annotations

import pytest

from standin import Callback
from tests.e2e.surfaces import hidden_spoilers, leaks, shown, unhideable_texts

EPHEMERAL = 64


def buttons(message) -> dict[str, str]:
    """label -> custom_id of every button and select in a message."""
    found = {}
    for row in message["components"]:
        for item in row["components"]:
            found[item.get("label") or item.get("placeholder")] = item["custom_id"]
    return found


async def test_list_shows_the_countdown_then_the_mentions_with_moments_hidden(discord, namida, alice, top_list):
    result = await discord.slash("list", user=alice)

    assert result.type == Callback.CHANNEL_MESSAGE and not result.ephemeral
    ranked, honorable = result.embeds
    assert ranked["title"] == 'Top 10 "Sad" Anime Moments'
    assert ranked["description"].index("**Madoka Magica**") < ranked["description"].index("**Made in Abyss**")
    assert honorable["title"] == "Honorable mentions"
    assert hidden_spoilers(result.message) == [e.moment.reveal() for e in top_list.entries]
    assert leaks(result.message, top_list) == []
    menu = result.components[0]["components"][0]
    assert [o["label"] for o in menu["options"]] == [e.handle for e in top_list.entries]


async def test_list_can_be_private(discord, namida, alice):
    result = await discord.slash("list", {"ephemeral": True}, user=alice)
    assert result.ephemeral


async def test_picking_from_the_list_opens_the_entry_privately(discord, namida, alice, bob, top_list):
    listing = await discord.slash("list", user=alice)
    menu = listing.components[0]["components"][0]
    picked = await discord.select(listing.message, menu["custom_id"], ["haibane-renmei"], user=bob)

    assert picked.ephemeral
    assert picked.embeds[0]["title"] == "#5 · Haibane Renmei"
    assert leaks(picked.message, top_list) == []


async def test_entry_autocomplete_offers_handles_only(discord, namida, alice, top_list):
    mad = await discord.autocomplete("entry", {"query": "mad"}, user=alice)
    assert [c["name"] for c in mad][:2] == ["#10 · Madoka Magica", "#1 · Made in Abyss"]
    three = await discord.autocomplete("entry", {"query": "3"}, user=alice)
    assert [c["name"] for c in three] == ["#3 · Assassination Classroom"]
    alternate = await discord.autocomplete("entry", {"query": "puella"}, user=alice)
    assert [c["name"] for c in alternate] == ["#10 · Madoka Magica"]
    everything = await discord.autocomplete("entry", {"query": ""}, user=alice)
    assert len(everything) == 16
    moments = [e.moment.reveal() for e in top_list.entries]
    assert not [c for c in everything if any(m in c["name"] for m in moments)]


async def test_entry_shows_the_handle_and_hides_every_spoiler(discord, namida, alice, top_list):
    result = await discord.slash("entry", {"query": "madoka-magica"}, user=alice)
    madoka = top_list.entry("madoka-magica")

    embed = result.embeds[0]
    assert embed["title"] == "#10 · Madoka Magica" and not result.ephemeral
    assert "📺 Episode 3" in embed["description"]
    spoilers = hidden_spoilers(result.message)
    assert madoka.moment.reveal() in spoilers
    assert madoka.summary.reveal() in spoilers and madoka.why_it_hits.reveal() in spoilers
    assert "Mami Tomoe" in " ".join(spoilers)
    assert leaks(result.message, top_list) == []
    assert set(buttons(result.message)) == {"Reveal", "▶ #9 · Magi"}


@pytest.mark.parametrize(
    "key",
    [
        "madoka-magica",
        "magi",
        "black-rock-shooter",
        "rahxephon",
        "kaguya-sama",
        "haibane-renmei",
        "darling-in-the-franxx",
        "assassination-classroom",
        "robotics-notes",
        "made-in-abyss",
        "yuki-yuna-is-a-hero",
        "anohana",
        "promised-neverland",
        "steins-gate",
        "dusk-maiden-of-amnesia",
        "bunny-girl-senpai",
    ],
)
async def test_all_sixteen_entries_are_served_without_leaks(discord, namida, alice, top_list, key):
    result = await discord.slash("entry", {"query": key}, user=alice)
    entry = top_list.entry(key)
    assert result.embeds[0]["title"] == entry.handle
    assert entry.moment.reveal() in hidden_spoilers(result.message)
    assert leaks(result.message, top_list) == []


async def test_reveal_answers_only_the_member_who_pressed_it(discord, namida, alice, bob, top_list):
    shared = await discord.slash("entry", {"query": "1"}, user=alice)
    revealed = await discord.click(shared.message, buttons(shared.message)["Reveal"], user=bob)

    abyss = top_list.entry("made-in-abyss")
    assert revealed.type == Callback.CHANNEL_MESSAGE and revealed.ephemeral
    description = revealed.embeds[0]["description"]
    assert abyss.moment.reveal() in shown(description) and abyss.summary.reveal() in shown(description)
    assert hidden_spoilers(revealed.message) == []
    assert revealed.embeds[0]["title"] == "#1 · Made in Abyss (revealed)"
    assert discord.get_message(shared.message["id"])["embeds"] == shared.embeds  # shared message untouched


async def test_next_turns_the_askers_page_but_gives_others_a_private_copy(discord, namida, alice, bob, top_list):
    shared = await discord.slash("entry", {"query": "10"}, user=alice)
    next_id = buttons(shared.message)["▶ #9 · Magi"]

    by_bob = await discord.click(shared.message, next_id, user=bob)
    assert by_bob.type == Callback.CHANNEL_MESSAGE and by_bob.ephemeral
    assert by_bob.embeds[0]["title"] == "#9 · Magi"
    assert discord.get_message(shared.message["id"])["embeds"][0]["title"] == "#10 · Madoka Magica"

    by_alice = await discord.click(shared.message, next_id, user=alice)
    assert by_alice.type == Callback.UPDATE_MESSAGE
    page = discord.get_message(shared.message["id"])
    assert page["embeds"][0]["title"] == "#9 · Magi"
    assert set(buttons(page)) == {"◀ #10 · Madoka Magica", "Reveal", "▶ #8 · Black★Rock Shooter"}
    assert leaks(page, top_list) == []


async def test_the_last_rank_leads_on_to_the_honorable_mentions(discord, namida, alice):
    result = await discord.slash("entry", {"query": "#1"}, user=alice)
    assert "▶ Honorable mention · Yuki Yuna is a Hero" in buttons(result.message)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"query": "zzzz"}, "I couldn't find that entry"),
        ({"query": "ma"}, "Did you mean: **#10 · Madoka Magica**"),
        ({"query": "   "}, "Tell me which entry"),
        ({"query": "10", "list": "best-mecha"}, 'Lists I have: `Top 10 "Sad" Anime Moments`'),
    ],
)
async def test_bad_queries_get_a_private_friendly_answer(discord, namida, alice, options, expected):
    result = await discord.slash("entry", options, user=alice)
    assert result.ephemeral and expected in result.content


async def test_hostile_query_text_is_not_echoed_as_markup(discord, namida, alice):
    result = await discord.slash("entry", {"query": "@everyone ||x|| `"}, user=alice)
    assert result.ephemeral
    assert "@everyone" not in result.content and "||x||" not in result.content


async def test_honorable_lists_the_six_or_opens_one(discord, namida, alice, top_list):
    everyone = await discord.slash("honorable", user=alice)
    assert [e["title"] for e in everyone.embeds] == ["Honorable mentions"]
    assert hidden_spoilers(everyone.message) == [e.moment.reveal() for e in top_list.honorable]
    assert leaks(everyone.message, top_list) == []

    one = await discord.slash("honorable", {"query": "steins"}, user=alice)
    assert one.embeds[0]["title"] == "Honorable mention · Steins;Gate"

    ranked = await discord.slash("honorable", {"query": "madoka"}, user=alice)
    assert ranked.ephemeral and "#10 · Madoka Magica** is in the countdown" in ranked.content


async def test_honorable_autocomplete_offers_only_mentions(discord, namida, alice):
    choices = await discord.autocomplete("honorable", {"query": ""}, user=alice)
    assert len(choices) == 6 and all(c["name"].startswith("Honorable mention · ") for c in choices)


async def test_random_serves_some_entry_without_leaks(discord, namida, alice, top_list):
    for _ in range(5):
        result = await discord.slash("random", {"ephemeral": True}, user=alice)
        assert result.ephemeral
        assert result.embeds[0]["title"] in {e.handle for e in top_list.entries}
        assert leaks(result.message, top_list) == []


async def test_about_gives_credit_rules_version_and_commands(discord, namida, alice, top_list):
    result = await discord.slash("about", user=alice)
    assert result.ephemeral
    fields = {f["name"]: f["value"] for f in result.embeds[0]["fields"]}
    assert "An American Writer" in fields["The list"]
    assert fields["The list's rules"].count("•") == 4
    assert "`/entry`" in fields["Commands"] and "`/list`" in fields["Commands"]
    assert fields["Version"] and fields["Uptime"].endswith("min")
    assert leaks(result.message, top_list) == []


async def test_lookups_work_in_direct_messages(discord, namida, alice):
    result = await discord.slash("entry", {"query": "2"}, user=alice, guild=None)
    assert result.embeds[0]["title"] == "#2 · Robotics;Notes"


async def test_no_surface_discord_cannot_hide_ever_shows_a_moment(discord, namida, alice, top_list):
    moments = [e.moment.reveal() for e in top_list.entries]
    for options in ({"query": "1"}, {"query": "anohana"}):
        result = await discord.slash("entry", options, user=alice)
        assert not [t for t in unhideable_texts(result.message) if any(m in t for m in moments)]
