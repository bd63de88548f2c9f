"""The direct answer path refuses text Discord would refuse, before anything is sent."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.answers import DirectAnswers
from bot.domain import limits


class Unanswered:
    def is_done(self) -> bool:
        return False


def interaction():
    return SimpleNamespace(id=1, token="t", response=Unanswered())


@pytest.mark.parametrize(
    "text", ["", "   ", "x" * (limits.MESSAGE_CONTENT + 1), "😢" * (limits.MESSAGE_CONTENT // 2 + 1)]
)
async def test_text_discord_would_refuse_is_never_sent(text):
    answers = DirectAnswers()
    with pytest.raises(ValueError, match="1 to 2000 characters"):
        await answers.send_text(interaction(), text)


async def test_before_start_it_leaves_the_answer_to_discord_py():
    assert await DirectAnswers().send_text(interaction(), "Your vote: **1. Yes**.") is False
