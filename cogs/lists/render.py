"""The moderators' answers to /lists. Entries are named by their spoiler-free handles only;
list names are moderator text, made inert when they were chosen."""

from __future__ import annotations

from bot.domain.server_lists import ServerList
from bot.domain.spoilers import plain

HANDLES_SHOWN = 10


def name(server_list: ServerList) -> str:
    return f"**{plain(server_list.name, 80)}**"


def place_handle(server_list: ServerList, place: int) -> str:
    return f"**{plain(server_list.handle(place), 120)}**"


def contents(server_list: ServerList) -> str:
    """How many entries the list has, and the first places by handle."""
    count = len(server_list.entries)
    if not count:
        return f"{name(server_list)} has no entries yet: add approved nominations with `/lists add`."
    ranked = min(count, server_list.top)
    text = f"{name(server_list)} has {count} entr{'y' if count == 1 else 'ies'}: {ranked} ranked"
    text += f", {count - ranked} honorable mention(s)." if count > ranked else "."
    shown = [f"{place}. {plain(server_list.handle(place), 100)}" for place in range(1, min(count, HANDLES_SHOWN) + 1)]
    if count > HANDLES_SHOWN:
        shown.append(f"…and {count - HANDLES_SHOWN} more.")
    return text + "\n" + "\n".join(shown) + f"\nMembers open it with `/list list:{server_list.list_id}`."
