"""The gateway websocket, spoken to directly: framing, handshake, heartbeats, resume, refusals."""

from __future__ import annotations

import json
import zlib
from typing import Any

import aiohttp
import pytest

from standin import StandIn

pytestmark = [pytest.mark.asyncio, pytest.mark.filterwarnings("error")]
SYNC_FLUSH = b"\x00\x00\xff\xff"


class Client:
    """A minimal gateway client that decodes frames the way discord.py does."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.inflater = zlib.decompressobj()  # one context for the whole connection
        self.frames: list[aiohttp.WSMsgType] = []

    async def receive(self) -> dict[str, Any]:
        message = await self.ws.receive(timeout=5)
        self.frames.append(message.type)
        if message.type is aiohttp.WSMsgType.BINARY:
            assert message.data.endswith(SYNC_FLUSH), "each zlib-stream message must end with Z_SYNC_FLUSH"
            return json.loads(self.inflater.decompress(message.data))
        assert message.type is aiohttp.WSMsgType.TEXT, message
        return json.loads(message.data)

    async def send(self, op: int, data: Any) -> None:
        await self.ws.send_str(json.dumps({"op": op, "d": data}))


async def connect(session: aiohttp.ClientSession, standin: StandIn, query: str) -> Client:
    return Client(await session.ws_connect(f"{standin.gateway_url}?{query}"))


async def identify(client: Client, token: str) -> list[dict[str, Any]]:
    await client.send(2, {"token": token, "intents": 513, "properties": {"os": "linux"}})
    return [await client.receive(), await client.receive()]


async def test_zlib_stream_handshake(standin: StandIn) -> None:
    async with aiohttp.ClientSession() as session:
        client = await connect(session, standin, "v=10&encoding=json&compress=zlib-stream")
        hello = await client.receive()
        assert hello["op"] == 10 and hello["d"]["heartbeat_interval"] > 0

        await client.send(1, None)
        assert (await client.receive())["op"] == 11

        ready, guild_create = await identify(client, standin.token)
        assert (ready["t"], ready["s"]) == ("READY", 1)
        assert ready["d"]["guilds"] == [{"id": str(standin.guild.id), "unavailable": True}]
        assert ready["d"]["resume_gateway_url"] == standin.gateway_url
        assert ready["d"]["application"]["id"] == str(standin.application_id)
        assert (guild_create["t"], guild_create["s"]) == ("GUILD_CREATE", 2)
        everyone = guild_create["d"]["roles"][0]
        assert everyone["id"] == str(standin.guild.id) and everyone["name"] == "@everyone"
        assert guild_create["d"]["channels"][0]["type"] == 0
        assert set(client.frames) == {aiohttp.WSMsgType.BINARY}

        await standin.wait_until_ready(timeout=1)
        await standin.gateway.dispatch("TYPING_START", {"channel_id": "1"})
        assert (await client.receive())["s"] == 3
        await client.ws.close()


async def test_uncompressed_connection_gets_text_frames(standin: StandIn) -> None:
    async with aiohttp.ClientSession() as session:
        client = await connect(session, standin, "v=10&encoding=json")
        assert (await client.receive())["op"] == 10
        await identify(client, standin.token)
        assert set(client.frames) == {aiohttp.WSMsgType.TEXT}
        await client.ws.close()


async def test_resume_known_and_unknown_sessions(standin: StandIn) -> None:
    async with aiohttp.ClientSession() as session:
        first = await connect(session, standin, "v=10&encoding=json")
        await first.receive()
        ready, _ = await identify(first, standin.token)
        await first.ws.close()

        again = await connect(session, standin, "v=10&encoding=json")
        await again.receive()
        await again.send(6, {"token": standin.token, "session_id": ready["d"]["session_id"], "seq": 2})
        resumed = await again.receive()
        assert (resumed["t"], resumed["s"]) == ("RESUMED", 3)
        await again.ws.close()

        stranger = await connect(session, standin, "v=10&encoding=json")
        await stranger.receive()
        await stranger.send(6, {"token": standin.token, "session_id": "nope", "seq": 1})
        assert await stranger.receive() == {"op": 9, "d": False, "s": None, "t": None}
        await stranger.ws.close()


async def test_wrong_token_closes_4004_and_ready_fails_fast(standin: StandIn) -> None:
    async with aiohttp.ClientSession() as session:
        client = await connect(session, standin, "v=10&encoding=json")
        await client.receive()
        await client.send(2, {"token": "wrong"})
        closing = await client.ws.receive(timeout=5)
        assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 4004
    with pytest.raises(RuntimeError, match="wrong token"):
        await standin.wait_until_ready(timeout=1)


async def test_zstd_stream_is_refused_with_a_reason(standin: StandIn) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(f"{standin.gateway_url}?v=10&encoding=json&compress=zstd-stream")
        closing = await ws.receive(timeout=5)
        assert closing.type is aiohttp.WSMsgType.CLOSE and "zlib-stream" in closing.extra
    assert "zstd-stream" in standin.notes[0]
