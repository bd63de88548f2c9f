"""Limit checks for message payloads: content, embeds, allowed_mentions, attachments, emptiness."""

from __future__ import annotations

from typing import Any

from . import limits as L
from .check_components import check_message_components
from .problems import CANNOT_SEND_EMPTY_MESSAGE, Path, Problem, Problems
from .protocol import MessageFlag


def check_message(body: Any) -> Problems:
    """Check a message create or edit body (every field optional; emptiness is checked separately)."""
    problems = Problems()
    if not isinstance(body, dict):
        problems.add((), f"body must be a JSON object, got {type(body).__name__}")
        return problems
    problems.text(("content",), body.get("content"), high=L.CONTENT_MAX)
    embeds = problems.count(("embeds",), body.get("embeds"), high=L.EMBEDS_MAX)
    _check_embeds(problems, embeds)
    if body.get("allowed_mentions") is not None:
        _check_allowed_mentions(problems, body["allowed_mentions"])
    problems.count(("attachments",), body.get("attachments"), high=L.ATTACHMENTS_MAX)
    flags = body.get("flags") or 0
    v2 = bool(flags & MessageFlag.IS_COMPONENTS_V2)
    if v2:
        for key in ("content", "embeds", "poll", "sticker_ids"):
            if body.get(key):
                problems.add(
                    (key,),
                    f"{key} cannot be sent with the IS_COMPONENTS_V2 flag",
                    "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                )
    components = body.get("components")
    if components:
        problems.extend(check_message_components(components, v2=v2))
    return problems


def check_new_message(body: Any, file_count: int) -> Problems:
    """A create body: limits first, then (like Discord) whether there is anything to show."""
    return check_message(body) or _empty_message(body, file_count)


def check_edit(message: dict[str, Any], body: Any, file_count: int) -> Problems:
    """An edit body: limits first, then whether the edited message would be empty."""
    problems = check_message(body)
    if problems:
        return problems
    kept = {k: v for k, v in body.items() if k in ("content", "embeds", "components", "attachments")}
    return _empty_message({**message, **kept}, file_count)


def _empty_message(message: dict[str, Any], file_count: int) -> Problems:
    problems = Problems()
    content = message.get("content")
    if (
        (isinstance(content, str) and content.strip())
        or message.get("embeds")
        or message.get("components")
        or message.get("attachments")
        or message.get("poll")
        or message.get("sticker_ids")
        or file_count
    ):
        return problems
    problems.append(Problem((), "Cannot send an empty message", "EMPTY_MESSAGE", CANNOT_SEND_EMPTY_MESSAGE))
    return problems


def _check_embeds(problems: Problems, embeds: list[Any]) -> None:
    total = 0
    for index, embed in enumerate(embeds):
        path: Path = ("embeds", index)
        if not isinstance(embed, dict):
            problems.add(path, "embed must be an object")
            continue
        total += problems.text(path + ("title",), embed.get("title"), high=L.EMBED_TITLE_MAX)
        total += problems.text(path + ("description",), embed.get("description"), high=L.EMBED_DESCRIPTION_MAX)
        problems.text(path + ("url",), embed.get("url"), high=L.EMBED_URL_MAX)
        problems.number(path + ("color",), embed.get("color"), low=0, high=L.COLOR_MAX)
        fields = problems.count(path + ("fields",), embed.get("fields"), high=L.EMBED_FIELDS_MAX)
        for number, field in enumerate(fields):
            total += _check_field(problems, path + ("fields", number), field)
        total += _check_part(problems, path + ("footer",), embed.get("footer"), "text", L.EMBED_FOOTER_TEXT_MAX)
        total += _check_part(problems, path + ("author",), embed.get("author"), "name", L.EMBED_AUTHOR_NAME_MAX)
    if total > L.EMBED_TOTAL_MAX:
        problems.add(
            ("embeds",),
            f"embed text totals {total} characters, over {L.EMBED_TOTAL_MAX}",
            "MESSAGE_EMBED_TOTAL_TEXT_TOO_LONG",
        )


def _check_field(problems: Problems, path: Path, field: Any) -> int:
    if not isinstance(field, dict):
        problems.add(path, "field must be an object")
        return 0
    size = 0
    for key, high in (("name", L.EMBED_FIELD_NAME_MAX), ("value", L.EMBED_FIELD_VALUE_MAX)):
        size += problems.text(path + (key,), field.get(key), low=1, high=high, required=True)
        problems.non_blank(path + (key,), field.get(key))
    return size


def _check_part(problems: Problems, path: Path, part: Any, key: str, high: int) -> int:
    """Footer/author: an object whose one text key is required and counts toward the total."""
    if part is None:
        return 0
    if not isinstance(part, dict):
        problems.add(path, "must be an object")
        return 0
    for url_key in ("url", "icon_url"):
        problems.text(path + (url_key,), part.get(url_key), high=L.EMBED_URL_MAX)
    return problems.text(path + (key,), part.get(key), high=high, required=True)


def _check_allowed_mentions(problems: Problems, mentions: Any) -> None:
    path: Path = ("allowed_mentions",)
    if not isinstance(mentions, dict):
        problems.add(path, "must be an object")
        return
    for key in sorted(set(mentions) - L.ALLOWED_MENTION_KEYS):
        problems.add(path + (key,), f"unknown allowed_mentions key {key!r}")
    parse = problems.count(path + ("parse",), mentions.get("parse"), high=len(L.ALLOWED_MENTION_PARSE_VALUES))
    for index, value in enumerate(parse):
        if value not in L.ALLOWED_MENTION_PARSE_VALUES:
            problems.add(path + ("parse", index), f"{value!r} is not one of roles/users/everyone", "ENUM_TYPE_COERCE")
    if len(set(map(str, parse))) != len(parse):
        problems.add(path + ("parse",), "parse values must be unique")
    for kind in ("users", "roles"):
        ids = problems.count(path + (kind,), mentions.get(kind), high=L.ALLOWED_MENTION_IDS_MAX)
        for index, value in enumerate(ids):
            if not str(value).isdigit():
                problems.add(path + (kind, index), f"{value!r} is not a snowflake", "NUMBER_TYPE_COERCE")
        if ids and kind in parse:
            problems.add(
                path + (kind,),
                f"parse contains {kind!r} and an explicit {kind} list; they are mutually exclusive",
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
            )
    replied = mentions.get("replied_user")
    if replied is not None and not isinstance(replied, bool):
        problems.add(path + ("replied_user",), "must be a boolean", "BASE_TYPE_BOOLEAN")
