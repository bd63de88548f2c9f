"""Rule breaking by a real discord.py bot is recorded as a violation and answered like Discord would."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest
from discord.http import Route

from standin import Callback, StandIn
from standin.tests.tiny_bot import TinyBot

pytestmark = [pytest.mark.asyncio, pytest.mark.filterwarnings("error")]
CALLBACK_ROUTE = "POST /interactions/{interaction_id}/{token}/callback"


async def test_over_long_embed_title_is_a_violation_answered_400(standin: StandIn, bot: TinyBot) -> None:
    result = await standin.slash("long", user=standin.user("alice"))

    assert result.type == Callback.CHANNEL_MESSAGE
    assert result.status == 400 and not result.accepted
    assert result.message is None  # nothing was shown
    assert standin.violations == [
        f"{CALLBACK_ROUTE}: data.embeds[0].title: length 300 exceeds 256 [BASE_TYPE_MAX_LENGTH]"
    ]
    with pytest.raises(AssertionError, match="embeds"):
        standin.assert_no_violations()


async def test_26_autocomplete_choices_are_a_violation(standin: StandIn, bot: TinyBot) -> None:
    choices = await standin.autocomplete("entry", {"query": "many"}, user=standin.user("alice"))

    assert len(choices) == 26  # what the bot tried to send
    assert standin.requests[-1].status == 400
    assert standin.violations == [
        f"{CALLBACK_ROUTE}: data.choices: 26 items exceed the maximum of 25 [BASE_TYPE_MAX_LENGTH]"
    ]


async def test_callback_after_three_seconds_is_late(standin: StandIn, bot: TinyBot) -> None:
    pending = asyncio.create_task(standin.slash("wait", user=standin.user("alice")))
    await bot.waiting.wait()
    standin.clock.advance(3.5)
    bot.release.set()
    result = await pending

    assert result.status == 404 and not result.accepted
    assert len(standin.violations) == 1 and "first callback came 3.5" in standin.violations[0]


async def test_token_used_after_fifteen_minutes(standin: StandIn, bot: TinyBot) -> None:
    result = await standin.slash("later", user=standin.user("alice"))
    assert result.type == Callback.DEFERRED_CHANNEL_MESSAGE and result.accepted
    await bot.waiting.wait()
    standin.clock.advance(16 * 60)
    bot.release.set()

    edit = await standin.wait_for_request("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert edit.status == 401
    assert "token used 16.0 min after the interaction" in standin.violations[0]


async def test_second_callback_is_already_acknowledged(standin: StandIn, bot: TinyBot) -> None:
    # discord.py refuses to answer twice itself, so replay its callback by hand
    result = await standin.slash("entry", {"query": "twice"}, user=standin.user("alice"))
    url = f"{standin.api_base}/interactions/{result.id}/{result.payload['token']}/callback"
    async with aiohttp.ClientSession() as session, session.post(url, json=result.callback) as response:
        assert response.status == 400
        assert await response.json() == {
            "code": 40060,
            "message": "Interaction has already been acknowledged.",
        }
    assert [attempt.status for attempt in result.attempts] == [200, 400]
    assert standin.violations == [
        f"{CALLBACK_ROUTE}: <body>: Interaction has already been acknowledged. [ALREADY_ACKNOWLEDGED]"
    ]


async def test_unknown_route_is_a_note_not_a_violation(standin: StandIn, bot: TinyBot) -> None:
    with pytest.raises(discord.NotFound):
        await bot.http.request(Route("GET", "/guilds/{guild_id}/bans", guild_id=standin.guild.id))
    assert standin.notes == [f"unknown route: GET /guilds/{standin.guild.id}/bans"]
    standin.assert_no_violations()


async def test_wrong_token_fails_login(standin: StandIn) -> None:
    tiny = TinyBot()
    with pytest.raises(discord.LoginFailure):
        await tiny.start("not-the-token")
    await tiny.close()
    assert [(r.path, r.status) for r in standin.requests] == [("/users/@me", 401)]


async def test_injecting_without_a_connected_bot_is_an_error(standin: StandIn) -> None:
    with pytest.raises(LookupError, match="no synced chat-input command"):
        await standin.slash("entry", {"query": "x"}, user=standin.user("alice"))
    with pytest.raises(RuntimeError, match="not connected"):
        await standin.inject({"id": "1", "token": "t", "type": 2})
