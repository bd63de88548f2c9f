"""Autocomplete for list and entry parameters: handles only, never a spoiler, never raises."""

from __future__ import annotations

import logging

from discord import app_commands

from bot.app import Interaction
from bot.domain import limits
from bot.domain.catalog import TopList
from bot.domain.errors import UnknownList
from bot.domain.spoilers import shorten

log = logging.getLogger(__name__)
Choices = list[app_commands.Choice[str]]


def chosen_list(interaction: Interaction) -> TopList:
    """The list named in the interaction's ``list`` option, falling back to the default list
    while the member is still typing it."""
    catalog = interaction.client.catalog
    try:
        return catalog.get(getattr(interaction.namespace, "list", None))
    except UnknownList:
        return catalog.default


async def list_autocomplete(interaction: Interaction, current: str) -> Choices:
    lists = interaction.client.catalog.suggest(current, limits.AUTOCOMPLETE_CHOICES)
    return [app_commands.Choice(name=shorten(t.title, limits.CHOICE_NAME), value=t.id) for t in lists]


async def entry_autocomplete(interaction: Interaction, current: str) -> Choices:
    return _entry_choices(interaction, current, honorable_only=False)


async def honorable_autocomplete(interaction: Interaction, current: str) -> Choices:
    return _entry_choices(interaction, current, honorable_only=True)


def _entry_choices(interaction: Interaction, current: str, *, honorable_only: bool) -> Choices:
    try:
        entries = chosen_list(interaction).suggest(
            current[: limits.CHOICE_VALUE], limit=limits.AUTOCOMPLETE_CHOICES, honorable_only=honorable_only
        )
    except Exception:  # an autocomplete that raises shows the member nothing at all
        log.exception("Entry autocomplete failed")
        return []
    return [app_commands.Choice(name=shorten(e.handle, limits.CHOICE_NAME), value=e.key) for e in entries]
