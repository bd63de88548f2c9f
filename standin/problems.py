"""Collecting limit violations, and rendering them the way Discord reports an invalid form body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .limits import utf16_len

Path = tuple[str | int, ...]

INVALID_FORM_BODY = 50035
CANNOT_SEND_EMPTY_MESSAGE = 50006


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    code: str = "INVALID"  # Discord's per-field error code, e.g. BASE_TYPE_MAX_LENGTH
    json_code: int = INVALID_FORM_BODY  # top-level "code" of Discord's error response

    def describe(self) -> str:
        where = format_path(self.path) or "<body>"
        return f"{where}: {self.message} [{self.code}]"


def format_path(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class Problems(list[Problem]):
    """A list of problems plus the small checks every validator repeats."""

    def add(self, path: Path, message: str, code: str = "INVALID") -> None:
        self.append(Problem(path, message, code))

    def text(self, path: Path, value: Any, *, high: int, low: int = 0, required: bool = False) -> int:
        """Check a string's UTF-16 length; returns the length (0 when absent) for running totals."""
        if value is None:
            if required:
                self.add(path, "This field is required", "BASE_TYPE_REQUIRED")
            return 0
        if not isinstance(value, str):
            self.add(path, f"must be a string, got {type(value).__name__}", "BASE_TYPE_STRING")
            return 0
        size = utf16_len(value)
        if size > high:
            self.add(path, f"length {size} exceeds {high}", "BASE_TYPE_MAX_LENGTH")
        elif size < low:
            self.add(path, f"length {size} is below {low}", "BASE_TYPE_MIN_LENGTH")
        return size

    def count(self, path: Path, items: Any, *, high: int, low: int = 0) -> list[Any]:
        """Check an array's size; returns it as a list (empty when absent or not an array)."""
        if items is None:
            items = []
        if not isinstance(items, list):
            self.add(path, f"must be an array, got {type(items).__name__}", "BASE_TYPE_ARRAY")
            return []
        if len(items) > high:
            self.add(path, f"{len(items)} items exceed the maximum of {high}", "BASE_TYPE_MAX_LENGTH")
        elif len(items) < low:
            self.add(path, f"{len(items)} items are below the minimum of {low}", "BASE_TYPE_MIN_LENGTH")
        return items

    def number(self, path: Path, value: Any, *, low: float, high: float) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, f"must be a number, got {type(value).__name__}", "NUMBER_TYPE_COERCE")
        elif not low <= value <= high:
            self.add(path, f"{value} is outside {low}..{high}", "NUMBER_TYPE_OUT_OF_RANGE")

    def non_blank(self, path: Path, value: Any) -> None:
        if isinstance(value, str) and value and not value.strip():
            self.add(path, "must not be blank", "BASE_TYPE_REQUIRED")

    def extend_under(self, prefix: Path, other: Problems) -> None:
        self.extend(Problem(prefix + p.path, p.message, p.code, p.json_code) for p in other)


def error_body(problems: list[Problem]) -> dict[str, Any]:
    """Discord's error JSON: a special code if any problem has one, else 50035 with nested errors."""
    special = next((p for p in problems if p.json_code != INVALID_FORM_BODY), None)
    if special is not None:
        return {"code": special.json_code, "message": special.message}
    errors: dict[str, Any] = {}
    for problem in problems:
        node = errors
        for part in problem.path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": problem.code, "message": problem.message})
    return {"code": INVALID_FORM_BODY, "message": "Invalid Form Body", "errors": errors}
