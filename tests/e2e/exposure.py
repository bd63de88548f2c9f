"""Who could read what, in every request the bot sent during a test.

Each request is sorted by its audience: a channel message (or an answer that is not ephemeral) is
public; an ephemeral answer, a form, autocomplete choices or a DM reach one member. ``exposures``
then lists each place a text is readable without a click by anyone it must not reach: anywhere
on a public surface outside spoiler bars, and on a private one unless that member may see it
(the author, or a moderator reviewing it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.domain.catalog import TopList
from bot.domain.text import compact
from standin import StandIn
from standin.state import RequestRecord
from tests.e2e.surfaces import hideable_texts, leaks, shown, unhideable_texts

EPHEMERAL = 1 << 6
_CALLBACK = re.compile(r"/interactions/\d+/(?P<token>[^/]+)/callback")
_WEBHOOK = re.compile(r"/webhooks/\d+/(?P<token>[^/]+)(?:/messages/(?P<message>[^/]+))?")
_CHANNEL = re.compile(r"/channels/(?P<channel>\d+)/(?:messages(?:/\d+)?|threads)")
PUBLIC = None


@dataclass(frozen=True)
class Sent:
    """One payload the bot sent, the member it reaches (``PUBLIC``: everyone), and its texts."""

    request: RequestRecord
    viewer: int | None
    unhideable: list[str]
    readable: list[str]  # hideable texts as read without a click (outside spoiler bars)
    message: dict[str, Any] | None


def sent(discord: StandIn) -> list[Sent]:
    """Every payload the bot sent that Discord accepted, with its audience."""
    found = []
    for record in discord.requests:
        if record.method not in ("POST", "PATCH") or record.status != 200 or not isinstance(record.json, dict):
            continue
        item = _classify(discord, record)
        if item is not None:
            found.append(item)
    return found


def exposures(discord: StandIn, secret: str, *, may_see: set[int] = frozenset()) -> list[str]:
    """Each text that shows ``secret`` (ignoring case, spaces and punctuation) to someone who must
    not read it: everyone, on a public surface outside spoiler bars; a member not in ``may_see``
    on a private one."""
    wanted = compact(secret)
    found = []
    for item in sent(discord):
        if item.viewer is not PUBLIC and item.viewer in may_see:
            continue
        for text in item.unhideable + item.readable:
            if wanted in compact(text):
                found.append(f"{item.request.method} {item.request.path}: {text!r}")
    return found


def list_leaks(discord: StandIn, top_list: TopList) -> list[str]:
    """The list's own spoilers readable without a click in any message the bot sent, to anyone."""
    return [
        f"{item.request.method} {item.request.path}: {leak!r}"
        for item in sent(discord)
        if item.message is not None
        for leak in leaks(item.message, top_list)
    ]


def _classify(discord: StandIn, record: RequestRecord) -> Sent | None:
    body = record.json
    if match := _CALLBACK.fullmatch(record.path):
        state = discord.world.interaction_by_token(match["token"])
        user = int(state.user["id"]) if state else None
        data = body.get("data") or {}
        kind = body.get("type")
        if kind == 8:  # autocomplete: only the member typing sees the choices
            texts = [c.get("name") or "" for c in data.get("choices") or []]
            texts += [str(c.get("value")) for c in data.get("choices") or []]
            return Sent(record, user, texts, [], None)
        if kind == 9:  # a form: only the member who opened it
            return Sent(record, user, [data.get("title") or ""], [], None)
        if kind == 7:  # an update of the message the component sits on
            source = discord.get_message(state.source_message_id) if state and state.source_message_id else None
            private = source is not None and (source.get("flags") or 0) & EPHEMERAL
            return _message(record, user if private else PUBLIC, data)
        if kind == 4:
            return _message(record, user if (data.get("flags") or 0) & EPHEMERAL else PUBLIC, data)
        return None
    if match := _WEBHOOK.fullmatch(record.path):
        state = discord.world.interaction_by_token(match["token"])
        user = int(state.user["id"]) if state else None
        flags = body.get("flags") or 0
        if match["message"]:  # an edit: as private as the message it edits
            edited = discord.get_message(match["message"]) if match["message"].isdigit() else None
            flags |= (edited or {}).get("flags") or 0
            if match["message"] == "@original" and state and state.accepted:
                flags |= ((state.accepted.body or {}).get("data") or {}).get("flags") or 0
        return _message(record, user if flags & EPHEMERAL else PUBLIC, body)
    if match := _CHANNEL.fullmatch(record.path):
        channel = int(match["channel"])
        dm_user = next((user for user, dm in discord.world.dm_channels.items() if dm == channel), None)
        item = _message(record, dm_user if dm_user is not None else PUBLIC, body)
        if record.path.endswith("/threads"):
            item.unhideable.append(body.get("name") or "")
        return item
    return None


def _message(record: RequestRecord, viewer: int | None, payload: dict[str, Any]) -> Sent:
    message = {**payload, "attachments": [{"filename": f.filename} for f in record.files]}
    files = [f.data.decode(errors="replace") for f in record.files]  # CSV headers, texts: no spoiler bars
    readable = [shown(text) for text in hideable_texts(message)]
    return Sent(record, viewer, unhideable_texts(message) + files, readable, message)
