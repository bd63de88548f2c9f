"""Base classes that send component and modal errors to the same funnel as commands.

discord.py only logs an exception raised by a ``DynamicItem`` (the member would see "This
interaction failed"), and view/modal errors never reach the tree's handler.
"""

from __future__ import annotations

import secrets

import discord

from bot.funnel import report


class FunnelledItem:
    """Mix in before ``discord.ui.DynamicItem``: implement ``run`` instead of ``callback``.

    ``from_custom_id`` should only parse ids; resolving them belongs in ``run`` so that a stale id
    becomes a friendly message rather than a silent failure.
    """

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self.run(interaction)
        except Exception as error:  # noqa: BLE001 - every failure goes to the funnel
            await report(interaction, error)

    async def run(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError


FORM_PREFIX = "form:"


class NamidaModal(discord.ui.Modal):
    """Forms live in memory while open; ``live`` lets the bot recognise a form that outlived its
    process (a restart) and answer it instead of leaving the member with a silent failure."""

    live: dict[str, NamidaModal] = {}

    def __init__(self, *, title: str, timeout: float | None = 15 * 60, purpose: str = "") -> None:
        # ``purpose``: what the form acts on (ids, a revision), readable in its custom_id (≤ 100 chars).
        custom_id = FORM_PREFIX + purpose + secrets.token_hex(8)
        super().__init__(title=title, timeout=timeout, custom_id=custom_id)
        NamidaModal.live[self.custom_id] = self

    def stop(self) -> None:
        NamidaModal.live.pop(self.custom_id, None)
        super().stop()

    async def on_timeout(self) -> None:
        NamidaModal.live.pop(self.custom_id, None)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report(interaction, error)


def submitted_text(data: dict) -> list[str]:
    """Every text a member typed into a submitted form, in order (for echoing it back)."""
    found: list[str] = []
    for entry in data.get("components", []):
        for field in [entry.get("component")] + list(entry.get("components", [])):
            if isinstance(field, dict) and isinstance(field.get("value"), str) and field["value"].strip():
                found.append(field["value"])
    return found


EXPIRED_FORM = "That form expired (Namida restarted, or it stayed open too long), so nothing was saved."
