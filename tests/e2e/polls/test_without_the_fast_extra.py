"""Installed without the ``fast`` extra (no pyreqwest), Namida answers votes through aiohttp, once each."""

from __future__ import annotations

import logging
import sys

import pytest

from tests.e2e.polling import start_poll, vote


@pytest.fixture
def settings(settings, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "pyreqwest", None)  # what an install without the extra looks like
    caplog.set_level(logging.INFO, logger="bot.answers")  # Namida says at start-up which client it uses
    return settings


async def test_votes_are_answered_directly_through_aiohttp_without_pyreqwest(discord, configured, mod, alice, caplog):
    started = [record.getMessage() for record in caplog.get_records("setup")]
    assert "Votes are answered through aiohttp" in started

    poll = await start_poll(discord, mod, "custom", question="Plain?", options="Yes; No")
    since = len(discord.requests)
    first = await vote(discord, poll, "1. Yes", alice)
    changed = await vote(discord, poll, "2. No", alice)
    assert (first.content, changed.content) == ("Your vote: **1. Yes**.", "Your vote: **2. No**.")
    callbacks = [r for r in discord.requests[since:] if r.path.endswith("/callback")]
    assert [(r.status, r.query) for r in callbacks] == [(204, {}), (204, {})]  # one direct answer per click
