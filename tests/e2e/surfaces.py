"""Where Discord can and cannot hide text, and a check that no spoiler sits where it can't.

Unhideable: embed titles, authors, footers, field names, button/select labels, placeholders and
option texts, autocomplete choice names, modal titles, file names. Hideable (with ``||…||``):
message content, embed descriptions and field values."""

from __future__ import annotations

from typing import Any

from bot.domain.catalog import TopList
from standin.state import walk_components
from tests.markdown_model import parse


def unhideable_texts(message: dict[str, Any]) -> list[str]:
    texts = []
    for embed in message.get("embeds") or []:
        texts += [embed.get("title") or "", (embed.get("author") or {}).get("name") or ""]
        texts += [(embed.get("footer") or {}).get("text") or ""]
        texts += [field.get("name") or "" for field in embed.get("fields") or []]
    for component in walk_components(message.get("components") or []):
        texts += [component.get(key) or "" for key in ("label", "placeholder")]
        for option in component.get("options") or []:
            texts += [option.get("label") or "", option.get("description") or ""]
    texts += [attachment.get("filename") or "" for attachment in message.get("attachments") or []]
    return [t for t in texts if t]


def hideable_texts(message: dict[str, Any]) -> list[str]:
    texts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        texts.append(embed.get("description") or "")
        texts += [field.get("value") or "" for field in embed.get("fields") or []]
    return [t for t in texts if t]


def spoiler_texts(top_list: TopList) -> list[str]:
    """Texts that must never be readable without a click: moment names, and the opening words of
    every summary and why-it-hits line (long enough not to occur by chance)."""
    found = []
    for entry in top_list.entries:
        found.append(entry.moment.reveal())
        found += [entry.summary.reveal()[:40], entry.why_it_hits.reveal()[:40]]
    return found


def leaks(message: dict[str, Any], top_list: TopList) -> list[str]:
    """Every spoiler readable in ``message`` without clicking a spoiler bar."""
    secrets = spoiler_texts(top_list)
    exposed = [text for text in unhideable_texts(message) if any(s in text for s in secrets)]
    for text in hideable_texts(message):
        outside = parse(text).outside
        exposed += [s for s in secrets if s in outside]
    return exposed


def hidden_spoilers(message: dict[str, Any]) -> list[str]:
    """The texts inside spoiler bars, unescaped, in order."""
    return [s for text in hideable_texts(message) for s in parse(text).spoilers]


def shown(text: str) -> str:
    """Text as the member reads it outside spoiler bars (escapes removed)."""
    return parse(text).outside


def sent_leaks(requests: list[Any], top_list: TopList) -> list[str]:
    """Every spoiler readable without a click in any request the bot sent: messages, interaction
    answers (a modal's title, autocomplete choice names) and uploaded file names."""
    exposed = []
    for record in requests:
        body = record.json if isinstance(record.json, dict) else {}
        message = body["data"] if isinstance(body.get("data"), dict) and "type" in body else body
        exposed += leaks(message, top_list)
        names = [message.get("title") or ""] + [choice.get("name") or "" for choice in message.get("choices") or []]
        names += [upload.filename for upload in record.files]
        exposed += [name for name in names if any(s in name for s in spoiler_texts(top_list))]
    return exposed
