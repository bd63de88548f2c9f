"""Namida's own dispatch of its persistent components (``DynamicItem`` classes).

discord.py's dispatch rebuilds the clicked message's whole ``View`` before it looks at the item
(every component parsed, a random view id drawn): for a poll message with 21 buttons, clicked a
thousand times a second, that was a larger cost than the rest of the vote path together. Namida's
items need only their ``custom_id`` and the interaction (they never read ``self.view``), so the
bot routes them itself, straight from ``on_interaction``.
"""

from __future__ import annotations

import re
from typing import cast

import discord

from bot.compat import compiled_template
from bot.funnel import report
from bot.ui import FunnelledItem

Item = type[discord.ui.DynamicItem]


class ComponentRouter:
    def __init__(self) -> None:
        self._routes: list[tuple[re.Pattern[str], Item]] = []

    def add(self, *items: Item) -> None:
        for item in items:
            if not issubclass(item, FunnelledItem):
                raise TypeError(f"{item.__name__} must be a FunnelledItem (its errors must reach the member)")
            self._routes.append((compiled_template(item), item))

    @property
    def items(self) -> list[Item]:
        return [item for _, item in self._routes]

    def route(self, custom_id: str) -> tuple[Item, re.Match[str]] | None:
        for template, item in self._routes:
            match = template.fullmatch(custom_id)
            if match is not None:
                return item, match
        return None

    async def dispatch(self, interaction: discord.Interaction, custom_id: str) -> bool:
        """Runs the item the custom_id names; False if no item knows it (forged or outdated)."""
        found = self.route(custom_id)
        if found is None:
            return False
        item_class, match = found
        funnelled = cast(type[FunnelledItem], item_class)  # all that add() admits; they parse without an item
        try:
            item = await funnelled.from_custom_id(interaction, None, match)
        except Exception as error:  # noqa: BLE001 - the member still gets an answer
            await report(interaction, error)
            return True
        await item.callback(interaction)  # a FunnelledItem: its errors reach the member
        return True


class Components(discord.ui.View):
    """A message's components, laid out with discord.py's ``View`` but dispatched by
    ``ComponentRouter``: finished from the start, so discord.py neither stores it nor dispatches
    its clicks (which would answer them a second time)."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.stop()
