"""Text normalisation for matching titles and names the way a person would."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form: "Steins;Gate" and "steins gate" agree."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped.casefold().replace("_", " ")).split())


def compact(text: str) -> str:
    """``normalise`` without spaces: "Robotics;Notes" and "RoboticsNotes" agree."""
    return normalise(text).replace(" ", "")
