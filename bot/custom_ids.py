"""One declaration per component id grammar: ``CustomId("poll:{poll_id}:v:{index}", ...)`` gives
the template a ``DynamicItem`` is matched by, the builder of its custom_ids, and the typed parse of
a match, so the three can never drift apart.

Ids are ASCII only: ``\\d`` and ``int()`` accept any Unicode digit ("٣" is 3 to them), which would
let a forged id reach another poll or crash a parse; a field here matches ``[0-9]`` and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.domain.errors import StaleComponent

CUSTOM_ID_MAX = 100  # Discord's limit for a component's custom_id
ID64_MAX = 2**63 - 1  # Discord ids and row ids: both databases store them as signed 64-bit integers
_ASCII_NUMBER = re.compile(r"[0-9]{1,20}")
_FIELD = re.compile(r"\{(\w+)\}")


def ascii_int(text: object) -> int | None:
    """The number written in ASCII digits, or None for anything else ("²", "٣", "-1", " 3")."""
    return int(text) if isinstance(text, str) and _ASCII_NUMBER.fullmatch(text) else None


@dataclass(frozen=True)
class Field:
    regex: str
    parse: Callable[[str], Any]
    example: Any  # the longest value, for the meta-test's length check


def number(digits: int) -> Field:
    """A non-negative integer of at most ``digits`` ASCII digits (ids, indexes, pages)."""
    return Field(f"[0-9]{{1,{digits}}}", int, 10**digits - 1)


def id64() -> Field:
    """A Discord id or a row id (or 0). A forged one past what the databases hold is a stale
    button, not a crash."""
    return Field("[0-9]{1,19}", _id64, ID64_MAX)


def _id64(digits: str) -> int:
    value = int(digits)
    if value > ID64_MAX:
        raise StaleComponent()
    return value


def one_of(*options: str) -> Field:
    return Field("|".join(re.escape(option) for option in options), str, max(options, key=len))


def text(charset: str, low: int, high: int, example_char: str) -> Field:
    """A string of ``low``..``high`` characters from a regex character class such as ``[a-z0-9]``."""
    return Field(f"{charset}{{{low},{high}}}", str, example_char * high)


def slug(high: int = 32) -> Field:
    """A list or entry key: lower-case ASCII letters, digits and dashes, not starting with a dash."""
    return Field(f"[a-z0-9][a-z0-9-]{{0,{high - 1}}}", str, "a" * high)


class CustomId:
    def __init__(self, pattern: str, **fields: Field) -> None:
        names = _FIELD.findall(pattern)
        if sorted(names) != sorted(fields):
            raise ValueError(f"{pattern!r} names fields {names}, but {sorted(fields)} were declared")
        literals = _FIELD.split(pattern)[::2]
        parts = [re.escape(literals[0])]
        for name, literal in zip(names, literals[1:], strict=True):
            parts += [f"(?P<{name}>{fields[name].regex})", re.escape(literal)]
        self.pattern, self.fields = pattern, fields
        self.template = "".join(parts)
        self._compiled = re.compile(self.template)

    def __call__(self, **values: Any) -> str:
        """The custom_id for these field values; a value the template would refuse is a bug here."""
        built = self.pattern.format(**values)
        if not self._compiled.fullmatch(built) or len(built) > CUSTOM_ID_MAX:
            raise ValueError(f"{built!r} does not fit {self.pattern!r} (or is over {CUSTOM_ID_MAX} characters)")
        return built

    def parse(self, match: re.Match[str]) -> dict[str, Any]:
        return {name: field.parse(match[name]) for name, field in self.fields.items()}

    def example(self) -> dict[str, Any]:
        return {name: field.example for name, field in self.fields.items()}
