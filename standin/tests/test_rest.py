"""The REST side spoken to directly: auth, Discord-shaped errors, multipart bodies, the fault hook."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from standin import StandIn

pytestmark = [pytest.mark.asyncio, pytest.mark.filterwarnings("error")]


@pytest_asyncio.fixture
async def http(standin: StandIn) -> AsyncIterator[aiohttp.ClientSession]:
    headers = {"Authorization": f"Bot {standin.token}"}
    async with aiohttp.ClientSession(base_url=standin.api_base + "/", headers=headers) as session:
        yield session


async def call(http: aiohttp.ClientSession, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
    async with http.request(method, path.lstrip("/"), **kwargs) as response:
        if response.status == 204:
            return 204, None
        # discord.py only parses JSON when the header is exactly this
        assert response.headers["Content-Type"] == "application/json"
        return response.status, await response.json()


async def test_bot_token_is_required(standin: StandIn, http: aiohttp.ClientSession) -> None:
    assert (await call(http, "GET", "/users/@me"))[0] == 200
    assert (await call(http, "GET", "/users/@me", headers={"Authorization": "Bot wrong"}))[0] == 401
    gateway = (await call(http, "GET", "/gateway/bot"))[1]
    assert gateway["url"] == standin.gateway_url and gateway["shards"] == 1


async def test_invalid_message_gets_discords_error_shape(standin: StandIn, http: aiohttp.ClientSession) -> None:
    path = f"/channels/{standin.channel.id}/messages"
    status, body = await call(http, "POST", path, json={"content": "😢" * 1001})  # 2002 UTF-16 units
    assert status == 400 and body["code"] == 50035 and body["message"] == "Invalid Form Body"
    assert body["errors"]["content"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"

    assert await call(http, "POST", path, json={"content": "  "}) == (
        400,
        {"code": 50006, "message": "Cannot send an empty message"},
    )
    assert (await call(http, "POST", "/channels/1/messages", json={"content": "hi"}))[1]["code"] == 10003
    assert (await call(http, "GET", f"{path}/1"))[1]["code"] == 10008
    assert len(standin.violations) == 2 and standin.violations[0].startswith(
        "POST /channels/{channel_id}/messages: content: length 2002 exceeds 2000"
    )


async def test_message_lifecycle_and_multipart(standin: StandIn, http: aiohttp.ClientSession) -> None:
    form = aiohttp.FormData(quote_fields=False)
    form.add_field(
        "payload_json",
        json.dumps({"content": "with file", "attachments": [{"id": 0, "filename": "a.txt"}]}),
        content_type="application/json",
    )
    form.add_field("files[0]", b"abc", filename="a.txt", content_type="text/plain")
    status, message = await call(http, "POST", f"/channels/{standin.channel.id}/messages", data=form)
    assert status == 200 and message["attachments"][0]["size"] == 3
    assert standin.requests[-1].json["content"] == "with file"
    assert standin.requests[-1].files[0].data == b"abc"

    path = f"/channels/{standin.channel.id}/messages/{message['id']}"
    status, edited = await call(http, "PATCH", path, json={"content": "", "attachments": []})
    assert (status, edited["code"]) == (400, 50006)  # nothing left to show
    status, edited = await call(http, "PATCH", path, json={"embeds": [{"title": "t"}]})
    assert status == 200 and edited["content"] == "with file" and edited["embeds"][0]["type"] == "rich"
    assert await call(http, "DELETE", path) == (204, None)
    assert standin.messages_in() == []


async def test_command_sync_is_validated_and_counted(standin: StandIn, http: aiohttp.ClientSession) -> None:
    path = f"/applications/{standin.application_id}/guilds/{standin.guild.id}/commands"
    bad = [{"name": "Entry", "description": "x", "type": 1}]
    status, body = await call(http, "PUT", path, json=bad)
    assert status == 400 and "0" in body["errors"]
    assert standin.sync_counts == {} and standin.commands(standin.guild) == []

    good = [{"name": "entry", "description": "Show one", "options": [], "default_member_permissions": 32}]
    status, stored = await call(http, "PUT", path, json=good)
    _, stored_again = await call(http, "PUT", path, json=good)
    assert stored[0]["id"] == stored_again[0]["id"] and stored[0]["guild_id"] == str(standin.guild.id)
    assert stored[0]["default_member_permissions"] == "32"
    assert standin.sync_counts == {standin.guild.id: 2}
    assert (await call(http, "PUT", f"/applications/{standin.application_id}/guilds/1/commands", json=good))[0] == 403


async def test_interaction_routes_need_a_known_interaction(standin: StandIn, http: aiohttp.ClientSession) -> None:
    status, body = await call(http, "POST", "/interactions/1/token/callback", json={"type": 4})
    assert (status, body["code"]) == (404, 10062)
    status, body = await call(http, "POST", f"/webhooks/{standin.application_id}/token", json={"content": "x"})
    assert (status, body["code"]) == (404, 10015)
    assert standin.violations == []


async def test_fault_hook_can_replace_any_response(standin: StandIn, http: aiohttp.ClientSession) -> None:
    async def unavailable(request: web.Request) -> web.Response | None:
        return web.json_response({"message": "down"}, status=503) if request.path.endswith("/@me") else None

    standin.faults.rest.append(unavailable)
    async with http.get("users/@me") as response:
        assert response.status == 503
    assert standin.requests[-1].status == 503
    assert (await call(http, "GET", "/gateway"))[0] == 200
