"""HTTP plumbing shared by the REST handlers: body parsing, recording, auth, replies, fault hooks."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import orjson
from aiohttp import BodyPartReader, web

from .faults import INJECTED, Faults
from .problems import Problem, error_body
from .state import RequestRecord, UploadedFile, World

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
BODY = web.RequestKey("body", object)
FILES = web.RequestKey("files", list)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
H = TypeVar("H", bound=Handler)

WORLD = web.AppKey("world", World)
FAULTS = web.AppKey("faults", Faults)


def token_auth(handler: H) -> H:
    """Mark a route authenticated by the interaction token in its path, not the bot token."""
    handler.token_auth = True  # type: ignore[attr-defined]
    return handler


def json_reply(data: Any, status: int = 200) -> web.Response:
    # discord.py only decodes JSON when Content-Type is exactly "application/json" (no charset).
    body = orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)  # fast: the stand-in shares the bot's machine
    return web.Response(body=body, status=status, headers={"Content-Type": "application/json"})


def error_reply(status: int, code: int, message: str) -> web.Response:
    return json_reply({"code": code, "message": message}, status)


def route_name(request: web.Request) -> str:
    resource = request.match_info.route.resource
    path = resource.canonical if resource is not None else request.path
    return f"{request.method} {path.removeprefix(API_PREFIX)}"


def reject(request: web.Request, problems: list[Problem], status: int = 400) -> web.Response:
    """Record every problem as a violation and answer like Discord would."""
    world = request.app[WORLD]
    for problem in problems:
        world.violation(f"{route_name(request)}: {problem.describe()}")
    return json_reply(error_body(problems), status)


@web.middleware
async def api_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(API_PREFIX + "/"):
        return await handler(request)
    world = request.app[WORLD]
    body, files = await _read_body(request)
    request[BODY], request[FILES] = body, files
    record = RequestRecord(
        request.method,
        request.path.removeprefix(API_PREFIX),
        dict(request.query),
        body,
        files,
        world.clock.now(),
    )
    response = await _respond(request, handler, world)
    record.status = response.status
    record.injected = request.get(INJECTED)
    world.record(record)
    return response


async def _respond(request: web.Request, handler: Handler, world: World) -> web.StreamResponse:
    injected = await request.app[FAULTS].before_rest(request)
    if injected is not None:
        return injected
    if request.match_info.http_exception is not None:
        world.note(f"unknown route: {request.method} {request.path.removeprefix(API_PREFIX)}")
        return error_reply(404, 0, "404: Not Found")
    if not getattr(handler, "token_auth", False) and request.headers.get("Authorization") != f"Bot {world.token}":
        return error_reply(401, 0, "401: Unauthorized")
    try:
        return await handler(request)
    except Exception as error:
        # A 5xx would make discord.py retry with back-off; fail fast and loudly instead.
        log.exception("stand-in handler crashed")
        world.violation(f"{route_name(request)}: stand-in internal error {error!r} (a bug in the stand-in)")
        return error_reply(400, 0, f"stand-in internal error: {error!r}")


async def _read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    if not request.can_read_body:
        return None, []
    if request.content_type == "multipart/form-data":
        return await _read_multipart(request)
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode(errors="replace"), []


async def _read_multipart(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    """discord.py's shape: a payload_json field plus files[n] fields."""
    body: Any = None
    files: list[UploadedFile] = []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "payload_json":
            body = json.loads(await part.text())
        elif part.filename is not None:
            content_type = part.headers.get("Content-Type", "application/octet-stream")
            files.append(UploadedFile(part.name or "", part.filename, content_type, bytes(await part.read())))
    return body, files
