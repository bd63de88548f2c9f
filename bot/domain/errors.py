"""Typed errors. ``UserFacingError`` text is written for members and shown to them as is."""

from __future__ import annotations


class NamidaError(Exception):
    """Base of every error Namida raises on purpose."""


class UserFacingError(NamidaError):
    """Something the member can fix or should know; its message is shown ephemerally."""

    def __init__(self, message: str, typed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.typed = typed  # what the member wrote, echoed back privately so nothing is lost


class UnknownList(UserFacingError):
    def __init__(self, query: str, available: list[str]) -> None:
        listed = ", ".join(f"`{name}`" for name in available)
        super().__init__(f"I don't know a list called that. Lists I have: {listed}.")
        self.query = query


class UnknownEntry(UserFacingError):
    def __init__(self, query: str, suggestions: list[str]) -> None:
        text = "I couldn't find that entry."
        if suggestions:
            text += " Did you mean: " + ", ".join(f"**{handle}**" for handle in suggestions) + "?"
        else:
            text += " Try a rank like `3`, or part of a show's title."
        super().__init__(text)
        self.query = query
        self.suggestions = suggestions


class StaleComponent(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "That button or menu belongs to an entry or list I no longer have. "
            "Run the command again to get a fresh one."
        )


class ForeignComponent(UserFacingError):
    """A step of a private message (a ballot, a page) used on a message it was not made for."""

    def __init__(self) -> None:
        super().__init__(
            "That button or menu only works on the private message it was made for, so I changed nothing. "
            "Run the command again to get a fresh one."
        )


class ListFileProblem(NamidaError):
    """One problem in one list file, located by file, entry and key."""

    def __init__(self, file: str, where: str, key: str | None, problem: str) -> None:
        self.file, self.where, self.key, self.problem = file, where, key, problem
        location = f"{file}: {where}" + (f", key '{key}'" if key else "")
        super().__init__(f"{location}: {problem}")


class CatalogError(NamidaError):
    """Every problem found in the list folder; the bot refuses to start with any of them."""

    def __init__(self, problems: list[ListFileProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
