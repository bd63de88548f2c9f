"""Embeds for nominations. Member text goes through the spoiler module only: hidden with ``tag``
in shared messages, literal with ``plain`` in private ones; handles on every unhideable surface."""

from __future__ import annotations

import discord

from bot.domain import limits
from bot.domain.guild_settings import GuildSettings
from bot.domain.nominations import Nomination, Status, episode_label, public_handle, show_is_hidden
from bot.domain.spoilers import plain, shorten, tag

STATUS_LABELS = {
    Status.PENDING: "⏳ Waiting for review",
    Status.APPROVED: "✅ Approved: a candidate for polls",
    Status.REJECTED: "✖️ Not accepted",
    Status.WITHDRAWN: "↩️ Withdrawn",
    Status.MERGED: "🔗 Merged into another nomination",
}
COLOUR = discord.Colour(0xB04A6F)


def title(nomination: Nomination, settings: GuildSettings) -> str:
    return shorten(public_handle(nomination, settings.show_titles_are_spoilers), limits.EMBED_TITLE)


def label(nomination: Nomination, settings: GuildSettings, max_len: int) -> str:
    """For buttons, menus and autocomplete, which render no markdown."""
    return shorten(public_handle(nomination, settings.show_titles_are_spoilers), max_len)


def episode_line(episode: str) -> str:
    """A checked episode as text; free text kept from before episodes were checked, hidden."""
    known = episode_label(episode)
    return f"📺 {known}" if known else f"📺 {tag(episode, 130)}"


def nomination_embed(
    nomination: Nomination, settings: GuildSettings, *, represented_by: str | None = None
) -> discord.Embed:
    lines = [f"**Moment** {tag(nomination.moment, 300)}"]
    if show_is_hidden(nomination, settings.show_titles_are_spoilers):
        lines.insert(0, f"**Show** {tag(nomination.show, 300)}")
    if nomination.episode:
        lines.append(episode_line(nomination.episode))
    lines += [
        "",
        f"**What happens** {tag(nomination.what_happens, 2100)}",
        "",
        f"**Why it moved them** {tag(nomination.why, 1300)}",
        "",
        f"Nominated by <@{nomination.author_id}> · {nomination.format.label}",
    ]
    embed = discord.Embed(title=title(nomination, settings), description="\n".join(lines), colour=COLOUR)
    embed.add_field(name="Seconds", value=str(nomination.seconds), inline=True)
    embed.add_field(name="Status", value=STATUS_LABELS[nomination.status], inline=True)
    if represented_by:
        embed.add_field(name="Already on the list", value=f"as **{plain(represented_by, 200)}**", inline=True)
    embed.set_footer(text="Tap a black bar to read it, or press Reveal to read it privately.")
    return embed


def add_show_page(embed: discord.Embed, page: str, thumbnail: str | None) -> None:
    """Links the title to the show's catalogue page (a web address, or nothing) and shows its picture."""
    if page.startswith("https://") and len(page) <= limits.EMBED_URL:
        embed.url = page
    if thumbnail and len(thumbnail) <= limits.EMBED_URL:
        embed.set_thumbnail(url=thumbnail)


def reveal_embed(nomination: Nomination, settings: GuildSettings) -> discord.Embed:
    lines = [f"**Show** {plain(nomination.show, 300)}", f"**Moment** {plain(nomination.moment, 300)}"]
    if nomination.episode:
        lines.append(f"📺 {episode_label(nomination.episode) or plain(nomination.episode, 130)}")
    lines += [
        "",
        f"**What happens** {plain(nomination.what_happens, 2100)}",
        "",
        f"**Why** {plain(nomination.why, 1300)}",
    ]
    embed = discord.Embed(
        title=title(nomination, settings) + " (revealed)", description="\n".join(lines), colour=COLOUR
    )
    embed.set_footer(text="Only you can see this.")
    return embed


def page_embed(
    nominations: list[Nomination], settings: GuildSettings, *, page: int, pages: int, total: int, heading: str
) -> discord.Embed:
    embed = discord.Embed(title=heading, colour=COLOUR)
    if not nominations:
        embed.description = "No nominations match."
    for nomination in nominations:
        value = (
            f"{tag(nomination.moment, 300)}\n{nomination.seconds} second(s) · {STATUS_LABELS[nomination.status]}"
            f" · by <@{nomination.author_id}>"
        )
        if show_is_hidden(nomination, settings.show_titles_are_spoilers):
            value = f"{tag(nomination.show, 200)} · {value}"
        embed.add_field(name=title(nomination, settings), value=value, inline=False)
    embed.set_footer(text=f"Page {page + 1} of {max(pages, 1)} · {total} nomination(s) · most-seconded first")
    return embed
