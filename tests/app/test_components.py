"""Namida routes its own components: by full custom_id match, only to items whose errors reach
the member, and never through discord.py's view store (which would answer a click twice)."""

from __future__ import annotations

import discord
import pytest

from bot.components import ComponentRouter, Components
from cogs.polls.views import DYNAMIC_ITEMS as POLL_ITEMS
from cogs.polls.views import MyVoteButton, VoteButton


def test_a_custom_id_reaches_the_item_its_template_names_in_full():
    router = ComponentRouter()
    router.add(*POLL_ITEMS)
    item, match = router.route("poll:12:v:3")
    assert item is VoteButton and (match["poll_id"], match["index"]) == ("12", "3")
    assert router.route("poll:12:mine")[0] is MyVoteButton
    assert router.route("poll:12:v:3:extra") is None
    assert router.route("xpoll:12:v:3") is None


def test_an_item_that_would_fail_silently_is_refused():
    class Silent(discord.ui.DynamicItem[discord.ui.Button], template=r"silent:(?P<id>\d+)"):
        pass

    with pytest.raises(TypeError, match="FunnelledItem"):
        ComponentRouter().add(Silent)


async def test_laid_out_components_are_never_tracked_by_discord_py():
    view = Components()
    view.add_item(VoteButton(1, 0, "Yes"))
    assert view.is_finished()  # discord.py stores (and dispatches) only unfinished views
    assert [c["custom_id"] for row in view.to_components() for c in row["components"]] == ["poll:1:v:0"]
