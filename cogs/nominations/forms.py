"""The nomination form (and its edit twin). The list's rules appear as field descriptions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import discord

from bot.app import Interaction
from bot.components import Components
from bot.domain import limits
from bot.domain.anime import Anime, episode_problem
from bot.domain.catalog import TopList
from bot.domain.errors import UserFacingError
from bot.domain.guild_settings import GuildSettings
from bot.domain.nomination_changes import LIVE
from bot.domain.nominations import (
    ASKED_FORMATS,
    EPISODE_MAX,
    MOMENT_MAX,
    WHAT_HAPPENS_MAX,
    WHY_MAX,
    AlreadyNominated,
    Draft,
    Format,
    Nomination,
    check_rules,
    list_place,
    make_draft,
)
from bot.domain.spoilers import inert, shorten
from bot.funnel import typed_text_reply
from bot.permissions import guild_id_of
from bot.ui import NamidaModal
from cogs.nominations import render, service
from cogs.nominations.views import SecondButton, refresh_post


def _field(label: str, rule: str | None, **text_input: Any) -> discord.ui.Label:
    description = shorten(rule, limits.SELECT_OPTION_DESCRIPTION) if rule else None
    return discord.ui.Label(text=label, description=description, component=discord.ui.TextInput(**text_input))


def _typed(field: discord.ui.Label) -> str:
    """What the member typed into a ``_field`` (discord.py types a label's component as any item)."""
    return cast(discord.ui.TextInput, field.component).value


class NominationForm(NamidaModal):
    one_per_member = True  # the nominate and edit forms alike

    def __init__(
        self,
        top_list: TopList,
        settings: GuildSettings,
        show: str,
        known_format: Format | None,
        current: Nomination | None = None,
        *,
        anime: Anime | None = None,  # the show's catalogue entry, when it is one for sure
    ) -> None:
        heading = "Edit your nomination" if current else "Nominate a moment"
        if not settings.show_titles_are_spoilers and not current:
            heading = f"Nominate: {inert(show)}"
        super().__init__(title=shorten(heading, limits.MODAL_TITLE))
        self.top_list, self.settings, self.show, self.current = top_list, settings, show, current
        self.known_format = known_format
        self.anime = anime
        rules = top_list.rules
        self.moment = _field(
            "The moment (hidden as a spoiler)",
            rules.contained_scene,
            max_length=MOMENT_MAX,
            default=current.moment.reveal() if current else None,
        )
        self.episode = _field(
            "Episode (optional)",
            None,
            required=False,
            max_length=EPISODE_MAX,
            placeholder="A number like 12, or season and episode like 2x05",
            default=current.episode if current else None,
        )
        self.what = _field(
            "What happens",
            rules.pathos,
            style=discord.TextStyle.paragraph,
            max_length=WHAT_HAPPENS_MAX,
            default=current.what_happens.reveal() if current else None,
        )
        self.why = _field(
            "Why it moved you",
            None,
            style=discord.TextStyle.paragraph,
            max_length=WHY_MAX,
            default=current.why.reveal() if current else None,
        )
        for item in (self.moment, self.episode, self.what, self.why):
            self.add_item(item)
        self.format_menu: discord.ui.Select | None = None
        if known_format is None:
            self.format_menu = discord.ui.Select(
                options=[discord.SelectOption(label=fmt.label, value=fmt.value) for fmt in ASKED_FORMATS]
            )
            self.add_item(
                discord.ui.Label(
                    text="What kind of show is it?",
                    description=shorten(rules.series_only, 100),
                    component=self.format_menu,
                )
            )

    def _format(self) -> Format:
        if self.known_format is not None:
            return self.known_format
        chosen = self.format_menu.values if self.format_menu else []
        asked = {fmt.value: fmt for fmt in ASKED_FORMATS}  # a forged value is "not sure", never a series
        return asked.get(chosen[0], Format.UNKNOWN) if chosen else Format.UNKNOWN

    # discord.py's Modal is not generic in the client, so no override may name one; only Namida shows this form.
    async def on_submit(self, interaction: Interaction) -> None:  # type: ignore[override]
        draft = make_draft(
            self.show,
            _typed(self.moment),
            _typed(self.episode),
            _typed(self.what),
            _typed(self.why),
            self._format(),
        )
        episode = draft.episode or ""
        if self.anime is not None and episode.isdigit() and (problem := episode_problem(self.anime, int(episode))):
            raise UserFacingError(problem, draft.texts())
        if self.current is not None:
            await self._save_edit(interaction, self.current, draft)
            return
        checked = check_rules(draft, self.top_list, self.settings, self.anime)
        bot = interaction.client
        try:
            nomination = await bot.nominations.add_nomination(
                guild_id_of(interaction),
                self.top_list.id,
                interaction.user.id,
                checked,
                self.settings,
                datetime.now(UTC),
            )
        except AlreadyNominated as duplicate:
            await _offer_second(interaction, duplicate, self.settings)
            return
        except UserFacingError as refused:  # e.g. storage trouble: give the member their words back
            refused.typed = refused.typed or draft.texts()
            raise
        text = f"Thank you! **{render.title(nomination, self.settings)}** is saved and waiting for a moderator."
        entry = self.top_list.entry(checked.represented_by) if checked.represented_by else None
        if entry is not None:
            place = list_place(entry, self.settings.show_titles_are_spoilers)
            text += f" Note: the show is already on the list as **{place}**; it's marked as such."
        await interaction.response.send_message(text, ephemeral=True)
        problem = await service.post_nomination(bot, nomination, self.settings)
        if problem:
            await interaction.followup.send(
                f"Your nomination is safe, but I couldn't post it. {problem}", ephemeral=True
            )
        await service.announce_for_review(bot, nomination, self.settings)

    async def _save_edit(self, interaction: Interaction, current: Nomination, draft: Draft) -> None:
        store = interaction.client.nominations
        try:
            edited = await store.edit_nomination(current.id, interaction.user.id, draft, datetime.now(UTC))
        except AlreadyNominated as duplicate:
            await _offer_second(interaction, duplicate, self.settings)
            return
        edits = await store.edit_count(edited.id)
        await interaction.response.send_message(
            f"Updated **{render.title(edited, self.settings)}** (edit {edits}; earlier versions are kept).",
            ephemeral=True,
        )
        refresh_post(interaction.client, edited)


async def _offer_second(interaction: discord.Interaction, duplicate: AlreadyNominated, settings: GuildSettings) -> None:
    existing = duplicate.existing
    name = render.title(existing, settings)
    view = Components()
    if existing.status not in LIVE:
        text = f"**{name}** already nominated that moment and it was {existing.status.value}, so I didn't save a copy."
    elif existing.author_id == interaction.user.id:
        text = f"**{name}** already nominates that moment, and it's yours."
    else:
        view.add_item(SecondButton(existing.id))
        text = f"**{name}** already nominates that moment, so I didn't save a copy."
        text += " Press **Second** to support it instead."
    await interaction.response.send_message(text, **typed_text_reply(list(duplicate.typed)), view=view, ephemeral=True)
