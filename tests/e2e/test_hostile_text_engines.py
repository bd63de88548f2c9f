"""Member text that one engine stores and the other cannot (U+0000: SQLite keeps it, PostgreSQL's
text refuses it) through every nomination and poll input, on both engines: a calm answer each time."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.e2e.test_hostile_input import test_nominations_and_polls_stay_calm as nominations_and_polls_stay_calm

pytestmark = pytest.mark.asyncio


@pytest.fixture
def settings(settings, database_url):
    return replace(settings, database=database_url)


async def test_a_nul_in_nominations_and_polls_stays_calm_on_both_engines(discord, namida, alice):
    await nominations_and_polls_stay_calm(discord, namida, alice, "nul\x00inside")
