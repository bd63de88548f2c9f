"""Spoilers and markdown safety: the only module that knows how Discord hides and formats text.

Every text that reaches Discord from the list or from a member passes through here:

* ``tag`` wraps text in ``||…||`` so it stays hidden until clicked;
* ``plain`` shows text as literal characters (no markdown, no mentions, no spoiler bars);
* both escape first, so ``||``, backticks or markdown inside the text can never close a spoiler
  early or open one, and both truncate without ever cutting an escape or leaving ``||`` unbalanced.

``Spoiler`` marks a value as hidden by type: formatting it (f-strings, ``str()``, logging) yields
a placeholder, so a moment name cannot leak into a title, label or log line by accident.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from bot.domain.limits import discord_len

ELLIPSIS = "…"
PLACEHOLDER = "‹spoiler›"

# Any ASCII punctuation Discord's markdown gives meaning to; a backslash before one shows it literally.
_MARKDOWN_CHARS = frozenset("\\*_~`|>#-[]<")
# Bidirectional overrides and isolates can visually reorder text around a spoiler; C0/C1 controls
# (except newline and tab) have no business in a chat message.
_INVISIBLE_CONTROLS = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_NUMBERED_LIST = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)
_ZERO_WIDTH_SPACE = "\u200b"
_INERT_DROP = frozenset("\\*_~`|<>#[]\n")
_JOINERS = frozenset("\u200d\ufe0e\ufe0f")


class Spoiler:
    """Text that may only be shown behind a spoiler bar or in a private Reveal."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError("Spoiler text must be a string")
        self._text = text

    def reveal(self) -> str:
        """The hidden text itself: only for ``tag``, ``plain`` in a private reply, or storage."""
        return self._text

    def __str__(self) -> str:
        return PLACEHOLDER

    def __repr__(self) -> str:
        return f"Spoiler({PLACEHOLDER})"

    def __format__(self, spec: str) -> str:
        return PLACEHOLDER

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Spoiler) and other._text == self._text

    def __hash__(self) -> int:
        return hash((Spoiler, self._text))


def clean(text: str) -> str:
    """Normalise line endings and drop invisible control characters (the stored text is untouched)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE_CONTROLS.sub("", text)


def escape(text: str) -> str:
    """Make every character literal: markdown, spoiler bars, code spans, links and mentions."""
    escaped = "".join("\\" + ch if ch in _MARKDOWN_CHARS else ch for ch in clean(text))
    escaped = _NUMBERED_LIST.sub(r"\1\\.", escaped)
    # A zero-width space after '@' shows "@everyone" as text that can never become a mention.
    return _MASS_MENTION.sub(lambda m: "@" + _ZERO_WIDTH_SPACE + m.group(1), escaped)


def tag(text: str | Spoiler, max_len: int | None = None) -> str:
    """``||text||``, escaped, and shortened with an ellipsis inside the bars to fit ``max_len``."""
    raw = _raw(text)
    if not clean(raw).strip():
        raise ValueError("a spoiler needs visible text")
    return _fit(clean(raw), lambda body: f"||{escape(body)}||", max_len)


def plain(text: str | Spoiler, max_len: int | None = None) -> str:
    """Escaped literal text (no bars), shortened with an ellipsis to fit ``max_len``."""
    return _fit(clean(_raw(text)), escape, max_len)


def shorten(text: str, max_len: int) -> str:
    """Unescaped text cut to ``max_len`` for surfaces that render no markdown (labels, choices)."""
    return _fit(clean(text), lambda body: body, max_len)


def code_block(text: str, max_len: int | None = None) -> str:
    """Text shown exactly as typed in a code block: nothing inside renders, pings or hides. A
    zero-width space after each backtick keeps the text from ever closing the block, and one after
    the '@' of a mass mention keeps it inert even if the block is quoted elsewhere."""
    body = clean(text).replace("`", "`" + _ZERO_WIDTH_SPACE)
    body = _MASS_MENTION.sub(lambda m: "@" + _ZERO_WIDTH_SPACE + m.group(1), body)
    return _fit(body, lambda inner: f"```\n{inner}\n```", max_len)


def inert(text: str, max_len: int | None = None) -> str:
    """Member text for surfaces that may or may not render markdown (titles, field names, labels):
    markup characters are dropped rather than escaped, so no backslash ever shows."""
    stripped = "".join(" " if ch in _INERT_DROP else ch for ch in clean(text))
    stripped = _MASS_MENTION.sub(lambda m: "@" + _ZERO_WIDTH_SPACE + m.group(1), " ".join(stripped.split()))
    return _fit(stripped, lambda body: body, max_len)


def _raw(text: str | Spoiler) -> str:
    return text.reveal() if isinstance(text, Spoiler) else text


def _fit(text: str, render: Callable[[str], str], max_len: int | None) -> str:
    whole = render(text)
    if max_len is None or discord_len(whole) <= max_len:
        return whole
    # Rendered length grows with the prefix, so the longest prefix that fits is found by bisection.
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if discord_len(render(_cut(text, mid) + ELLIPSIS)) <= max_len:
            low = mid
        else:
            high = mid - 1
    result = render(_cut(text, low) + ELLIPSIS)
    if discord_len(result) > max_len:
        raise ValueError(f"max_len {max_len} is too small to show anything")
    return result


def _cut(text: str, length: int) -> str:
    """Cut at ``length`` without splitting a combining mark or emoji sequence from its base."""
    while 0 < length < len(text) and (
        unicodedata.combining(text[length]) or text[length] in _JOINERS or text[length - 1] in _JOINERS
    ):
        length -= 1
    return text[:length].rstrip()
