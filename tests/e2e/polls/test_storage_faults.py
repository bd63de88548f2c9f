"""A database that stops taking writes mid-poll: votes are refused honestly, lookups go on."""

from __future__ import annotations

import pytest

from tests.e2e.polling import start_poll, vote


@pytest.fixture
def engine() -> str:
    return "sqlite"  # the fault is faked with a pragma on SQLite's write connection


async def test_a_read_only_database_refuses_votes_kindly_and_keeps_serving_lookups(
    discord, configured, mod, alice, bob
):
    poll = await start_poll(discord, mod, "custom", question="Still saving?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    await configured.store.set_writer_pragma("PRAGMA query_only = ON")  # as if the file turned read-only

    refused = await vote(discord, poll, "2. No", bob)
    assert refused.ephemeral and refused.content.startswith("I couldn't save that just now")
    lookup = await discord.slash("entry", {"query": "3"}, user=bob)
    assert lookup.embeds[0]["title"] == "#3 · Assassination Classroom"

    await configured.store.set_writer_pragma("PRAGMA query_only = OFF")
    assert (await vote(discord, poll, "2. No", bob)).content == "Your vote: **2. No**."
    assert await configured.polls.counts(1) == ({0: 1, 1: 1}, 2)
