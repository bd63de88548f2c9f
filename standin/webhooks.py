"""Token-authenticated routes: the interaction callback, followups and edits of responses."""

from __future__ import annotations

import copy
from typing import Any

from aiohttp import web

from . import limits as L
from .check_commands import check_autocomplete
from .check_components import check_modal
from .check_message import check_edit, check_new_message
from .http_api import API_PREFIX, BODY, FILES, WORLD, error_reply, json_reply, reject, route_name, token_auth
from .problems import Problem, Problems
from .protocol import ALLOWED_CALLBACKS, Callback, MessageFlag
from .state import CallbackAttempt, InteractionState, ShownModal, UploadedFile, World, number_components

UNKNOWN_INTERACTION = 10062
UNKNOWN_WEBHOOK = 10015
UNKNOWN_MESSAGE = 10008
INVALID_WEBHOOK_TOKEN = 50027
ALREADY_ACKNOWLEDGED = 40060
TRUE_VALUES = ("1", "true", "True")
UPDATES_MESSAGE = (Callback.DEFERRED_UPDATE_MESSAGE, Callback.UPDATE_MESSAGE)


def add_webhook_routes(router: web.UrlDispatcher) -> None:
    router.add_post(API_PREFIX + "/interactions/{interaction_id}/{token}/callback", interaction_callback)
    router.add_post(API_PREFIX + "/webhooks/{app_id}/{token}", post_followup)
    message_path = API_PREFIX + "/webhooks/{app_id}/{token}/messages/{message_id}"
    router.add_get(message_path, get_response_message, allow_head=False)
    router.add_patch(message_path, patch_response_message)
    router.add_delete(message_path, delete_response_message)


@token_auth
async def interaction_callback(request: web.Request) -> web.Response:
    world = request.app[WORLD]
    raw_id = request.match_info["interaction_id"]
    state = world.interactions.get(int(raw_id)) if raw_id.isdigit() else None
    if state is None or state.token != request.match_info["token"]:
        world.note(f"callback for an interaction the stand-in never sent: {raw_id}")
        return error_reply(404, UNKNOWN_INTERACTION, "Unknown interaction")
    body = request[BODY]
    kind = body.get("type") if isinstance(body, dict) else None
    response = _answer_callback(request, world, state, body)
    attempt = CallbackAttempt(kind, body, response.status)
    state.attempts.append(attempt)
    if response.status < 300:
        state.accepted = attempt
    world.changed.fire()
    return response


def _answer_callback(request: web.Request, world: World, state: InteractionState, body: Any) -> web.Response:
    if state.accepted is not None:
        return reject(
            request,
            [
                Problem(
                    (),
                    "Interaction has already been acknowledged.",
                    "ALREADY_ACKNOWLEDGED",
                    ALREADY_ACKNOWLEDGED,
                )
            ],
        )
    elapsed = world.clock.now() - state.dispatched_at
    if elapsed > L.INTERACTION_ACK_DEADLINE:
        world.violation(
            f"{route_name(request)}: first callback came {elapsed:.2f}s after INTERACTION_CREATE "
            f"(Discord allows {L.INTERACTION_ACK_DEADLINE:.0f}s)"
        )
        return error_reply(404, UNKNOWN_INTERACTION, "Unknown interaction")
    updates_message = isinstance(body, dict) and body.get("type") in UPDATES_MESSAGE
    if updates_message and state.source_message_id is not None and state.source_message_id not in world.messages:
        return error_reply(404, UNKNOWN_MESSAGE, "Unknown Message")  # the component's message was deleted
    problems = _check_callback(world, state, body, request[FILES])
    if problems:
        return reject(request, problems)
    reply = _apply_callback(world, state, body, request[FILES])
    if request.query.get("with_response") in TRUE_VALUES:
        return json_reply(reply)
    return web.Response(status=204)


def _check_callback(world: World, state: InteractionState, body: Any, files: list[UploadedFile]) -> Problems:
    problems = Problems()
    if not isinstance(body, dict) or not isinstance(body.get("type"), int):
        problems.add(("type",), "callback body must be an object with an integer type", "BASE_TYPE_REQUIRED")
        return problems
    kind, data = body["type"], body.get("data")
    if kind not in ALLOWED_CALLBACKS.get(state.type, frozenset()):
        problems.add(("type",), f"callback type {kind} is not valid for interaction type {state.type}")
    elif kind in UPDATES_MESSAGE and state.source_message_id is None:
        problems.add(("type",), f"callback type {kind} needs a message (this modal was not opened from one)")
    elif kind == Callback.CHANNEL_MESSAGE:
        problems.extend_under(("data",), check_new_message(data, len(files)))
    elif kind == Callback.UPDATE_MESSAGE:
        source = world.messages[state.source_message_id or 0]
        problems.extend_under(("data",), check_edit(source, data or {}, len(files)))
    elif kind == Callback.AUTOCOMPLETE_RESULT:
        problems.extend(check_autocomplete(data, _focused_option_type(state.payload["data"].get("options", []))))
    elif kind == Callback.MODAL:
        problems.extend_under(("data",), check_modal(data))
    return problems


def _apply_callback(world: World, state: InteractionState, body: dict[str, Any], files: list[UploadedFile]) -> Any:
    """Perform the callback and build Discord's InteractionCallbackResponse."""
    kind, data = body["type"], body.get("data") or {}
    interaction: dict[str, Any] = {"id": str(state.id), "type": state.type}
    reply: dict[str, Any] = {"interaction": interaction}
    message = None
    if kind == Callback.CHANNEL_MESSAGE:
        message = world.create_message(state.channel_id, data, files, interaction=state)
        reply["resource"] = {"type": kind, "message": message}
    elif kind == Callback.DEFERRED_CHANNEL_MESSAGE:
        message = world.create_message(
            state.channel_id, {"flags": data.get("flags", 0)}, [], interaction=state, loading=True
        )
    elif kind in UPDATES_MESSAGE:
        message = world.messages[state.source_message_id or 0]
        if kind == Callback.UPDATE_MESSAGE:
            world.edit_message(message, data, files)
            reply["resource"] = {"type": kind, "message": message}
    elif kind == Callback.MODAL:
        modal = copy.deepcopy(data)
        number_components(modal["components"])
        world.modals[(int(state.user["id"]), modal["custom_id"])] = ShownModal(modal, state)
    if message is not None:
        state.original_id = int(message["id"])
        interaction["response_message_id"] = message["id"]
        interaction["response_message_loading"] = kind == Callback.DEFERRED_CHANNEL_MESSAGE
        interaction["response_message_ephemeral"] = bool(message["flags"] & MessageFlag.EPHEMERAL)
    return reply


def _focused_option_type(options: list[dict[str, Any]]) -> int:
    for option in options:
        if option.get("focused"):
            return option["type"]
        if "options" in option:
            return _focused_option_type(option["options"])
    raise ValueError("autocomplete interaction without a focused option")


def _interaction_for_token(request: web.Request) -> InteractionState | web.Response:
    world = request.app[WORLD]
    state = world.interaction_by_token(request.match_info["token"])
    if state is None or request.match_info["app_id"] != str(world.application_id):
        return error_reply(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
    age = world.clock.now() - state.dispatched_at
    if age > L.INTERACTION_TOKEN_LIFETIME:
        world.violation(
            f"{route_name(request)}: interaction token used {age / 60:.1f} min after the interaction "
            f"(tokens expire after {L.INTERACTION_TOKEN_LIFETIME / 60:.0f} min)"
        )
        return error_reply(401, INVALID_WEBHOOK_TOKEN, "Invalid Webhook Token")
    return state


@token_auth
async def post_followup(request: web.Request) -> web.Response:
    world = request.app[WORLD]
    state = _interaction_for_token(request)
    if isinstance(state, web.Response):
        return state
    if state.accepted is None:
        world.violation(f"{route_name(request)}: followup sent before the interaction was acknowledged")
        return error_reply(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
    body, files = request[BODY] or {}, request[FILES]
    problems = check_new_message(body, len(files))
    if problems:
        return reject(request, problems)
    original = world.messages.get(state.original_id or 0)
    if original is not None and original["flags"] & MessageFlag.LOADING:
        # After a "thinking" defer, Discord turns the first followup into the original response.
        world.edit_message(original, body, files)
        message = original
    else:
        message = world.create_message(state.channel_id, body, files, interaction=state)
    state.followup_ids.append(int(message["id"]))
    world.changed.fire()
    if request.query.get("wait") in TRUE_VALUES:
        return json_reply(message)
    return web.Response(status=204)


def _response_message(request: web.Request) -> tuple[InteractionState, dict[str, Any]] | web.Response:
    state = _interaction_for_token(request)
    if isinstance(state, web.Response):
        return state
    raw_id = request.match_info["message_id"]
    if raw_id == "@original":
        message_id = state.original_id
    else:
        owned = {state.original_id, *state.followup_ids}
        message_id = int(raw_id) if raw_id.isdigit() and int(raw_id) in owned else None
    message = request.app[WORLD].messages.get(message_id or 0)
    if message is None:
        return error_reply(404, UNKNOWN_MESSAGE, "Unknown Message")
    return state, message


@token_auth
async def get_response_message(request: web.Request) -> web.Response:
    found = _response_message(request)
    return found if isinstance(found, web.Response) else json_reply(found[1])


@token_auth
async def patch_response_message(request: web.Request) -> web.Response:
    found = _response_message(request)
    if isinstance(found, web.Response):
        return found
    state, message = found
    body, files = request[BODY] or {}, request[FILES]
    problems = check_edit(message, body, len(files))
    if problems:
        return reject(request, problems)
    request.app[WORLD].edit_message(message, body, files)
    if int(message["id"]) == state.original_id:
        state.original_edits += 1
    return json_reply(message)


@token_auth
async def delete_response_message(request: web.Request) -> web.Response:
    found = _response_message(request)
    if isinstance(found, web.Response):
        return found
    request.app[WORLD].delete_message(int(found[1]["id"]))
    return web.Response(status=204)
