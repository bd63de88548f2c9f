"""Bot-token REST routes: login, application info, command sync, channels and messages."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .check_commands import check_command_list
from .check_message import check_edit, check_new_message
from .http_api import API_PREFIX, BODY, FILES, WORLD, error_reply, json_reply, reject

UNKNOWN_CHANNEL = 10003
UNKNOWN_MESSAGE = 10008
UNKNOWN_APPLICATION = 10002
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013
CANNOT_DM = 50007
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11


def add_rest_routes(router: web.UrlDispatcher) -> None:
    routes = [
        ("GET", "/gateway", get_gateway),
        ("GET", "/gateway/bot", get_gateway_bot),
        ("GET", "/users/@me", get_current_user),
        ("GET", "/applications/@me", get_application),
        ("GET", "/oauth2/applications/@me", get_application),
        ("GET", "/applications/{app_id}/commands", get_commands),
        ("PUT", "/applications/{app_id}/commands", put_commands),
        ("GET", "/applications/{app_id}/guilds/{guild_id}/commands", get_commands),
        ("PUT", "/applications/{app_id}/guilds/{guild_id}/commands", put_commands),
        ("POST", "/users/@me/channels", create_dm),
        ("GET", "/channels/{channel_id}", get_channel),
        ("GET", "/channels/{channel_id}/messages", get_history),
        ("POST", "/channels/{channel_id}/messages", post_message),
        ("GET", "/channels/{channel_id}/messages/{message_id}", get_message),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}", patch_message),
        ("DELETE", "/channels/{channel_id}/messages/{message_id}", delete_message),
    ]
    for method, path, handler in routes:
        router.add_route(method, API_PREFIX + path, handler)


async def get_gateway(request: web.Request) -> web.Response:
    return json_reply({"url": request.app[WORLD].gateway_url})


async def get_gateway_bot(request: web.Request) -> web.Response:
    limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
    world = request.app[WORLD]
    return json_reply({"url": world.gateway_url, "shards": world.shard_count, "session_start_limit": limit})


async def get_current_user(request: web.Request) -> web.Response:
    world = request.app[WORLD]
    return json_reply({**world.bot.payload(), "verified": True, "mfa_enabled": False, "email": None})


async def get_application(request: web.Request) -> web.Response:
    world = request.app[WORLD]
    return json_reply(
        {
            "id": str(world.application_id),
            "name": world.bot.name,
            "icon": None,
            "description": "",
            "summary": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "owner": world.owner.payload(),
            "team": None,
            "bot": world.bot.payload(),
            "rpc_origins": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(world.guilds),
            "integration_types_config": {"0": {}},
        }
    )


def _command_scope(request: web.Request) -> tuple[int | None, web.Response | None]:
    """The scope (None = global) of a commands route, or an error reply for a bad app/guild id."""
    world = request.app[WORLD]
    if request.match_info["app_id"] != str(world.application_id):
        return None, error_reply(404, UNKNOWN_APPLICATION, "Unknown Application")
    guild_id = request.match_info.get("guild_id")
    if guild_id is None:
        return None, None
    if world.guild(int(guild_id)) is None:
        return None, error_reply(403, MISSING_ACCESS, "Missing Access")
    return int(guild_id), None


async def get_commands(request: web.Request) -> web.Response:
    scope, error = _command_scope(request)
    return error or json_reply(request.app[WORLD].commands.get(scope, []))


async def put_commands(request: web.Request) -> web.Response:
    scope, error = _command_scope(request)
    if error:
        return error
    body = request[BODY]
    problems = check_command_list(body)
    if problems:
        return reject(request, problems)
    return json_reply(request.app[WORLD].store_commands(scope, body))


async def create_dm(request: web.Request) -> web.Response:
    world = request.app[WORLD]
    recipient = (request[BODY] or {}).get("recipient_id")
    user = world.users.get(int(recipient)) if str(recipient).isdigit() else None
    if user is None:
        return error_reply(400, 50007, "Cannot send messages to this user")
    return json_reply(world.channels[world.dm_channel(user)])


def _find_channel(request: web.Request) -> int | web.Response:
    channel_id = int(request.match_info["channel_id"])
    if channel_id not in request.app[WORLD].channels:
        return error_reply(404, UNKNOWN_CHANNEL, "Unknown Channel")
    return channel_id


def _find_message(request: web.Request) -> dict[str, Any] | web.Response:
    channel_id = _find_channel(request)
    if isinstance(channel_id, web.Response):
        return channel_id
    message = request.app[WORLD].messages.get(int(request.match_info["message_id"]))
    if message is None or int(message["channel_id"]) != channel_id:
        return error_reply(404, UNKNOWN_MESSAGE, "Unknown Message")
    return message


async def get_channel(request: web.Request) -> web.Response:
    channel_id = _find_channel(request)
    if isinstance(channel_id, web.Response):
        return channel_id
    return json_reply(request.app[WORLD].channels[channel_id])


async def get_history(request: web.Request) -> web.Response:
    channel_id = _find_channel(request)
    if isinstance(channel_id, web.Response):
        return channel_id
    limit = int(request.query.get("limit", "50"))
    newest_first = list(reversed(request.app[WORLD].messages_in(channel_id)))
    return json_reply(newest_first[:limit])


async def post_message(request: web.Request) -> web.Response:
    channel_id = _find_channel(request)
    if isinstance(channel_id, web.Response):
        return channel_id
    refusal = _posting_refused(request.app[WORLD], channel_id)
    if refusal is not None:
        return refusal
    body, files = request[BODY] or {}, request[FILES]
    problems = check_new_message(body, len(files))
    if problems:
        return reject(request, problems)
    return json_reply(request.app[WORLD].create_message(channel_id, body, files))


def _posting_refused(world, channel_id: int) -> web.Response | None:
    """Discord's answers when the bot may not post: a closed DM, or a channel that denies it."""
    channel = world.channels[channel_id]
    if any(int(r["id"]) in world.closed_dms for r in channel.get("recipients", [])):
        return error_reply(403, CANNOT_DM, "Cannot send messages to this user")
    guild = world.guild(int(channel["guild_id"])) if "guild_id" in channel else None
    if guild is not None:
        needed = VIEW_CHANNEL | SEND_MESSAGES
        if guild.channel_permissions(world.bot, channel_id) & needed != needed:
            return error_reply(403, MISSING_PERMISSIONS, "Missing Permissions")
    return None


async def get_message(request: web.Request) -> web.Response:
    message = _find_message(request)
    return message if isinstance(message, web.Response) else json_reply(message)


async def patch_message(request: web.Request) -> web.Response:
    message = _find_message(request)
    if isinstance(message, web.Response):
        return message
    body, files = request[BODY] or {}, request[FILES]
    problems = check_edit(message, body, len(files))
    if problems:
        return reject(request, problems)
    request.app[WORLD].edit_message(message, body, files)
    return json_reply(message)


async def delete_message(request: web.Request) -> web.Response:
    message = _find_message(request)
    if isinstance(message, web.Response):
        return message
    request.app[WORLD].delete_message(int(message["id"]))
    return web.Response(status=204)
