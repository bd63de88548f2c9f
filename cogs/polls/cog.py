"""/poll …: moderators start, close, reopen, extend and export polls; everyone reads results."""

from __future__ import annotations

import io
import math
import time
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Interaction, Namida
from bot.channels import channel_problem
from bot.domain import limits
from bot.domain.errors import UserFacingError
from bot.domain.nominations import public_handle
from bot.domain.poll_schedule import plan_timing
from bot.domain.polls import (
    HONORABLE_QUESTION,
    MAX_DURATION,
    MAX_OPTIONS,
    MIN_OPTIONS,
    NOMINATIONS_QUESTION,
    OPTION_LABEL_MAX,
    QUESTION_MAX,
    Kind,
    Mode,
    Poll,
    PollOption,
    format_duration,
    parse_duration,
)
from bot.domain.spoilers import inert, shorten
from bot.domain.text import compact
from bot.list_choices import list_autocomplete
from bot.permissions import GuildOnly, can_view_channel, guild_id_of, require_moderator
from bot.results_files import csv_file_name, results_csv
from bot.storage.polls import NewPoll, PollGone
from cogs.polls import planning, render, schedule, service, voter_pages
from cogs.polls.planning import PLANNING_HELP, Plan
from cogs.polls.service import PollCloser
from cogs.polls.tally import compute_result, utcnow
from cogs.polls.views import refresh_poll

CHART_COOLDOWN = 10.0  # seconds between two charts of open polls for one member


class MemberCooldown:
    """At most one use per member every ``seconds``; remembers only members seen within it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._last: dict[int, float] = {}

    def check(self, member_id: int) -> None:
        now = time.monotonic()
        self._last = {m: t for m, t in self._last.items() if now - t < self.seconds}
        if member_id in self._last:
            wait = math.ceil(self.seconds - (now - self._last[member_id]))
            raise UserFacingError(f"I just drew a chart for you: try again in {wait} s.")
        self._last[member_id] = now


ModeChoice = Literal["single", "approval", "ranked"]
StatusChoice = Literal["open", "closed", "any"]
COMMON_HELP = {
    "duration": "How long it runs: 30m, 2h, 3d… (1 minute to 32 days; default 24h)",
    "mode": "single (default), approval (pick up to max_choices) or ranked (instant runoff)",
    "max_choices": "For approval polls: how many options a member may pick",
    "hide_results": "Show no tally until the poll closes",
    "anonymous": "Nobody can see who voted what (default: yes)",
    "role": "Only members with this role may vote",
    "channel": "Where to post it (default: the poll channel, or here)",
    **PLANNING_HELP,
}


async def visible_poll(interaction: Interaction, poll_id: int) -> Poll:
    """The poll, if the member may read the channel it was posted in; otherwise it does not exist
    for them (the same answer as an unknown poll, so its existence is not revealed either)."""
    poll = await interaction.client.polls.poll_in(guild_id_of(interaction), poll_id)
    if not can_view_channel(interaction, poll.channel_id):
        raise PollGone()
    if poll.scheduled:
        raise UserFacingError(
            f"**{poll.handle}** hasn't started yet: it opens {render.timestamp(poll.starts_at or poll.created_at)}. "
            "`/poll cancel` drops it."
        )
    return poll


async def visible_polls(interaction: Interaction, *, open_only: bool | None = None) -> list[Poll]:
    polls = await interaction.client.polls.recent(guild_id_of(interaction), open_only=open_only, limit=100)
    return [poll for poll in polls if can_view_channel(interaction, poll.channel_id)]


async def poll_autocomplete(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
    if interaction.guild_id is None:
        return []
    polls = await visible_polls(interaction)
    wanted = compact(current.lstrip("#"))
    now = utcnow()
    choices = []
    for poll in polls:
        status = "scheduled" if poll.scheduled else "open" if poll.is_open(now) else "closed"
        name = f"{poll.handle} · {inert(poll.question)} ({status})"
        if not wanted or wanted in compact(name):
            choices.append(app_commands.Choice(name=shorten(name, limits.CHOICE_NAME), value=poll.id))
    return choices[: limits.AUTOCOMPLETE_CHOICES]


@app_commands.guild_only()
class Polls(commands.GroupCog, group_name="poll", group_description="Community polls"):
    def __init__(self, bot: Namida) -> None:
        self.bot = bot
        self.closer = PollCloser(bot)
        self.chart_cooldown = MemberCooldown(CHART_COOLDOWN)
        super().__init__()

    async def cog_load(self) -> None:
        self.closer.start()

    async def cog_unload(self) -> None:
        await self.closer.stop()

    # -- starting -----------------------------------------------------------------------------

    @app_commands.command(name="honorable", description="Moderators: which honorable mention deserved a top-10 slot?")
    @app_commands.rename(list_id="list")
    @app_commands.describe(list_id="Which list (default: the first)", **COMMON_HELP)
    @app_commands.autocomplete(list_id=list_autocomplete)
    async def honorable(
        self, interaction: discord.Interaction, list_id: app_commands.Range[str, 1, 100] | None = None,
        duration: app_commands.Range[str, 1, 40] = "24h", mode: ModeChoice = "single",
        max_choices: app_commands.Range[int, 1, 25] = 2, hide_results: bool = False, anonymous: bool = True,
        role: discord.Role | None = None, channel: discord.TextChannel | None = None,
        starts_in: app_commands.Range[str, 1, 40] | None = None, ping: discord.Role | None = None,
        remind: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:  # fmt: skip
        top_list = self.bot.catalog.get(list_id)
        options = [PollOption(i, shorten(e.show, OPTION_LABEL_MAX), e.key) for i, e in enumerate(top_list.honorable)]
        await self._start(interaction, Kind.HONORABLE, HONORABLE_QUESTION, options, top_list.id, duration, mode,
                          max_choices, hide_results, anonymous, role, channel,
                          Plan(starts_in, ping, remind))  # fmt: skip

    @app_commands.command(name="nominations", description="Moderators: a poll over the approved nominations")
    @app_commands.describe(
        count="How many of the most-seconded approved nominations (2 to 25; default 10)", **COMMON_HELP
    )
    async def nominations(
        self, interaction: discord.Interaction, count: app_commands.Range[int, 2, 25] = 10,
        duration: app_commands.Range[str, 1, 40] = "24h", mode: ModeChoice = "single",
        max_choices: app_commands.Range[int, 1, 25] = 2, hide_results: bool = False, anonymous: bool = True,
        role: discord.Role | None = None, channel: discord.TextChannel | None = None,
        starts_in: app_commands.Range[str, 1, 40] | None = None, ping: discord.Role | None = None,
        remind: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:  # fmt: skip
        guild_id = guild_id_of(interaction)
        settings = await self.bot.guild_settings.get(guild_id)
        approved = await self.bot.nominations.approved(guild_id, count)
        if len(approved) < MIN_OPTIONS:
            raise UserFacingError("A nominations poll needs at least two approved nominations: review some first.")
        spoilers = settings.show_titles_are_spoilers
        options = [
            PollOption(i, shorten(public_handle(n, spoilers), OPTION_LABEL_MAX), str(n.id))
            for i, n in enumerate(approved)
        ]
        await self._start(interaction, Kind.NOMINATIONS, NOMINATIONS_QUESTION, options, None, duration, mode,
                          max_choices, hide_results, anonymous, role, channel,
                          Plan(starts_in, ping, remind))  # fmt: skip

    @app_commands.command(name="custom", description="Moderators: a free community poll")
    @app_commands.describe(question="The question", options="2 to 25 options separated by ;", **COMMON_HELP)
    async def custom(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, QUESTION_MAX],
        options: app_commands.Range[str, 3, 2000], duration: app_commands.Range[str, 1, 40] = "24h",
        mode: ModeChoice = "single", max_choices: app_commands.Range[int, 1, 25] = 2, hide_results: bool = False,
        anonymous: bool = True, role: discord.Role | None = None, channel: discord.TextChannel | None = None,
        starts_in: app_commands.Range[str, 1, 40] | None = None, ping: discord.Role | None = None,
        remind: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:  # fmt: skip
        labels = [inert(part) for part in options.split(";")]
        labels = [label for label in labels if label]
        if not MIN_OPTIONS <= len(labels) <= MAX_OPTIONS:
            raise UserFacingError(f"Give 2 to 25 options separated by `;` (I found {len(labels)}).")
        if any(len(label) > OPTION_LABEL_MAX for label in labels):
            raise UserFacingError(f"Keep each option under {OPTION_LABEL_MAX} characters.")
        if len({compact(label) for label in labels}) < len(labels):
            raise UserFacingError("Two options are the same; make each one different.")
        if not inert(question).strip():
            raise UserFacingError("The question can't be empty.")
        poll_options = [PollOption(i, label) for i, label in enumerate(labels)]
        await self._start(interaction, Kind.CUSTOM, question.strip(), poll_options, None, duration, mode,
                          max_choices, hide_results, anonymous, role, channel,
                          Plan(starts_in, ping, remind))  # fmt: skip

    async def _start(
        self, interaction: discord.Interaction, kind: Kind, question: str, options: list[PollOption],
        list_id: str | None, duration: str, mode: str, max_choices: int, hide_results: bool, anonymous: bool,
        role: discord.Role | None, channel: discord.TextChannel | None, plan: Plan,
    ) -> None:  # fmt: skip
        guild_id = guild_id_of(interaction)
        settings = await self.bot.guild_settings.get(guild_id)
        require_moderator(interaction, settings)
        length = parse_duration(duration)
        now = utcnow()
        timing = plan_timing(now, length, plan.starts_in, plan.remind)
        chosen_mode = Mode(mode)
        if len(options) < MIN_OPTIONS:
            raise UserFacingError("A poll needs at least two options.")
        picks = 1 if chosen_mode is Mode.SINGLE else min(max_choices, len(options))
        target = channel.id if channel else settings.poll_channel_id or interaction.channel_id
        if target is None:  # Discord names the channel of every command used in a server
            raise GuildOnly()
        problem = channel_problem(self.bot, target, "poll")
        if problem:
            raise UserFacingError(problem)
        warning = planning.ping_warning(interaction, plan.ping, target)
        await interaction.response.defer(ephemeral=True, thinking=True)
        poll = await self.bot.polls.create_poll(
            NewPoll(guild_id, target, kind, list_id, question, tuple(options), chosen_mode, picks, hide_results,
                    anonymous, role.id if role else None, interaction.user.id, timing.closes_at,
                    starts_at=timing.starts_at, ping_role_id=plan.ping.id if plan.ping else None,
                    remind_before=timing.remind_before),
            now,
        )  # fmt: skip
        if poll.scheduled:
            self.closer.wake()
            await interaction.followup.send(planning.scheduled_text(poll, length, warning), ephemeral=True)
            return
        try:
            message = await self.bot.get_partial_messageable(target).send(
                **await schedule.opening_message(self.bot, poll, now)
            )
        except discord.HTTPException as error:
            await self.bot.polls.close(poll.id, now)
            await self.bot.polls.set_results_message(poll.id, service.NOT_POSTED)
            raise UserFacingError(
                f"Discord refused my post in <#{target}> (HTTP {error.status}); the poll was cancelled."
            ) from error
        await self.bot.polls.set_message(poll.id, target, message.id)
        self.closer.wake()
        await interaction.followup.send(planning.started_text(poll, length, warning), ephemeral=True)

    # -- managing -----------------------------------------------------------------------------

    async def _moderated_poll(self, interaction: Interaction, poll_id: int) -> Poll:
        guild_id = guild_id_of(interaction)
        require_moderator(interaction, await self.bot.guild_settings.get(guild_id))
        return await visible_poll(interaction, poll_id)

    @app_commands.command(name="close", description="Moderators: close a poll now and post its results")
    @app_commands.describe(poll="Which poll")
    @app_commands.autocomplete(poll=poll_autocomplete)
    async def close(self, interaction: Interaction, poll: app_commands.Range[int, 1, 10**12]) -> None:
        found = await self._moderated_poll(interaction, poll)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await service.close_and_announce(self.bot, found.id, utcnow())
        text = {
            None: f"**{found.handle}** was already closed.",
            service.Announced.POSTED: f"Closed **{found.handle}** and posted its results.",
            service.Announced.KEPT: f"Closed **{found.handle}**, but no channel would take its results; "
            "anyone can see them with `/poll results`.",
            service.Announced.LATER: f"Closed **{found.handle}**; Discord didn't take the results just now, "
            "so I'll post them shortly.",
            service.Announced.ELSEWHERE: f"Closed **{found.handle}**; its results are being posted.",
        }[outcome]
        await interaction.followup.send(text, ephemeral=True)

    @app_commands.command(name="reopen", description="Moderators: reopen a closed poll")
    @app_commands.describe(poll="Which poll", duration="How long it runs from now (default 24h)")
    @app_commands.autocomplete(poll=poll_autocomplete)
    async def reopen(
        self, interaction: Interaction, poll: app_commands.Range[int, 1, 10**12],
        duration: app_commands.Range[str, 1, 40] = "24h",
    ) -> None:  # fmt: skip
        found = await self._moderated_poll(interaction, poll)
        length = parse_duration(duration)
        if found.is_open(utcnow()):
            raise UserFacingError(f"**{found.handle}** is still open; use `/poll extend` to give it more time.")
        await self.bot.polls.reopen(found.id, utcnow() + length)
        self.closer.wake()
        refresh_poll(self.bot, found.id)
        await interaction.response.send_message(
            f"Reopened **{found.handle}** for {format_duration(length)}.", ephemeral=True
        )

    @app_commands.command(name="extend", description="Moderators: give an open poll more time")
    @app_commands.describe(poll="Which poll", duration="How much longer: 30m, 2h, 3d…")
    @app_commands.autocomplete(poll=poll_autocomplete)
    async def extend(
        self,
        interaction: Interaction,
        poll: app_commands.Range[int, 1, 10**12],
        duration: app_commands.Range[str, 1, 40],
    ) -> None:
        found = await self._moderated_poll(interaction, poll)
        length = parse_duration(duration)
        now = utcnow()
        if not found.is_open(now):
            raise UserFacingError(f"**{found.handle}** is closed; use `/poll reopen` instead.")
        closes_at = found.closes_at + length
        if closes_at - now > MAX_DURATION:
            raise UserFacingError("A poll can't end more than 32 days from now.")
        if not await self.bot.polls.extend_open(found.id, closes_at, now):
            raise UserFacingError(
                f"**{found.handle}** closed before I could extend it, so it stays closed; "
                "use `/poll reopen` to run it again."
            )
        self.closer.wake()
        refresh_poll(self.bot, found.id)
        await interaction.response.send_message(
            f"**{found.handle}** now closes {render.timestamp(closes_at)}.", ephemeral=True
        )

    @app_commands.command(name="cancel", description="Moderators: drop a scheduled poll before it starts")
    @app_commands.describe(poll="Which scheduled poll")
    @app_commands.autocomplete(poll=planning.scheduled_autocomplete)
    async def cancel(self, interaction: Interaction, poll: app_commands.Range[int, 1, 10**12]) -> None:
        await interaction.response.send_message(await planning.cancel(interaction, poll), ephemeral=True)

    @app_commands.command(name="add-option", description="Moderators: add an option to an open poll")
    @app_commands.describe(poll="Which poll (open)", label=f"The new option (up to {OPTION_LABEL_MAX} characters)")
    @app_commands.autocomplete(poll=poll_autocomplete)
    async def add_option(
        self, interaction: Interaction, poll: app_commands.Range[int, 1, 10**12],
        label: app_commands.Range[str, 1, 200],
    ) -> None:  # fmt: skip
        found = await self._moderated_poll(interaction, poll)
        changed, option = await self.bot.polls.add_option(found.id, label, utcnow())
        self.bot.charts.forget(found.id)  # a chart shared before now lacks the new option
        refresh_poll(self.bot, found.id)
        await interaction.response.send_message(
            f"Added **{render.option_label(changed, option.index)}** to **{found.handle}**; its message shows it "
            "in a moment.",
            ephemeral=True, allowed_mentions=discord.AllowedMentions.none(),
        )  # fmt: skip

    # -- reading ------------------------------------------------------------------------------

    @app_commands.command(name="results", description="A poll's results, with a chart")
    @app_commands.describe(poll="Which poll", ephemeral="Only you see the answer")
    @app_commands.autocomplete(poll=poll_autocomplete)
    async def results(
        self, interaction: Interaction, poll: app_commands.Range[int, 1, 10**12], ephemeral: bool = False
    ) -> None:
        found = await visible_poll(interaction, poll)
        if found.hide_results and found.is_open(utcnow()):
            raise UserFacingError(
                f"**{found.handle}** hides its results until it closes {render.timestamp(found.closes_at)}."
            )
        if found.is_open(utcnow()):  # a closed poll's results are final; an open one's change
            self.chart_cooldown.check(interaction.user.id)
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        result = await compute_result(self.bot, found)
        await interaction.followup.send(**await service.results_message(self.bot, result), ephemeral=ephemeral)

    @app_commands.command(name="list", description="This server's recent polls")
    @app_commands.describe(status="open (with the scheduled ones), closed or any (default)")
    async def list_polls(self, interaction: Interaction, status: StatusChoice = "any") -> None:
        open_only = {"open": True, "closed": False, "any": None}[status]
        polls = (await visible_polls(interaction, open_only=open_only))[:15]
        now = utcnow()
        lines = [
            f"**{p.handle}** · {shorten(inert(p.question), 80)} · "
            + (
                planning.listing_status(p) if p.scheduled
                else f"open, closes {render.timestamp(p.closes_at)}" if p.is_open(now) else "closed"
            )
            for p in polls
        ]  # fmt: skip
        embed = discord.Embed(title="Polls", description="\n".join(lines) or "No polls yet.")
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="voters", description="Moderators: who voted what in a closed poll (only you see it)")
    @app_commands.describe(poll="Which poll (closed, not anonymous)")
    @app_commands.autocomplete(poll=poll_autocomplete)
    async def voters(self, interaction: Interaction, poll: app_commands.Range[int, 1, 10**12]) -> None:
        found = await self._moderated_poll(interaction, poll)
        message = await voter_pages.voters_message(interaction, found.id, 0)
        await interaction.response.send_message(**message, ephemeral=True)

    @app_commands.command(name="export", description="Moderators: the results as a CSV file")
    @app_commands.describe(poll="Which poll")
    @app_commands.autocomplete(poll=poll_autocomplete)
    async def export(self, interaction: Interaction, poll: app_commands.Range[int, 1, 10**12]) -> None:
        found = await self._moderated_poll(interaction, poll)
        if found.hide_results and found.is_open(utcnow()):
            raise UserFacingError(f"**{found.handle}** hides its results until it closes, exports included.")
        result = await compute_result(self.bot, found)
        ballots = None if found.anonymous else await self.bot.polls.all_ballots(found.id)
        data = results_csv(result, ballots)
        note = "Totals only: the poll is anonymous." if found.anonymous else "Totals and each member's ballot."
        await interaction.response.send_message(
            note, file=discord.File(io.BytesIO(data), filename=csv_file_name(found)), ephemeral=True
        )
