"""Autocomplete for list and entry parameters: handles only, never a spoiler, never raises."""

from __future__ import annotations

import logging

from discord import app_commands

from bot.app import Interaction
from bot.domain import limits
from bot.domain.catalog import TopList
from bot.domain.errors import UnknownList
from bot.domain.spoilers import shorten
from bot.server_list_lookup import find_list, list_choices

log = logging.getLogger(__name__)
Choices = list[app_commands.Choice[str]]


def chosen_list(interaction: Interaction) -> TopList:
    """The shipped list named in the interaction's ``list`` option, falling back to the default
    list while the member is still typing it."""
    catalog = interaction.client.catalog
    try:
        return catalog.get(getattr(interaction.namespace, "list", None))
    except UnknownList:
        return catalog.default


async def chosen_any_list(interaction: Interaction) -> TopList:
    """Like ``chosen_list``, but this server's own lists count too."""
    client = interaction.client
    try:
        return await find_list(client, interaction.guild_id, getattr(interaction.namespace, "list", None))
    except UnknownList:
        return client.catalog.default


async def list_autocomplete(interaction: Interaction, current: str) -> Choices:
    """The shipped lists only (for commands that work on them alone: nominating, polls)."""
    lists = interaction.client.catalog.suggest(current, limits.AUTOCOMPLETE_CHOICES)
    return [app_commands.Choice(name=shorten(t.title, limits.CHOICE_NAME), value=t.id) for t in lists]


async def any_list_autocomplete(interaction: Interaction, current: str) -> Choices:
    """The shipped lists and this server's own lists (never another server's)."""
    try:
        found = await list_choices(interaction.client, interaction.guild_id, current[: limits.CHOICE_VALUE])
    except Exception:  # an autocomplete that raises shows the member nothing at all
        log.exception("List autocomplete failed")
        return []
    return [
        app_commands.Choice(name=shorten(title, limits.CHOICE_NAME), value=list_id)
        for list_id, title in found[: limits.AUTOCOMPLETE_CHOICES]
    ]


async def entry_autocomplete(interaction: Interaction, current: str) -> Choices:
    return await _entry_choices(interaction, current, honorable_only=False)


async def honorable_autocomplete(interaction: Interaction, current: str) -> Choices:
    return await _entry_choices(interaction, current, honorable_only=True)


async def _entry_choices(interaction: Interaction, current: str, *, honorable_only: bool) -> Choices:
    try:
        entries = (await chosen_any_list(interaction)).suggest(
            current[: limits.CHOICE_VALUE], limit=limits.AUTOCOMPLETE_CHOICES, honorable_only=honorable_only
        )
    except Exception:  # an autocomplete that raises shows the member nothing at all
        log.exception("Entry autocomplete failed")
        return []
    return [app_commands.Choice(name=shorten(e.handle, limits.CHOICE_NAME), value=e.key) for e in entries]
