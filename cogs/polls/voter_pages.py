"""/poll voters: who voted what in a closed poll that is not anonymous, shown only to the moderator
who asked, a page at a time. The page buttons carry only the poll and the page, so they keep
working after a restart; every click checks again that the member is a moderator who may read
the poll's channel, and that the poll is still closed and not anonymous."""

from __future__ import annotations

import discord

from bot.app import Interaction
from bot.components import Components
from bot.custom_ids import CustomId, number
from bot.domain import limits
from bot.domain.errors import UserFacingError
from bot.domain.polls import Poll
from bot.permissions import can_view_channel, guild_id_of, require_moderator
from bot.storage.polls import PollGone
from bot.ui import FunnelledItem
from cogs.polls import render
from cogs.polls.tally import utcnow
from cogs.polls.views import POLL_ID

PAGE_SIZE = 15
BALLOT_TEXT_MAX = 220  # 15 lines of mention + ballot stay well inside an embed's 4,096 characters
NO_PINGS = discord.AllowedMentions.none()


def refusal(poll: Poll) -> str | None:
    if poll.anonymous:
        return f"**{poll.handle}** is anonymous: nobody, moderators included, can see who voted what."
    if poll.is_open(utcnow()):
        return f"**{poll.handle}** is still open: who voted what can be seen once it has closed."
    return None


def page_count(ballots: int) -> int:
    return max(1, -(-ballots // PAGE_SIZE))


def voters_page(poll: Poll, ballots: list[tuple[int, tuple[int, ...]]], page: int) -> dict:
    """One page as message fields: an embed of "member — ballot" lines and the page buttons."""
    pages = page_count(len(ballots))
    page = min(max(page, 0), pages - 1)
    shown = ballots[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [f"<@{member}> — {render.ballot_text(poll, ballot, BALLOT_TEXT_MAX)}" for member, ballot in shown]
    embed = discord.Embed(
        title=f"Who voted what · {poll.handle}",
        description="\n".join(lines) or "Nobody voted in this poll.",
        colour=render.COLOUR_CLOSED,
    )
    embed.set_footer(text=f"Page {page + 1} of {pages} · {len(ballots)} ballot(s) · only you can see this")
    view = Components()
    if pages > 1:
        view.add_item(VoterPage(poll.id, max(page - 1, 0), "◀ Previous", disabled=page == 0))
        view.add_item(VoterPage(poll.id, min(page + 1, pages - 1), "Next ▶", disabled=page == pages - 1))
    return {"embed": embed, "view": view, "allowed_mentions": NO_PINGS}


async def voters_message(interaction: Interaction, poll_id: int, page: int) -> dict:
    """The page for a moderator, after checking (again) that this poll's voters may be shown."""
    bot = interaction.client
    guild_id = guild_id_of(interaction)
    require_moderator(interaction, await bot.guild_settings.get(guild_id))
    poll = await bot.polls.poll_in(guild_id, poll_id)
    if not can_view_channel(interaction, poll.channel_id):  # access lost since the page was shown
        raise PollGone()
    refused = refusal(poll)
    if refused:
        raise UserFacingError(refused)
    return voters_page(poll, await bot.polls.all_ballots(poll.id), page)


class VoterPage(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Button],
    custom_id=CustomId("poll:{poll_id}:voters:{page}", poll_id=POLL_ID, page=number(6)),
):
    private_message_only = True  # it turns the page of the moderator's own private message

    def __init__(self, poll_id: int, page: int, label: str = "Page", *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[: limits.BUTTON_LABEL], style=discord.ButtonStyle.secondary,
                custom_id=self.ids(poll_id=poll_id, page=page), disabled=disabled,
            )
        )  # fmt: skip
        self.poll_id, self.page = poll_id, page

    async def run(self, interaction: Interaction) -> None:
        await interaction.response.edit_message(**await voters_message(interaction, self.poll_id, self.page))


VOTER_ITEMS = (VoterPage,)
