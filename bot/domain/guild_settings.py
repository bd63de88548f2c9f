"""One server's settings: where Namida posts, who moderates, and the nomination rules' limits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    nominations_channel_id: int | None = None
    review_channel_id: int | None = None
    poll_channel_id: int | None = None
    moderator_role_id: int | None = None
    max_open_nominations: int = 3
    cooldown_seconds: int = 60
    allow_listed_shows: bool = True
    show_titles_are_spoilers: bool = False
