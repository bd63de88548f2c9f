"""Base classes that send component and modal errors to the same funnel as commands.

discord.py only logs an exception raised by a ``DynamicItem`` (the member would see "This
interaction failed"), and view/modal errors never reach the tree's handler.
"""

from __future__ import annotations

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


class NamidaView(discord.ui.View):
    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item
    ) -> None:
        await report(interaction, error)


class NamidaModal(discord.ui.Modal):
    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report(interaction, error)
