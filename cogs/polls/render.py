"""Poll messages and results. Option labels are handles (show titles, nomination numbers); the
question of a custom poll is member text, shown inert on titles and labels."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain import limits
from bot.domain.budget import fair_shares
from bot.domain.poll_changes import added_options
from bot.domain.polls import Mode, Poll, PollOption, Result, bar
from bot.domain.spoilers import inert, shorten

COLOUR_OPEN = discord.Colour(0x5865F2)
COLOUR_CLOSED = discord.Colour(0x4F545C)
MODE_TEXT = {
    Mode.SINGLE: "Single choice: click an option; click it again to take your vote back.",
    Mode.APPROVAL: "Pick up to {n}: click options to add or remove them.",
    Mode.RANKED: "Ranked choice: press **Vote** and rank as many options as you like.",
}


def timestamp(moment: datetime, style: str = "R") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def option_label(poll: Poll, index: int, max_len: int = limits.BUTTON_LABEL) -> str:
    return shorten(f"{index + 1}. {poll.options[index].label}", max_len)


BALLOT_TEXT = 1500  # leaves room in a 2,000-character message for the words around a ballot


def ballot_text(poll: Poll, ballot: tuple[int, ...], max_len: int = BALLOT_TEXT) -> str:
    """The picked options in order; a long ballot (25 long labels) ends with "and N more"."""
    if not ballot:
        return "nothing yet"
    separator = " → " if poll.mode is Mode.RANKED else ", "
    names = [f"**{option_label(poll, i)}**" for i in ballot]
    text = separator.join(names)
    shown = len(names)
    while limits.discord_len(text) > max_len:
        shown -= 1
        text = f"{separator.join(names[:shown])}{separator}and {len(names) - shown} more"
    return text


def added_line(poll: Poll, added: tuple[PollOption, ...]) -> str:
    """One line however many were added, so 25 options still fit the embed."""
    latest = max(option.added_at for option in added if option.added_at is not None)
    if len(added) == 1:
        line = f"Option added by a moderator {timestamp(latest)}: **{option_label(poll, added[0].index, 100)}**."
    else:
        numbers = [str(option.index + 1) for option in added]
        listed = f"{', '.join(numbers[:-1])} and {numbers[-1]}"
        line = f"Options {listed} added by a moderator, the last {timestamp(latest)}."
    if poll.mode is Mode.RANKED:
        line += " Ballots cast before an option was added don't rank it."
    return line


def poll_embed(poll: Poll, result: Result, now: datetime) -> discord.Embed:
    closed = not poll.is_open(now)
    lines = []
    show_tally = closed or not poll.hide_results
    for total in result.totals:
        name = f"**{option_label(poll, total.index, 100)}**"
        if show_tally:
            win = " 🏆" if closed and total.index in result.winners else ""
            lines.append(f"{name}{win}\n`{bar(total.percent)}` {total.votes} · {total.percent:.1f}%")
        else:
            lines.append(name)
    if poll.mode is Mode.RANKED and show_tally:
        lines.append("-# Bars show first choices; the winner is found by instant runoff.")
    if not show_tally:
        lines.append("-# Results are hidden until the poll closes.")
    added = added_options(poll)
    if added:
        lines.append(added_line(poll, added))
    lines.append("")
    lines.append(MODE_TEXT[poll.mode].format(n=poll.max_choices))
    if poll.role_id:
        lines.append(f"Only members with <@&{poll.role_id}> can vote.")
    if poll.anonymous:
        lines.append("Anonymous: nobody, moderators included, can see who voted what.")
    lines.append(f"**{result.ballots}** ballot(s)")
    deadline = poll.closed_at or poll.closes_at
    lines.append(
        f"Closed {timestamp(deadline)}" if closed else f"Closes {timestamp(deadline)} ({timestamp(deadline, 'f')})"
    )
    embed = discord.Embed(
        title=shorten(inert(poll.question), limits.EMBED_TITLE),
        description="\n".join(lines),
        colour=COLOUR_CLOSED if closed else COLOUR_OPEN,
    )
    embed.set_footer(text=f"{poll.handle} · {'closed' if closed else 'open'}")
    return embed


def results_embed(result: Result) -> discord.Embed:
    poll = result.poll
    embed = discord.Embed(title=shorten(f"Results: {inert(poll.question)}", limits.EMBED_TITLE), colour=COLOUR_CLOSED)
    if not result.winners:
        headline = "No votes were cast."
    elif result.is_tie:
        headline = "It's a tie between " + " and ".join(f"**{option_label(poll, i)}**" for i in result.winners) + "."
    else:
        headline = f"🏆 **{option_label(poll, result.winners[0])}** wins."
    lines = [headline, ""]
    for total in sorted(result.totals, key=lambda t: (-t.votes, t.index)):
        lines.append(
            f"`{bar(total.percent)}` {total.votes} · {total.percent:.1f}% — {option_label(poll, total.index, 100)}"
        )
    lines.append(f"\nTurnout: **{result.ballots}** ballot(s)")
    embed.description = shorten("\n".join(lines), limits.EMBED_DESCRIPTION)
    _add_rounds(embed, result)
    embed.set_footer(text=poll.handle)
    return embed


def _add_rounds(embed: discord.Embed, result: Result) -> None:
    """One field per instant-runoff round, sharing what the 6000-character message total leaves."""
    poll = result.poll
    values = []
    for round_ in result.rounds[: limits.EMBED_FIELDS]:
        ranked = sorted(round_.votes.items(), key=lambda kv: -kv[1])
        text = ", ".join(f"{option_label(poll, i, 40)}: {votes}" for i, votes in ranked)
        if round_.eliminated:
            text += "\nOut: " + ", ".join(option_label(poll, i, 40) for i in round_.eliminated)
        if round_.exhausted:
            text += f"\nExhausted: {round_.exhausted}"
        values.append(text)
    room = limits.EMBED_TOTAL - len(embed) - 200
    shares = fair_shares([len(v) for v in values], room, limits.EMBED_FIELD_VALUE)
    for number, (value, share) in enumerate(zip(values, shares, strict=True), start=1):
        if share < min(len(value), 20):  # too little room left to say anything useful
            break
        embed.add_field(name=f"Round {number}", value=shorten(value, share), inline=False)
