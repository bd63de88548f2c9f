"""Ranked ballot steps edit only the member's own private ballot; anywhere else they change nothing."""

from __future__ import annotations

import copy

from tests.e2e.polling import labels, start_poll
from tests.e2e.surfaces import sent_leaks

FOREIGN = "only works on the private message it was made for, so I changed nothing"


async def private_ballot(discord, poll, user):
    """The member presses Vote on the public poll and picks option 1: their private ballot."""
    started = await discord.click(poll, labels(poll)["Vote"], user=user)
    assert started.ephemeral
    ballot = started.message
    picked = await discord.select(ballot, labels(ballot)["Your choice number 1…"], ["0"], user=user)
    assert picked.content.startswith("Your ranking so far:")
    return discord.get_message(ballot["id"])


async def test_a_ballot_step_on_another_message_changes_nothing(discord, configured, mod, alice, bob, top_list):
    poll = await start_poll(discord, mod, "custom", question="Rank?", options="a; b; c", mode="ranked")
    ballot = await private_ballot(discord, poll, alice)
    cast = labels(ballot)["Cast my ballot"]

    # Copied onto the public poll message (as a modified client could send it).
    public = copy.deepcopy(discord.get_message(poll["id"]))
    public["components"][0]["components"][0]["custom_id"] = cast
    discord.world.messages[int(public["id"])] = public
    on_public = await discord.click(public, cast, user=alice)
    assert on_public.ephemeral and FOREIGN in on_public.content

    # Someone else's private ballot (Discord never shows it to them; a forged click could).
    on_hers = await discord.click(ballot, cast, user=bob)
    assert on_hers.ephemeral and FOREIGN in on_hers.content
    pick = labels(ballot)["Your choice number 2…"]
    picked_by_bob = await discord.select(ballot, pick, ["1"], user=bob)
    assert picked_by_bob.ephemeral and FOREIGN in picked_by_bob.content

    assert discord.get_message(ballot["id"])["content"] == ballot["content"]
    assert await configured.polls.ballot_of(1, alice.id) == () and await configured.polls.ballot_of(1, bob.id) == ()

    mine = await discord.click(ballot, cast, user=alice)  # on her own ballot it still works
    assert mine.content == "Your vote: **1. a**."
    assert await configured.polls.ballot_of(1, alice.id) == (0,)
    assert sent_leaks(discord.requests, top_list) == []
