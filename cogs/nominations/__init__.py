"""Reader nominations: /nominate, /nominations …, the review queue and persistent buttons."""

from discord.ext import commands

from cogs.nominations.cog import Nominate, Nominations
from cogs.nominations.views import DYNAMIC_ITEMS


async def setup(bot: commands.Bot) -> None:
    bot.components.add(*DYNAMIC_ITEMS)
    await bot.add_cog(Nominate(bot))
    await bot.add_cog(Nominations(bot))
