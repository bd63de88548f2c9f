"""The review queue (its message and buttons) and its actions: approve (confirming the public
show title), reject (with a reason) and merge into another nomination. Each re-checks the
moderator at run time, including on modal submit, and acts only on the version of the nomination
the moderator was shown."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot.app import Interaction
from bot.components import Components
from bot.custom_ids import CustomId, ascii_int, one_of
from bot.custom_ids import number as digits
from bot.domain.errors import UserFacingError
from bot.domain.guild_settings import GuildSettings
from bot.domain.nomination_changes import NominationNotOpen
from bot.domain.nominations import (
    REASON_MAX,
    SHOW_MAX,
    Nomination,
    NominationChanged,
    Status,
    check_revision,
    confirm_show_title,
)
from bot.domain.spoilers import inert, plain
from bot.permissions import guild_id_of, require_moderator
from bot.ui import FunnelledItem, NamidaModal
from cogs.nominations import render, service
from cogs.nominations.views import NOMINATION_ID, RevealNominationButton, nomination_here, refresh_post

FORM_TIMEOUT = 15 * 60  # a form nobody submits is forgotten with the interaction that opened it


async def decide(
    interaction: discord.Interaction, action: str, nomination: Nomination, settings: GuildSettings, revision: int
) -> None:
    """A review button: refused (with the new version shown) if the author edited it since."""
    try:
        check_revision(nomination, revision)
        if nomination.status is not Status.PENDING:
            raise NominationNotOpen(nomination, {"approve": "approved", "reject": "rejected"}.get(action, "merged"))
        form = {"approve": ApproveForm, "reject": RejectForm, "merge": MergeForm}[action]
        await form(nomination, settings, revision).send_to(interaction)
    except NominationChanged as changed:
        await show_new_version(interaction, changed, settings)


async def show_new_version(
    interaction: discord.Interaction, changed: NominationChanged, settings: GuildSettings
) -> None:
    """Replace the moderator's (private) review message by the nomination as it is now."""
    message = review_message(changed.current, settings)
    message["content"] = f"⚠️ {changed.message}"
    await interaction.response.edit_message(**message)


async def current_moderator_settings(interaction: Interaction) -> GuildSettings:
    """Settings as they are now: a member whose role was removed while the form was open is refused."""
    settings = await interaction.client.guild_settings.get(guild_id_of(interaction))
    require_moderator(interaction, settings)
    return settings


async def _after_decision(
    interaction: Interaction, nomination: Nomination, settings: GuildSettings, outcome: str, detail: str
) -> None:
    """Show the moderator the next pending nomination, then tell the author and refresh the post."""
    bot = interaction.client
    name = render.title(nomination, settings)
    following = await bot.nominations.oldest_pending(nomination.guild_id)
    message = review_message(following, settings)
    message["content"] = f"**{name}** was {outcome}. " + message["content"]
    await interaction.response.edit_message(**message)
    await service.tell_author(bot, nomination, f"Your nomination **{name}** was {outcome}. {detail}")
    refresh_post(bot, nomination)


def review_message(nomination: Nomination | None, settings: GuildSettings) -> dict:
    """The review queue's message: the nomination as it is now, and buttons bound to this version."""
    if nomination is None:
        return {"content": "No nominations are waiting for review. 🎉", "embed": None, "view": None}
    view = Components()
    for action in ("approve", "reject", "merge"):
        view.add_item(ReviewButton(nomination.id, nomination.revision, action))
    view.add_item(RevealNominationButton(nomination.id))
    embed = render.nomination_embed(nomination, settings)
    if nomination.revision > 1:
        embed.set_author(name=f"Edited by its author ({nomination.revision - 1} edit(s))")
    return {"content": "Oldest nomination waiting for review:", "embed": embed, "view": view}


REVIEW_STYLES = {
    "approve": ("Approve…", discord.ButtonStyle.success),
    "reject": ("Reject…", discord.ButtonStyle.danger),
    "merge": ("Merge into…", discord.ButtonStyle.secondary),
}


class ReviewButton(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Button],
    # The revision is the version the moderator was shown; buttons from before revisions existed
    # match no template and get the stale-component answer.
    custom_id=CustomId(
        "nomrev:{nomination_id}:r{revision}:{action}",
        nomination_id=NOMINATION_ID,
        revision=digits(9),
        action=one_of("approve", "reject", "merge"),
    ),
):
    private_message_only = True

    def __init__(self, nomination_id: int, revision: int, action: str) -> None:
        text, style = REVIEW_STYLES[action]
        custom_id = self.ids(nomination_id=nomination_id, revision=revision, action=action)
        super().__init__(discord.ui.Button(label=text, style=style, custom_id=custom_id))
        self.nomination_id, self.revision, self.action = nomination_id, revision, action

    async def run(self, interaction: Interaction) -> None:
        nomination, settings = await nomination_here(interaction, self.nomination_id)
        require_moderator(interaction, settings)
        await decide(interaction, self.action, nomination, settings, self.revision)


class ReviewForm(NamidaModal):
    """A review form remembers the version it was opened on; its custom_id says so too."""

    action = ""

    def __init__(self, nomination: Nomination, settings: GuildSettings, revision: int, suffix: str) -> None:
        title = render.label(nomination, settings, 45 - len(suffix)) + suffix
        purpose = f"{self.action}:{nomination.id}:r{revision}:"
        super().__init__(title=title, timeout=FORM_TIMEOUT, purpose=purpose)
        self.nomination, self.settings, self.revision = nomination, settings, revision

    # discord.py's Modal is not generic in the client, so no override may name one; only Namida shows this form.
    async def on_submit(self, interaction: Interaction) -> None:  # type: ignore[override]
        self.settings = await current_moderator_settings(interaction)
        try:
            await self.decide(interaction)
        except NominationChanged as changed:
            await show_new_version(interaction, changed, self.settings)

    async def decide(self, interaction: Interaction) -> None:
        raise NotImplementedError


class ApproveForm(ReviewForm):
    action = "approve"

    def __init__(self, nomination: Nomination, settings: GuildSettings, revision: int) -> None:
        super().__init__(nomination, settings, revision, " · approve")
        # Pre-filled with what the member typed, without markup: the moderator confirms or corrects it.
        typed = nomination.public_show or inert(nomination.show, SHOW_MAX) or None
        self.show_title: discord.ui.TextInput = discord.ui.TextInput(max_length=SHOW_MAX, default=typed)
        self.add_item(
            discord.ui.Label(
                text="Public show title",
                description="Shown on posts, buttons and polls. The member typed it: correct anything that spoils.",
                component=self.show_title,
            )
        )

    async def decide(self, interaction: Interaction) -> None:
        public_show = confirm_show_title(self.show_title.value)
        done = await interaction.client.nominations.change_status(
            self.nomination.id,
            Status.APPROVED,
            interaction.user.id,
            datetime.now(UTC),
            seen_revision=self.revision,
            public_show=public_show,
        )
        await _after_decision(
            interaction, done, self.settings, "approved", "It's now a candidate for the community polls."
        )


class RejectForm(ReviewForm):
    action = "reject"
    reason: discord.ui.TextInput = discord.ui.TextInput(
        label="Why isn't it accepted?", style=discord.TextStyle.paragraph, max_length=REASON_MAX, required=True
    )

    def __init__(self, nomination: Nomination, settings: GuildSettings, revision: int) -> None:
        super().__init__(nomination, settings, revision, " · reject")

    async def decide(self, interaction: Interaction) -> None:
        reason = self.reason.value.strip()
        if not reason:
            raise UserFacingError("Please give a reason: the member will read it.")
        done = await interaction.client.nominations.change_status(
            self.nomination.id,
            Status.REJECTED,
            interaction.user.id,
            datetime.now(UTC),
            reason=reason,
            seen_revision=self.revision,
        )
        said = f"The moderators said: {plain(reason, REASON_MAX * 2)}"
        await _after_decision(interaction, done, self.settings, "not accepted", said)


class MergeForm(ReviewForm):
    action = "merge"
    target: discord.ui.TextInput = discord.ui.TextInput(
        label="Merge into nomination number", placeholder="e.g. 12", max_length=9
    )

    def __init__(self, nomination: Nomination, settings: GuildSettings, revision: int) -> None:
        super().__init__(nomination, settings, revision, " · merge")

    async def decide(self, interaction: Interaction) -> None:
        number = ascii_int(self.target.value.strip().lstrip("#"))
        if number is None:
            raise UserFacingError("Type the number of the nomination to merge into, like `12`.")
        store = interaction.client.nominations
        target = await store.by_number(self.nomination.guild_id, number)
        merged_into = await store.merge(
            self.nomination.id, target.id, interaction.user.id, datetime.now(UTC), seen_revision=self.revision
        )
        outcome = f"merged into **{render.title(merged_into, self.settings)}**"
        await _after_decision(interaction, self.nomination, self.settings, outcome, "It counts as your second there.")
        refresh_post(interaction.client, merged_into)


DYNAMIC_ITEMS = (ReviewButton,)
