"""Every /lists refusal answers privately, in words a moderator can act on, and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.server_lists import MAX_ENTRIES, ServerEntry
from standin import UploadedFile
from tests.e2e.listing import approved_nominations, closed_poll, poll_id_of
from tests.e2e.nominating import approve, nominate
from tests.e2e.polling import labels, start_poll, vote
from tests.e2e.surfaces import shown

LIST = "our-ten"


async def entries_of(namida, discord, list_id: str = LIST) -> list[str]:
    return [e.show for e in (await namida.server_lists.get(discord.guild.id, list_id)).entries]


@pytest.fixture
async def our_ten(discord, configured, mod):
    created = await discord.slash("lists create", {"name": "Our Ten"}, user=mod)
    assert created.ephemeral and f"(`{LIST}`)" in created.content
    return configured


async def refused(discord, mod, command: str, options: dict, words: str) -> str:
    result = await discord.slash(command, options, user=mod)
    assert result.ephemeral, result.content
    assert words in shown(result.content), result.content
    return result.content


async def test_an_unapproved_nomination_is_refused(discord, our_ten, mod, alice):
    await nominate(discord, alice, "Toradora", moment="Ryuji and Taiga on the stairs", fmt="tv")
    await refused(discord, mod, "lists add", {"list": LIST, "nomination": 1},
                  "**Nomination #1** isn't approved (pending)")  # fmt: skip
    await refused(discord, mod, "lists add", {"list": LIST, "nomination": 7},
                  "Nomination #7 doesn't exist in this server")  # fmt: skip
    assert await entries_of(our_ten, discord) == []


async def test_the_same_nomination_or_show_twice_is_refused(discord, our_ten, mod, alice, bob):
    await nominate(discord, bob, "Toradora", moment="Taiga's confession", fmt="tv")
    await approved_nominations(discord, mod, {"Toradora": alice})  # approves bob's, the oldest
    _, done = await approve(discord, (await discord.slash("nominations review", user=mod)).message, mod)
    assert "**Nomination #2 · Toradora** was approved" in done.content  # another Toradora moment
    added = await discord.slash("lists add", {"list": LIST, "nomination": 1}, user=mod)
    assert "Added **#1 · Toradora**" in shown(added.content)
    await refused(discord, mod, "lists add", {"list": LIST, "nomination": 1},
                  "That nomination is already on **Our Ten**")  # fmt: skip
    await refused(discord, mod, "lists add", {"list": LIST, "nomination": 2}, "**Toradora** is already on **Our Ten**")
    assert await entries_of(our_ten, discord) == ["Toradora"]


async def test_a_poll_ranking_two_nominations_of_one_show_is_refused(discord, our_ten, mod, alice, bob):
    await nominate(discord, bob, "Toradora", moment="Taiga's confession", fmt="tv")
    await approved_nominations(discord, mod, {"Toradora": alice})  # approves bob's, the oldest
    _, done = await approve(discord, (await discord.slash("nominations review", user=mod)).message, mod)
    assert "was approved" in done.content, done.content
    poll_id = await closed_poll(discord, mod, [(alice, "Toradora")], count=2)
    words = f"**Poll #{poll_id}** ranks two nominations of **Toradora**, and a list has one entry per show"
    await refused(discord, mod, "lists publish", {"poll": poll_id, "list": LIST}, words)
    assert await entries_of(our_ten, discord) == []


async def test_a_rank_out_of_range_is_refused(discord, our_ten, mod, alice, bob):
    await approved_nominations(discord, mod, {"Toradora": alice, "Kanon": bob})
    await discord.slash("lists add", {"list": LIST, "nomination": 1}, user=mod)
    await refused(discord, mod, "lists add", {"list": LIST, "nomination": 2, "rank": 3},
                  "no place 3 on **Our Ten**: pick 1 to 2")  # fmt: skip
    await refused(discord, mod, "lists remove", {"list": LIST, "rank": 2}, "no place 2 on **Our Ten**: pick 1 to 1")
    await refused(discord, mod, "lists move", {"list": LIST, "rank": 1, "to": 4}, "pick 1 to 1")
    assert await entries_of(our_ten, discord) == ["Toradora"]
    added = await discord.slash("lists add", {"list": LIST, "nomination": 2, "rank": 1}, user=mod)
    assert "Added **#1 · Kanon**" in shown(added.content)
    moved = await discord.slash("lists move", {"list": LIST, "rank": 2, "to": 1}, user=mod)
    assert "Moved it to **#1 · Toradora**" in shown(moved.content)
    removed = await discord.slash("lists remove", {"list": LIST, "rank": 2}, user=mod)
    assert "Removed **#2 · Kanon**" in shown(removed.content)
    assert await entries_of(our_ten, discord) == ["Toradora"]


async def test_a_poll_still_open_or_not_on_nominations_is_refused(discord, our_ten, mod, alice, bob):
    await approved_nominations(discord, mod, {"Toradora": alice, "Kanon": bob})
    open_poll = await start_poll(discord, mod, "nominations", count=2)
    await vote(discord, open_poll, next(label for label in labels(open_poll) if label.startswith("1.")), alice)
    await refused(discord, mod, "lists publish", {"poll": poll_id_of(open_poll), "list": LIST}, "is still open")
    custom = await start_poll(discord, mod, "custom", question="Tea or coffee?", options="Tea; Coffee")
    await (await discord.slash("poll close", {"poll": poll_id_of(custom)}, user=mod)).final_message()
    await refused(discord, mod, "lists publish", {"poll": poll_id_of(custom), "list": LIST},
                  "isn't a poll on nominations")  # fmt: skip
    await refused(discord, mod, "lists publish", {"poll": 999, "list": LIST}, "I don't know that poll in this server")
    assert await entries_of(our_ten, discord) == []
    # The poll menu offers neither: one is open, the other isn't on nominations.
    assert await discord.autocomplete("lists publish", {"poll": "", "list": LIST}, user=mod, focused="poll") == []
    voted = await closed_poll(discord, mod, [(alice, "Kanon")], count=2)
    offered = await discord.autocomplete("lists publish", {"poll": "", "list": LIST}, user=mod, focused="poll")
    assert [c["value"] for c in offered] == [voted] and offered[0]["name"].startswith(f"Poll #{voted} · ")


async def test_a_poll_closed_without_ballots_and_an_unapproved_option_are_refused(discord, our_ten, mod, alice, bob):
    await approved_nominations(discord, mod, {"Toradora": alice, "Kanon": bob})
    empty = await closed_poll(discord, mod, [], count=2)
    await refused(discord, mod, "lists publish", {"poll": empty, "list": LIST}, "closed without a single ballot")
    voted = await closed_poll(discord, mod, [(alice, "Kanon")], count=2)
    await discord.slash("nominations withdraw", {"id": 2}, user=bob)  # gone since the poll
    await refused(discord, mod, "lists publish", {"poll": voted, "list": LIST},
                  "**Nomination #2** isn't approved (withdrawn)")  # fmt: skip
    assert await entries_of(our_ten, discord) == []


@pytest.mark.parametrize(
    ("name", "words"), [("x" * 61, "1 to 60 characters (that one has 61)"), ("***", "can't be empty")]
)
async def test_a_name_of_the_wrong_length_is_refused(discord, configured, mod, name, words):
    await refused(discord, mod, "lists create", {"name": name}, words)
    assert await configured.server_lists.names(discord.guild.id) == []


async def test_a_name_taken_here_or_by_a_shipped_list_is_refused(discord, our_ten, mod):
    await refused(discord, mod, "lists create", {"name": "our ten!"}, "already has a list called that")
    await refused(discord, mod, "lists create", {"name": 'Top 10 "Sad" Anime Moments'},
                  "belongs to a list Namida ships")  # fmt: skip
    await discord.slash("lists create", {"name": "Second"}, user=mod)
    await refused(discord, mod, "lists rename", {"list": "second", "name": "Our Ten"}, "already has a list called that")
    renamed = await discord.slash("lists rename", {"list": "second", "name": "Tears Of Joy"}, user=mod)
    assert "Renamed it **Tears Of Joy**. Its id stays `second`" in shown(renamed.content)
    # The kept id still belongs to it, and the new name is taken: both refused, nothing created.
    await refused(discord, mod, "lists create", {"name": "Second"}, "(**Tears Of Joy**, id `second`)")
    await refused(discord, mod, "lists create", {"name": "Tears of joy"}, "already has a list called that")
    await refused(discord, mod, "lists rename", {"list": LIST, "name": "tears-of-joy"}, "already has a list called")
    assert await our_ten.server_lists.names(discord.guild.id) == [(LIST, "Our Ten"), ("second", "Tears Of Joy")]


async def test_a_server_has_at_most_25_lists(discord, configured, mod):
    for n in range(25):
        await discord.slash("lists create", {"name": f"List {n}"}, user=mod)
    await refused(discord, mod, "lists create", {"name": "One Too Many"}, "already has 25 lists")
    assert len(await configured.server_lists.names(discord.guild.id)) == 25


async def test_a_list_holds_at_most_100_entries(discord, our_ten, mod, alice):
    filler = tuple(
        ServerEntry(key=f"e{n}", show=f"Show {n}", moment=f"Moment {n}", summary="S.", why_it_hits="W.")
        for n in range(MAX_ENTRIES)
    )
    await our_ten.server_lists.change_entries(discord.guild.id, LIST, lambda _: filler, datetime.now(UTC))
    await approved_nominations(discord, mod, {"Toradora": alice})
    await refused(discord, mod, "lists add", {"list": LIST, "nomination": 1}, "already has 100 entries")
    assert len(await entries_of(our_ten, discord)) == MAX_ENTRIES


async def test_members_are_refused_at_run_time_even_when_the_command_is_opened(discord, our_ten, alice):
    discord.world.opened_commands.add("lists")  # a server opened /lists to everyone under Integrations
    result = await discord.slash("lists create", {"name": "Mine"}, user=alice)
    assert result.ephemeral and "Only moderators can do that" in result.content
    assert [list_id for list_id, _ in await our_ten.server_lists.names(discord.guild.id)] == [LIST]


async def test_an_unknown_list_is_refused_and_a_name_works_like_the_id(discord, configured, mod):
    await refused(discord, mod, "lists export", {"list": "our-ten"}, "This server has no lists of its own yet")
    await discord.slash("lists create", {"name": "Our Ten"}, user=mod)
    await refused(discord, mod, "lists export", {"list": "nope"}, "Lists I have: `Our Ten`")
    await refused(discord, mod, "lists export", {"list": "our ten"}, "**Our Ten** has no entries yet")



@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"title: Big\n" + b"#" * 600_000, "That file is 600,011 bytes; a list file is at most 524,288."),
        ("title: Caf\u00e9\n".encode("latin-1"), "That file isn't UTF-8 text, so it can't be a list file."),
    ],
)
async def test_an_upload_too_big_or_not_utf8_is_refused(discord, configured, mod, data, words):
    upload = UploadedFile("files[0]", "ours.yaml", "application/x-yaml", data)
    answer = await (await discord.slash("lists import", {"file": upload}, user=mod)).final_message()
    assert answer["flags"] & 64 and answer["content"] == words
    assert await configured.server_lists.names(discord.guild.id) == []
