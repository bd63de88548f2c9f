"""Gateway faults and moderators' deletions: a dropped connection is RESUMEd with what was missed,
an outage holds RESUME back, op 9 forces a new IDENTIFY, deletions reach REST and the gateway."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from standin import StandIn
from standin.tests.tiny_bot import TinyBot

pytestmark = [pytest.mark.asyncio, pytest.mark.filterwarnings("error")]


async def entry(standin: StandIn, query: str = "Anohana", timeout: float = 5.0):  # noqa: ASYNC109
    result = await standin.slash("entry", {"query": query}, user=standin.user("reader"), timeout=timeout)
    assert result.embeds[0]["title"] == f"Entry: {query}"
    return result


async def test_a_dropped_connection_is_resumed_not_reidentified(standin: StandIn, bot: TinyBot) -> None:
    assert await standin.gateway.drop_connection() == 1
    assert not standin.gateway.ready
    await standin.wait_until_ready()
    await entry(standin)
    assert len(standin.gateway.identifies) == 1 and len(standin.gateway.resumes) == 1
    assert standin.gateway.resumes[0]["session_id"] == bot.ws.session_id


async def test_what_happens_during_an_outage_is_replayed_after_resume(standin: StandIn, bot: TinyBot) -> None:
    async with standin.gateway.outage(longest=5):
        clicked = asyncio.create_task(entry(standin, "Made in Abyss"))  # dispatched while disconnected
        await asyncio.sleep(0.3)
        assert not clicked.done() and not standin.gateway.ready
    answered = await clicked
    assert answered.accepted and standin.gateway.replayed == 1
    assert len(standin.gateway.identifies) == 1 and len(standin.gateway.resumes) == 1


async def test_an_outage_ends_by_itself(standin: StandIn, bot: TinyBot) -> None:
    with pytest.raises(ValueError, match="at most 30"):
        async with standin.gateway.outage(longest=60):
            pass
    async with standin.gateway.outage(longest=0.3):
        await standin.wait_until_ready(timeout=3)  # the held RESUME was let through after 0.3 s
    await entry(standin)


async def test_a_resumable_invalid_session_resumes(standin: StandIn, bot: TinyBot) -> None:
    assert await standin.gateway.invalidate_session(resumable=True) == 1
    await standin.wait_until_ready()
    await entry(standin)
    assert len(standin.gateway.identifies) == 1 and len(standin.gateway.resumes) == 1


async def test_an_invalidated_session_cannot_resume(standin: StandIn) -> None:
    """Spoken directly (discord.py waits 5 s before it IDENTIFYs again; the Namida e2e test pays that)."""
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(f"{standin.gateway_url}?v=10&encoding=json")
        await ws.receive_json(timeout=5)  # HELLO
        await ws.send_str(json.dumps({"op": 2, "d": {"token": standin.token, "intents": 1}}))
        ready = await ws.receive_json(timeout=5)
        await ws.receive_json(timeout=5)  # GUILD_CREATE
        await standin.wait_until_ready(timeout=1)
        assert await standin.gateway.invalidate_session() == 1
        assert await ws.receive_json(timeout=5) == {"op": 9, "d": False, "s": None, "t": None}
        await ws.close()

        again = await session.ws_connect(f"{standin.gateway_url}?v=10&encoding=json")
        await again.receive_json(timeout=5)
        resume = {"token": standin.token, "session_id": ready["d"]["session_id"], "seq": 2}
        await again.send_str(json.dumps({"op": 6, "d": resume}))
        assert (await again.receive_json(timeout=5))["op"] == 9
        await again.close()


async def test_a_deleted_message_is_gone_for_rest_and_announced(standin: StandIn, bot: TinyBot) -> None:
    await standin.slash("post", user=standin.user("poster"))
    posted = standin.messages_in()[0]
    deleted = asyncio.create_task(bot.wait_for("raw_message_delete", timeout=5))
    await asyncio.sleep(0)
    await standin.delete_message(posted["id"])
    event = await deleted
    assert (event.message_id, event.channel_id) == (int(posted["id"]), standin.channel.id)
    assert standin.get_message(posted["id"]) is None
    with pytest.raises(LookupError):
        await standin.delete_message(posted["id"])

    message = bot.get_partial_messageable(standin.channel.id).get_partial_message(int(posted["id"]))
    with pytest.raises(Exception, match="10008"):
        await message.edit(content="too late")


async def test_a_deleted_channel_is_gone_for_rest_cache_and_gateway(standin: StandIn, bot: TinyBot) -> None:
    channel = standin.channel
    await standin.slash("post", user=standin.user("poster"), channel=channel.id)
    deleted = asyncio.create_task(bot.wait_for("guild_channel_delete", timeout=5))
    await asyncio.sleep(0)
    await standin.delete_channel(channel)
    assert (await deleted).id == channel.id and bot.get_channel(channel.id) is None
    assert standin.messages_in(channel.id) == [] and channel not in standin.guild.channels
    with pytest.raises(Exception, match="10003"):
        await bot.get_partial_messageable(channel.id).send("anyone there?")
    assert standin.guild.create_payload(standin.bot_user)["channels"] == []  # a new IDENTIFY won't list it
    with pytest.raises(LookupError):
        await standin.delete_channel(channel)
