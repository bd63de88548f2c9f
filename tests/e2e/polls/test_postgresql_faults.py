"""PostgreSQL stops taking writes mid-poll (the database turned read-only, every connection dropped
by an administrator): votes are refused honestly, lookups go on, and once the server takes writes
again votes are saved without a restart of Namida."""

from __future__ import annotations

import asyncpg
import pytest

from tests.e2e.polling import start_poll, vote


@pytest.fixture
def engine() -> str:
    return "postgresql"


async def drop_every_connection(url: str, read_only: bool) -> None:
    """As an administrator would: the database's default changes, and every session is ended."""
    admin = await asyncpg.connect(url, server_settings={"default_transaction_read_only": "off"})
    try:
        name = await admin.fetchval("SELECT current_database()")
        setting = "SET default_transaction_read_only = on" if read_only else "RESET default_transaction_read_only"
        await admin.execute(f"ALTER DATABASE {name} {setting}")
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
    finally:
        await admin.close()


async def test_a_read_only_postgresql_refuses_votes_kindly_and_recovers_without_a_restart(
    discord, configured, settings, mod, alice, bob
):
    poll = await start_poll(discord, mod, "custom", question="Still saving?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    await drop_every_connection(str(settings.database), read_only=True)
    try:
        refused = await vote(discord, poll, "2. No", bob)
        assert refused.ephemeral and refused.content.startswith("I couldn't save that just now")
        lookup = await discord.slash("entry", {"query": "3"}, user=bob)
        assert lookup.embeds[0]["title"] == "#3 · Assassination Classroom"
    finally:
        await drop_every_connection(str(settings.database), read_only=False)

    assert (await vote(discord, poll, "2. No", bob)).content == "Your vote: **2. No**."
    assert await configured.polls.counts(1) == ({0: 1, 1: 1}, 2)
