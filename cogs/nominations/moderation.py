"""The review queue's actions: approve, reject (with a reason) and merge into another nomination.
Each re-checks the moderator at run time, including on modal submit."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot.custom_ids import ascii_int
from bot.domain.errors import UserFacingError
from bot.domain.nominations import REASON_MAX, GuildSettings, Nomination, Status
from bot.domain.spoilers import plain
from bot.permissions import require_moderator
from bot.ui import NamidaModal
from cogs.nominations import render, service
from cogs.nominations.views import review_message


async def approve(interaction: discord.Interaction, nomination: Nomination, settings: GuildSettings) -> None:
    done = await interaction.client.nominations.change_status(
        nomination.id, Status.APPROVED, interaction.user.id, datetime.now(UTC)
    )
    await _after_decision(interaction, done, settings, "approved", "It's now a candidate for the community polls.")


async def reject(interaction: discord.Interaction, nomination: Nomination, settings: GuildSettings) -> None:
    await RejectForm(nomination, settings).send_to(interaction)


async def merge(interaction: discord.Interaction, nomination: Nomination, settings: GuildSettings) -> None:
    await MergeForm(nomination, settings).send_to(interaction)


async def current_moderator_settings(interaction: discord.Interaction) -> GuildSettings:
    """Settings as they are now: a member whose role was removed while the form was open is refused."""
    settings = await interaction.client.nominations.guild_settings(interaction.guild_id)
    require_moderator(interaction, settings)
    return settings


FORM_TIMEOUT = 15 * 60  # a form nobody submits is forgotten with the interaction that opened it
ACTIONS = {"approve": approve, "reject": reject, "merge": merge}


async def _after_decision(
    interaction: discord.Interaction, nomination: Nomination, settings: GuildSettings, outcome: str, detail: str
) -> None:
    """Show the moderator the next pending nomination, then tell the author and refresh the post."""
    bot = interaction.client
    name = render.title(nomination, settings)
    following = await bot.nominations.oldest_pending(nomination.guild_id)
    message = review_message(following, settings)
    message["content"] = f"**{name}** was {outcome}. " + message["content"]
    await interaction.response.edit_message(**message)
    await service.tell_author(bot, nomination, f"Your nomination **{name}** was {outcome}. {detail}")
    service.refresh_post(bot, nomination)


class RejectForm(NamidaModal):
    reason = discord.ui.TextInput(
        label="Why isn't it accepted?", style=discord.TextStyle.paragraph, max_length=REASON_MAX, required=True
    )

    def __init__(self, nomination: Nomination, settings: GuildSettings) -> None:
        super().__init__(title=render.label(nomination, settings, 32)[:32] + " · reject", timeout=FORM_TIMEOUT)
        self.nomination, self.settings = nomination, settings

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.settings = await current_moderator_settings(interaction)
        reason = self.reason.value.strip()
        if not reason:
            raise UserFacingError("Please give a reason: the member will read it.")
        done = await interaction.client.nominations.change_status(
            self.nomination.id, Status.REJECTED, interaction.user.id, datetime.now(UTC), reason=reason
        )
        said = f"The moderators said: {plain(reason, REASON_MAX * 2)}"
        await _after_decision(interaction, done, self.settings, "not accepted", said)


class MergeForm(NamidaModal):
    target = discord.ui.TextInput(label="Merge into nomination number", placeholder="e.g. 12", max_length=9)

    def __init__(self, nomination: Nomination, settings: GuildSettings) -> None:
        super().__init__(title=render.label(nomination, settings, 33)[:33] + " · merge", timeout=FORM_TIMEOUT)
        self.nomination, self.settings = nomination, settings

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.settings = await current_moderator_settings(interaction)
        number = ascii_int(self.target.value.strip().lstrip("#"))
        if number is None:
            raise UserFacingError("Type the number of the nomination to merge into, like `12`.")
        store = interaction.client.nominations
        target = await store.by_number(self.nomination.guild_id, number)
        merged_into = await store.merge(self.nomination.id, target.id, interaction.user.id, datetime.now(UTC))
        outcome = f"merged into **{render.title(merged_into, self.settings)}**"
        await _after_decision(interaction, self.nomination, self.settings, outcome, "It counts as your second there.")
        service.refresh_post(interaction.client, merged_into)
