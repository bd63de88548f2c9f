"""A member's text may carry U+0000, which PostgreSQL's text cannot hold: on both engines the poll
is posted and voted on (the invisible character dropped on PostgreSQL), never an error."""

from __future__ import annotations

import pytest

from tests.e2e.polling import labels, start_poll, vote
from tests.e2e.polls.test_lifecycle import poll_id_of

pytestmark = pytest.mark.asyncio


def visible(text: str) -> str:
    return text.replace("\x00", "")


async def test_a_nul_in_a_question_and_its_options_is_stored_and_voted_on(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Sad\x00dest?", options="Ye\x00s; No")
    assert visible(poll["embeds"][0]["title"]) == "Saddest?"
    yes = next(label for label in labels(poll) if visible(label) == "1. Yes")
    voted = await vote(discord, poll, yes, alice)
    assert "wrong on my side" not in voted.all_text() and "1. Ye" in voted.all_text()
    assert visible((await configured.polls.poll(poll_id_of(poll))).question) == "Saddest?"
