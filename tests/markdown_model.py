"""A small model of how Discord parses the markdown that matters for spoilers, for attacking
``bot.domain.spoilers``: escapes, ``||`` spoiler bars, code spans and mass mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FORMATTING = set("*_~>#-[<")


@dataclass
class Parsed:
    spoilers: list[str] = field(default_factory=list)
    outside: str = ""
    unescaped_markup: list[str] = field(default_factory=list)
    unbalanced: bool = False


def parse(text: str) -> Parsed:
    """Splits text into what is inside spoiler bars and what is outside, noting any character
    that Discord would read as markup rather than show literally."""
    result = Parsed()
    inside = False
    current = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and not text[i + 1].isalnum() and not text[i + 1].isspace():
            current += text[i + 1]
            i += 2
            continue
        if text.startswith("||", i):
            if inside:
                result.spoilers.append(current)
            else:
                result.outside += current
            current, inside = "", not inside
            i += 2
            continue
        if ch == "`" or ch in FORMATTING:
            result.unescaped_markup.append(ch)
        current += ch
        i += 1
    if inside:
        result.unbalanced = True
        result.outside += current
    else:
        result.outside += current
    return result


def mentions(text: str) -> list[str]:
    """Mass mentions and mention syntax Discord would render or ping."""
    return re.findall(r"@(?:everyone|here)|(?<!\\)<[@#][!&]?\d+>", text)
