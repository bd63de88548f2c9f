"""/about: what Namida is, the list's credit and rules, version, uptime and the commands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.app import Namida
from bot.domain import limits
from bot.domain.anime import CREDIT
from bot.domain.spoilers import plain, shorten

ABOUT = (
    "Namida brings an anime blog's countdown of sad anime moments into your server. Look entries "
    "up without being spoiled: moment names and descriptions stay behind spoiler bars until you "
    "tap them, or press **Reveal** to read them privately."
)


class About(commands.Cog):
    def __init__(self, bot: Namida) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What Namida is, the list's credit and rules, and the commands")
    async def about(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=self.about_embed(datetime.now(UTC)), ephemeral=True)

    def about_embed(self, now: datetime) -> discord.Embed:
        top_list = self.bot.catalog.default
        credit = top_list.credit
        embed = discord.Embed(title="About Namida", description=ABOUT, colour=discord.Colour(0x3B5BA5))
        embed.add_field(
            name="The list",
            value=plain(
                f"{top_list.title}, from {credit.publication} ({credit.source}). Written by {credit.author}.",
                1024,
            ),
            inline=False,
        )
        if self.bot.anime_catalogue.ready:  # the ODbL asks for credit wherever its data is used
            embed.add_field(name="Show catalogue", value=CREDIT, inline=False)
        rules = "\n".join(f"• {plain(rule, 240)}" for rule in top_list.rules.as_list())
        embed.add_field(name="The list's rules", value=rules, inline=False)
        embed.add_field(name="Commands", value=self.command_lines(), inline=False)
        others = len(self.bot.catalog.lists) - 1
        lists = f"{len(self.bot.catalog.lists)} ({others} besides the default)" if others else "1"
        embed.add_field(name="Lists", value=lists, inline=True)
        embed.add_field(name="Version", value=__version__, inline=True)
        embed.add_field(name="Uptime", value=format_uptime(now - self.bot.started_at), inline=True)
        return embed

    def command_lines(self) -> str:
        lines = [
            f"`/{command.qualified_name}` {command.description}"
            for command in sorted(self.bot.tree.walk_commands(), key=lambda c: c.qualified_name)
            if isinstance(command, app_commands.Command)
        ]
        return shorten("\n".join(lines), limits.EMBED_FIELD_VALUE)


def format_uptime(elapsed: timedelta) -> str:
    minutes = int(elapsed.total_seconds()) // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"]
    return " ".join(parts)


async def setup(bot: Namida) -> None:
    await bot.add_cog(About(bot))
