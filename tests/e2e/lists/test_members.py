"""What members get from a server's own list: only this server's lists offered, buttons of a
deleted list that say so, files in and out, and no spoiler readable anywhere without a click."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.domain.server_lists import ServerEntry, default_header
from tests.e2e.listing import MOMENTS, approved_nominations, closed_poll, exported_file, yaml_upload
from tests.e2e.surfaces import leaks, sent_leaks, shown
from tests.e2e.test_lookups import buttons

OTHER_SERVER = 1  # a guild id that isn't the stand-in's server


async def published_list(discord, mod, alice, bob, carol) -> None:
    await approved_nominations(discord, mod, {"Toradora": alice, "Plastic Memories": bob, "Kanon": carol})
    poll_id = await closed_poll(discord, mod, [(alice, "Kanon"), (bob, "Kanon"), (carol, "Toradora")])
    await discord.slash("lists create", {"name": "Our Ten"}, user=mod)
    published = await discord.slash("lists publish", {"poll": poll_id, "list": "our-ten"}, user=mod)
    assert "Published" in published.content, published.content


async def test_another_servers_lists_are_never_offered_or_shown(discord, configured, mod, alice, top_list):
    theirs = ServerEntry(key="theirs", show="Their Show", moment="Their secret moment", summary="S.", why_it_hits="W.")
    header = default_header("Their List", top_list)
    await configured.server_lists.create(OTHER_SERVER, "their-list", "Their List", header, 3, datetime.now(UTC),
                                         ranked_places=10, entries=(theirs,))  # fmt: skip
    await discord.slash("lists create", {"name": "Our Ten"}, user=mod)

    offered = await discord.autocomplete("list", {"list": ""}, user=alice)
    assert {c["value"] for c in offered} == {"top10-sad-anime-moments", "our-ten"}
    assert await discord.autocomplete("entry", {"query": "1", "list": "their"}, user=alice, focused="list") == []
    moderators_offered = await discord.autocomplete("lists export", {"list": ""}, user=mod)
    assert [c["value"] for c in moderators_offered] == ["our-ten"]
    for command, options in (("list", {"list": "their-list"}), ("entry", {"query": "1", "list": "Their List"})):
        refused = await discord.slash(command, options, user=alice)
        assert refused.ephemeral and "I don't know a list called that" in refused.content
        assert "Their List" not in refused.content
    empty = await discord.slash("random", {"list": "our-ten"}, user=alice)
    assert empty.ephemeral and "has no entries yet" in empty.content


async def test_a_deleted_lists_buttons_say_so(discord, configured, mod, alice, bob, carol):
    await published_list(discord, mod, alice, bob, carol)
    entry = await discord.slash("entry", {"query": "Kanon", "list": "our-ten"}, user=alice)
    overview = await discord.slash("list", {"list": "our-ten"}, user=alice)

    asked = await discord.slash("lists delete", {"list": "our-ten"}, user=mod)
    assert asked.ephemeral and "Delete **Our Ten** and its 3 entries?" in asked.content
    kept = await discord.click(asked.message, buttons(asked.message)["Keep it"], user=mod)
    assert kept.content == "Kept **Our Ten**." and await configured.server_lists.find(discord.guild.id, "our-ten")
    asked = await discord.slash("lists delete", {"list": "our-ten"}, user=mod)
    deleted = await discord.click(asked.message, buttons(asked.message)["Delete it"], user=mod)
    assert deleted.content == "Deleted **Our Ten**." and not deleted.components

    for message, label in ((entry.message, "Reveal"), (entry.message, "◀ #2 · Toradora")):
        stale = await discord.click(message, buttons(message)[label], user=bob)
        assert stale.ephemeral and "belongs to an entry or list I no longer have" in stale.content
    menu = buttons(overview.message)["Open an entry…"]
    stale = await discord.select(overview.message, menu, ["nomination-3"], user=bob)
    assert stale.ephemeral and "no longer have" in stale.content
    gone = await discord.slash("entry", {"query": "1", "list": "our-ten"}, user=alice)
    assert gone.ephemeral and "I don't know a list called that" in gone.content


async def test_delete_it_pressed_twice_at_once_deletes_once_and_the_other_press_is_told(discord, configured, mod):
    await discord.slash("lists create", {"name": "Our Ten"}, user=mod)
    asked = await discord.slash("lists delete", {"list": "our-ten"}, user=mod)
    press = buttons(asked.message)["Delete it"]
    first, second = await asyncio.gather(*(discord.click(asked.message, press, user=mod) for _ in range(2)))
    answers = sorted(result.callback["data"]["content"] for result in (first, second))  # each press's own answer
    assert answers == ["Deleted **Our Ten**.", "That list no longer exists: nothing to do."]
    assert await configured.server_lists.names(discord.guild.id) == []


async def test_a_renamed_lists_buttons_keep_working_and_it_answers_to_its_new_name(
    discord, configured, mod, alice, bob, carol
):
    await published_list(discord, mod, alice, bob, carol)
    entry = await discord.slash("entry", {"query": "Kanon", "list": "our-ten"}, user=alice)
    overview = await discord.slash("list", {"list": "our-ten"}, user=alice)
    renamed = await discord.slash("lists rename", {"list": "our-ten", "name": "Tears Of Joy"}, user=mod)
    assert renamed.ephemeral and "Its id stays `our-ten`" in renamed.content

    revealed = await discord.click(entry.message, buttons(entry.message)["Reveal"], user=bob)
    assert revealed.ephemeral and revealed.embeds[0]["author"]["name"] == "Tears Of Joy"
    back = await discord.click(entry.message, buttons(entry.message)["◀ #2 · Toradora"], user=alice)
    assert back.embeds[0]["title"] == "#2 · Toradora" and back.embeds[0]["author"]["name"] == "Tears Of Joy"
    picked = await discord.select(overview.message, buttons(overview.message)["Open an entry…"], ["nomination-1"],
                                  user=bob)  # fmt: skip
    assert picked.ephemeral and picked.embeds[0]["title"] == "#2 · Toradora"
    by_name = await discord.slash("list", {"list": "Tears of Joy"}, user=bob)
    assert by_name.embeds[0]["title"] == "Tears Of Joy"
    offered = await discord.autocomplete("list", {"list": "tears"}, user=bob)
    assert [(c["name"], c["value"]) for c in offered] == [("Tears Of Joy", "our-ten")]


async def test_export_then_import_makes_the_same_list_and_a_broken_file_names_each_problem(
    discord, configured, mod, alice, bob, carol
):
    await published_list(discord, mod, alice, bob, carol)
    await discord.slash("lists export", {"list": "our-ten"}, user=mod)
    text = exported_file(discord).data.decode("utf-8")

    copy = yaml_upload("our-ten.yaml", text.replace("title: Our Ten", "title: Our Ten Again", 1))
    imported = await discord.slash("lists import", {"file": copy}, user=mod)
    message = await imported.final_message()
    assert message["flags"] & 64 and "Imported **Our Ten Again** (`our-ten-again`)" in message["content"]
    again = await discord.slash("entry", {"query": "1", "list": "our-ten-again"}, user=alice)
    assert again.embeds[0]["title"] == "#1 · Kanon" and "Nominated by" not in again.embeds[0]["description"]

    broken = text.replace("why_it_hits:", "why_it_hurts:", 1).replace("title: Our Ten", "title: Broken", 1)
    answer = await discord.slash("lists import", {"file": yaml_upload("b.yaml", broken)}, user=mod)
    refused = await answer.final_message()
    problems = shown(refused["content"])
    assert "nothing was changed" in problems
    assert "b.yaml: ranked[0] (Plastic Memories), key 'why_it_hurts': is not a known key" in problems
    assert "b.yaml: ranked[0] (Plastic Memories), key 'why_it_hits': is missing" in problems
    not_yaml = await discord.slash("lists import", {"file": yaml_upload("list.txt", text)}, user=mod)
    assert "ending in `.yaml`" in (await not_yaml.final_message())["content"]
    assert [name for _, name in await configured.server_lists.names(discord.guild.id)] == ["Our Ten", "Our Ten Again"]


async def test_no_spoiler_is_readable_without_a_click_anywhere_the_list_went(
    discord, configured, mod, alice, bob, carol
):
    await published_list(discord, mod, alice, bob, carol)
    our_list = (await configured.server_lists.get(discord.guild.id, "our-ten")).top_list()
    entry = await discord.slash("entry", {"query": "2", "list": "our-ten"}, user=alice)
    await discord.slash("list", {"list": "our-ten"}, user=bob)
    await discord.slash("honorable", {"list": "our-ten"}, user=bob)
    await discord.slash("random", {"list": "our-ten"}, user=bob)
    await discord.autocomplete("entry", {"list": "our-ten", "query": "to"}, user=bob)
    await discord.click(entry.message, buttons(entry.message)["▶ #1 · Kanon"], user=alice)
    await discord.slash("lists export", {"list": "our-ten"}, user=mod)
    revealed = await discord.click(entry.message, buttons(entry.message)["Reveal"], user=bob)
    assert MOMENTS["Kanon"] in shown(revealed.embeds[0]["description"])  # private, asked for

    reveal_answers = [r for r in discord.requests if _is_reveal(r.json)]
    assert len(reveal_answers) == 1
    assert sent_leaks([r for r in discord.requests if r not in reveal_answers], our_list) == []
    assert leaks(entry.message, our_list) == []


def _is_reveal(body: object) -> bool:
    data = body.get("data") if isinstance(body, dict) else None
    embeds = (data or {}).get("embeds") or [] if isinstance(data, dict) else []
    return any((embed.get("title") or "").endswith("(revealed)") for embed in embeds)


async def test_a_full_list_of_100_fits_discords_limits(discord, configured, mod, alice):
    await discord.slash("lists create", {"name": "Our Hundred"}, user=mod)
    long_text = "A very long and sad text " * 40  # 1,000 characters, the most an entry holds
    entries = tuple(
        ServerEntry(key=f"e{n}", show=f"Show number {n} with a long title", moment=f"Moment {n} " + "x" * 80,
                    summary=long_text[:1000], why_it_hits=long_text[:600], episode="e" * 60)
        for n in range(100)
    )  # fmt: skip
    await configured.server_lists.change_entries(discord.guild.id, "our-hundred", lambda _: entries, datetime.now(UTC))

    overview = await discord.slash("list", {"list": "our-hundred"}, user=alice)
    assert [e["title"] for e in overview.embeds] == ["Our Hundred", "Honorable mentions"]
    assert "65 more not shown here" in overview.embeds[1]["description"]
    assert [c["placeholder"] for row in overview.components for c in row["components"]] == ["Open an entry…"] * 2
    last = await discord.slash("entry", {"query": "Show number 99 with", "list": "our-hundred"}, user=alice)
    assert last.embeds[0]["title"] == "Honorable mention · Show number 99 with a long title"
    assert set(buttons(last.message)) == {"◀ Honorable mention · Show number 98 with a long title", "Reveal"}
    revealed = await discord.click(last.message, buttons(last.message)["Reveal"], user=alice)
    assert revealed.ephemeral  # the stand-in refuses any payload over Discord's limits
