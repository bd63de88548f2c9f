"""Embeds for list entries. Titles, footers and field names carry handles only; every spoiler
goes through ``spoilers.tag`` (hidden) or, in the private Reveal, ``spoilers.plain``."""

from __future__ import annotations

import discord

from bot.domain import limits
from bot.domain.catalog import Entry, TopList
from bot.domain.spoilers import Spoiler, plain, shorten, tag

RANKED_COLOUR = discord.Colour(0x3B5BA5)
HONORABLE_COLOUR = discord.Colour(0x7A8BA8)
ENTRY_FOOTER = "Spoilers are hidden: tap a black bar to read it, or press Reveal to read privately."
OVERVIEW_FOOTER = "Pick an entry below to open it privately. Spoilers stay hidden until you tap them."
# Titles, author and footer of the overview take at most this much of the 6000-character total.
_OVERVIEW_FIXED_ALLOWANCE = 600
_MIN_SPOILER = 12
# The overview lists at most this many entries per section (one select menu's worth); a server
# list may hold more, reached with /entry, /honorable and the ◀ ▶ buttons.
OVERVIEW_SECTION_MAX = limits.SELECT_OPTIONS
CREDITED_SECONDERS = 10


def entry_embed(top_list: TopList, entry: Entry) -> discord.Embed:
    lines = [f"**Show** {tag(entry.show, 130)}"] if entry.handle_name else []  # its handle leaves it out
    lines.append(f"**Moment** {tag(entry.moment, 300)}")
    if entry.episode:
        # On a server's own list the episode is what a member typed: hidden like the rest.
        episode = tag(entry.episode, 130) if top_list.guild_id is not None else plain(entry.episode, 120)
        lines.append(f"📺 {episode}")
    lines += ["", tag(entry.summary, 1500), "", f"**Why it hits** {tag(entry.why_it_hits, 700)}"]
    if entry.nominated_by is not None:
        lines += ["", credit_line(entry)]
    embed = discord.Embed(
        title=shorten(entry.handle, limits.EMBED_TITLE),
        description="\n".join(lines),
        colour=HONORABLE_COLOUR if entry.is_honorable else RANKED_COLOUR,
    )
    embed.set_author(name=shorten(top_list.title, limits.EMBED_AUTHOR))
    if entry.characters:
        embed.add_field(name="Characters", value=_joined_spoiler(entry.characters, ", "), inline=True)
    if entry.themes:
        embed.add_field(name="Themes", value=_joined_spoiler(entry.themes, " · "), inline=True)
    if entry.alt_titles:
        also = ", ".join(entry.alt_titles)
        value = tag(also, limits.EMBED_FIELD_VALUE) if entry.handle_name else plain(also, limits.EMBED_FIELD_VALUE)
        embed.add_field(name="Also known as", value=value, inline=False)
    embed.set_footer(text=ENTRY_FOOTER)
    return embed


def credit_line(entry: Entry) -> str:
    """Who nominated a server list's entry and who seconded it (mentions, which never ping:
    every message goes out with no allowed mentions)."""
    text = f"Nominated by <@{entry.nominated_by}>"
    if entry.seconded_by:
        shown = ", ".join(f"<@{user_id}>" for user_id in entry.seconded_by[:CREDITED_SECONDERS])
        more = len(entry.seconded_by) - CREDITED_SECONDERS
        text += f" · seconded by {shown}" + (f" and {more} more" if more > 0 else "")
    return text


def reveal_embed(top_list: TopList, entry: Entry) -> discord.Embed:
    """The private, unhidden view for a member who has seen the show."""
    lines = [f"**Show** {plain(entry.show, 130)}"] if entry.handle_name else []
    lines.append(f"**Moment** {plain(entry.moment, 300)}")
    if entry.episode:
        lines.append(f"📺 {plain(entry.episode, 130)}")
    lines += ["", plain(entry.summary, 1500), "", f"**Why it hits** {plain(entry.why_it_hits, 700)}"]
    embed = discord.Embed(
        title=shorten(f"{entry.handle} (revealed)", limits.EMBED_TITLE),
        description="\n".join(lines),
        colour=HONORABLE_COLOUR if entry.is_honorable else RANKED_COLOUR,
    )
    embed.set_author(name=shorten(top_list.title, limits.EMBED_AUTHOR))
    if entry.characters:
        names = ", ".join(c.reveal() for c in entry.characters)
        embed.add_field(name="Characters", value=plain(names, limits.EMBED_FIELD_VALUE), inline=True)
    if entry.themes:
        themes = " · ".join(t.reveal() for t in entry.themes)
        embed.add_field(name="Themes", value=plain(themes, limits.EMBED_FIELD_VALUE), inline=True)
    embed.set_footer(text="Only you can see this.")
    return embed


def overview_embeds(top_list: TopList, *, ranked: bool = True, honorable: bool = True) -> list[discord.Embed]:
    warning = f"-# {plain(top_list.spoiler_warning, 400)}\n\n"
    sections = []
    if ranked and top_list.ranked:
        sections.append((shorten(top_list.title, limits.EMBED_TITLE), warning, top_list.ranked, RANKED_COLOUR))
    if honorable and top_list.honorable:
        sections.append(("Honorable mentions", "" if sections else warning, top_list.honorable, HONORABLE_COLOUR))
    sections = [(title, intro + _more_line(entries), overview_part(entries), colour)
                for title, intro, entries, colour in sections]  # fmt: skip
    share = _spoiler_share([(intro, entries) for _, intro, entries, _ in sections])
    embeds = []
    for title, intro, entries, colour in sections:
        lines = [f"{_overview_label(e)} {tag(_overview_spoiler(e), share)}" for e in entries]
        embeds.append(discord.Embed(title=title, description=intro + "\n".join(lines), colour=colour))
    embeds[0].set_author(name=shorten(top_list.credit.publication, limits.EMBED_AUTHOR))
    embeds[-1].set_footer(text=OVERVIEW_FOOTER)
    return embeds


def overview_part(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """The entries of a section the overview shows: a longer countdown keeps its last 25 (down
    to #1), longer honorable mentions their first 25."""
    if len(entries) <= OVERVIEW_SECTION_MAX:
        return entries
    if entries[0].rank is not None:
        return entries[-OVERVIEW_SECTION_MAX:]
    return entries[:OVERVIEW_SECTION_MAX]


def _more_line(entries: tuple[Entry, ...]) -> str:
    hidden = len(entries) - len(overview_part(entries))
    return f"-# {hidden} more not shown here: find them with `/entry`.\n" if hidden > 0 else ""


def _overview_spoiler(entry: Entry) -> str:
    """The moment, with the show in front when the handle leaves the show out."""
    moment = entry.moment.reveal()
    return f"{entry.show}: {moment}" if entry.handle_name else moment


def _overview_label(entry: Entry) -> str:
    show = f"**{plain(entry.handle_name or entry.show, 120)}**"
    return show if entry.is_honorable else f"`#{entry.rank}` {show}"


def _spoiler_share(sections: list[tuple[str, tuple[Entry, ...]]]) -> int:
    """The longest spoiler each overview line may carry so that every description and the
    message as a whole stay inside Discord's limits, whatever the list holds."""
    room_total = limits.EMBED_TOTAL - _OVERVIEW_FIXED_ALLOWANCE
    lines_total = 0
    share = limits.EMBED_DESCRIPTION
    for intro, entries in sections:
        fixed = limits.discord_len(intro) + sum(limits.discord_len(_overview_label(e)) + 2 for e in entries)
        share = min(share, (limits.EMBED_DESCRIPTION - fixed) // len(entries))
        room_total -= fixed
        lines_total += len(entries)
    return max(_MIN_SPOILER, min(share, room_total // max(1, lines_total), 300))


def _joined_spoiler(parts: tuple[Spoiler, ...], separator: str) -> str:
    return tag(separator.join(p.reveal() for p in parts), limits.EMBED_FIELD_VALUE)
