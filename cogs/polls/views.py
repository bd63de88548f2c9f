"""Voting components. Only ids live in the custom_id (ranked ballots in progress too), so every
button keeps working after a restart; each click is answered privately with the member's ballot.
The public poll message (and its coalesced redraw) is built here; services import this module,
never the other way round."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord

from bot.app import Interaction, Namida
from bot.components import Components
from bot.custom_ids import CustomId, Field, ascii_int, number, text
from bot.domain import limits
from bot.domain.ballots import Replace, Toggle
from bot.domain.errors import StaleComponent, UserFacingError
from bot.domain.polls import Mode, Poll
from bot.funnel import payload_data
from bot.permissions import guild_id_of
from bot.ui import FunnelledItem, on_own_private_message
from cogs.polls import render
from cogs.polls.tally import compute_result, utcnow

BUTTON_OPTIONS = 20  # four rows of five; the fifth row holds "My vote"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"  # one character per option index in custom_ids
POLL_ID = number(12)


def ranking(low: int, high: int) -> Field:
    """A ranking so far, one ``_DIGITS`` character per option."""
    return text("[0-9a-z]", low, high, "z")


def chosen_indexes(interaction: discord.Interaction) -> tuple[int, ...]:
    """The option indexes picked in a menu; a value that is not one we offered is a forged menu."""
    values = [ascii_int(value) for value in payload_data(interaction).get("values", [])]
    if None in values:
        raise StaleComponent()
    return tuple(value for value in values if value is not None)


def poll_view(poll: Poll) -> discord.ui.View:
    view = Components()
    if poll.mode is Mode.RANKED:
        view.add_item(RankStep(poll.id, ""))
    elif len(poll.options) <= BUTTON_OPTIONS:
        for option in poll.options:
            view.add_item(VoteButton(poll.id, option.index, render.option_label(poll, option.index)))
    else:
        view.add_item(VoteMenu(poll))
    view.add_item(MyVoteButton(poll.id))
    return view


async def open_poll_for(interaction: Interaction, poll_id: int) -> Poll | None:
    """The poll a click points at, after checking server, deadline and role; None once a closed
    poll's results were shown instead."""
    bot = interaction.client
    poll = await bot.polls.poll_in(guild_id_of(interaction), poll_id)
    if not poll.is_open(utcnow()):
        result = await compute_result(bot, poll)
        await interaction.response.send_message(
            "This poll is closed. Here are its results:", embed=render.results_embed(result), ephemeral=True
        )
        return None
    if poll.role_id and not any(r.id == poll.role_id for r in getattr(interaction.user, "roles", [])):
        raise UserFacingError(f"Only members with the <@&{poll.role_id}> role can vote in this poll.")
    return poll


class OpenPollItem(FunnelledItem):
    """A voting component: ``vote`` runs only for an open poll the member may vote in; a closed
    poll's components answer with its results instead."""

    poll_id: int

    async def run(self, interaction: Interaction) -> None:
        poll = await open_poll_for(interaction, self.poll_id)
        if poll is not None:
            await self.vote(interaction, poll)

    async def vote(self, interaction: Interaction, poll: Poll) -> None:
        raise NotImplementedError


async def answer_ballot(
    interaction: Interaction, poll: Poll, ballot: tuple[int, ...], *, edit: bool = False
) -> None:
    # The vote is stored: its tally refresh must not depend on the answer reaching Discord.
    refresh_poll(interaction.client, poll.id)
    text = f"Your vote: {render.ballot_text(poll, ballot)}." if ballot else "You have no vote in this poll now."
    answers = interaction.client.answers  # the fast path for the busiest answer Namida gives
    if edit:
        if not await answers.update_text(interaction, text):
            await interaction.response.edit_message(content=text, view=None)
    elif not await answers.send_text(interaction, text):
        await interaction.response.send_message(text, ephemeral=True)


class VoteButton(
    OpenPollItem,
    discord.ui.DynamicItem[discord.ui.Button],
    custom_id=CustomId("poll:{poll_id}:v:{index}", poll_id=POLL_ID, index=number(2)),
):
    def __init__(self, poll_id: int, index: int, label: str = "Vote") -> None:
        custom_id = self.ids(poll_id=poll_id, index=index)
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id))
        self.poll_id, self.index = poll_id, index

    async def vote(self, interaction: Interaction, poll: Poll) -> None:
        ballot = await interaction.client.polls.cast(poll, interaction.user.id, Toggle(self.index), utcnow())
        await answer_ballot(interaction, poll, ballot)


class VoteMenu(
    OpenPollItem, discord.ui.DynamicItem[discord.ui.Select], custom_id=CustomId("poll:{poll}:menu", poll=POLL_ID)
):
    """For polls with more options than fit as buttons: choosing sets the whole ballot."""

    def __init__(self, poll: Poll | int) -> None:
        poll_id = poll if isinstance(poll, int) else poll.id
        options = [discord.SelectOption(label="-", value="0")]
        maximum = 1
        if isinstance(poll, Poll):
            options = [
                discord.SelectOption(
                    label=render.option_label(poll, o.index, limits.SELECT_OPTION_LABEL), value=str(o.index)
                )
                for o in poll.options
            ]
            maximum = 1 if poll.mode is Mode.SINGLE else poll.max_choices
        super().__init__(
            discord.ui.Select(
                custom_id=self.ids(poll=poll_id),
                placeholder="Choose…",
                min_values=0,
                max_values=maximum,
                options=options,
            )
        )
        self.poll_id = poll_id

    async def vote(self, interaction: Interaction, poll: Poll) -> None:
        picked = chosen_indexes(interaction)
        ballot = await interaction.client.polls.cast(poll, interaction.user.id, Replace(picked), utcnow())
        await answer_ballot(interaction, poll, ballot)


class MyVoteButton(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Button],
    custom_id=CustomId("poll:{poll_id}:mine", poll_id=POLL_ID),
):
    def __init__(self, poll_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="My vote", emoji="🗳️", style=discord.ButtonStyle.primary, custom_id=self.ids(poll_id=poll_id)
            )
        )
        self.poll_id = poll_id

    async def run(self, interaction: Interaction) -> None:
        poll = await interaction.client.polls.poll_in(guild_id_of(interaction), self.poll_id)
        ballot = await interaction.client.polls.ballot_of(poll.id, interaction.user.id)
        state = "" if poll.is_open(utcnow()) else " (the poll is closed)"
        text = f"Your vote: {render.ballot_text(poll, ballot)}{state}." if ballot else f"You haven't voted{state}."
        await interaction.response.send_message(text, ephemeral=True)


def encode_ranking(ranking: tuple[int, ...]) -> str:
    return "".join(_DIGITS[i] for i in ranking)


def decode_ranking(text: str) -> tuple[int, ...]:
    return tuple(_DIGITS.index(ch) for ch in text)


class RankStep(
    OpenPollItem,
    discord.ui.DynamicItem[discord.ui.Button],
    custom_id=CustomId("poll:{poll_id}:rank:{sofar}", poll_id=POLL_ID, sofar=ranking(0, 25)),
):
    """Ranked voting, one pick at a time, in a private message: the ranking so far travels in the
    custom_id, so a half-finished ballot survives a restart and nothing is held in memory."""

    def __init__(self, poll_id: int, sofar: str, label: str = "Vote") -> None:
        style = discord.ButtonStyle.success if not sofar else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=self.ids(poll_id=poll_id, sofar=sofar)))
        self.poll_id, self.sofar = poll_id, sofar

    async def vote(self, interaction: discord.Interaction, poll: Poll) -> None:
        message = ranking_message(poll, ())
        if on_own_private_message(interaction):  # "Start over" on the member's own ballot
            await interaction.response.edit_message(**message)
        else:  # "Vote" on the public poll: a fresh private ballot, nothing else changes
            await interaction.response.send_message(**message, ephemeral=True)


class RankPick(
    OpenPollItem,
    discord.ui.DynamicItem[discord.ui.Select],
    custom_id=CustomId("poll:{poll}:pick:{sofar}", poll=POLL_ID, sofar=ranking(0, 24)),
):
    private_message_only = True

    def __init__(self, poll: Poll | int, sofar: str) -> None:
        poll_id = poll if isinstance(poll, int) else poll.id
        options = [discord.SelectOption(label="-", value="0")]
        if isinstance(poll, Poll):
            ranked = decode_ranking(sofar)
            options = [
                discord.SelectOption(
                    label=render.option_label(poll, o.index, limits.SELECT_OPTION_LABEL), value=str(o.index)
                )
                for o in poll.options
                if o.index not in ranked
            ]
        place = len(sofar) + 1
        super().__init__(
            discord.ui.Select(
                custom_id=self.ids(poll=poll_id, sofar=sofar),
                placeholder=f"Your choice number {place}…",
                options=options,
            )
        )
        self.poll_id, self.sofar = poll_id, sofar

    async def vote(self, interaction: discord.Interaction, poll: Poll) -> None:
        ranking = decode_ranking(self.sofar)
        picked = (chosen_indexes(interaction) or (-1,))[0]
        if not 0 <= picked < len(poll.options) or picked in ranking:
            raise UserFacingError("That option isn't available in this step; press Start over.")
        await interaction.response.edit_message(**ranking_message(poll, (*ranking, picked)))


class RankDone(
    OpenPollItem,
    discord.ui.DynamicItem[discord.ui.Button],
    custom_id=CustomId("poll:{poll_id}:done:{sofar}", poll_id=POLL_ID, sofar=ranking(1, 25)),
):
    private_message_only = True

    def __init__(self, poll_id: int, sofar: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Cast my ballot",
                style=discord.ButtonStyle.success,
                custom_id=self.ids(poll_id=poll_id, sofar=sofar),
            )
        )
        self.poll_id, self.sofar = poll_id, sofar

    async def vote(self, interaction: Interaction, poll: Poll) -> None:
        ranking = decode_ranking(self.sofar)
        ballot = await interaction.client.polls.cast(poll, interaction.user.id, Replace(ranking), utcnow())
        await answer_ballot(interaction, poll, ballot, edit=True)


def ranking_message(poll: Poll, ranking: tuple[int, ...]) -> dict:
    view = Components()
    sofar = encode_ranking(ranking)
    if len(ranking) < len(poll.options):
        view.add_item(RankPick(poll, sofar))
    if ranking:
        view.add_item(RankDone(poll.id, sofar))
        view.add_item(RankStep(poll.id, "", label="Start over"))
    text = "Rank the options: pick your favourite first, then the next, as far as you like."
    if ranking:
        text = f"Your ranking so far: {render.ballot_text(poll, ranking)}.\nPick the next one, or cast your ballot."
    return {"content": text, "view": view}


async def poll_message(bot: Namida, poll: Poll, now: datetime) -> dict[str, Any]:
    return {"embed": render.poll_embed(poll, await compute_result(bot, poll), now), "view": poll_view(poll)}


def refresh_poll(bot: Namida, poll_id: int) -> None:
    """Ask for the public poll message to show the current tally (at most one edit per interval)."""

    async def edit() -> None:
        poll = await bot.polls.poll(poll_id)
        if poll is None or poll.message_id is None:
            return
        message = bot.get_partial_messageable(poll.channel_id).get_partial_message(poll.message_id)
        await message.edit(**await poll_message(bot, poll, utcnow()))

    bot.refresher.request(("poll", poll_id), edit)


DYNAMIC_ITEMS = (VoteButton, VoteMenu, MyVoteButton, RankStep, RankPick, RankDone)
