"""Looking entries up: /list, /entry, /honorable, /random, and their persistent buttons."""

from bot.app import Namida
from cogs.entries.cog import Entries
from cogs.entries.views import DYNAMIC_ITEMS


async def setup(bot: Namida) -> None:
    bot.components.add(*DYNAMIC_ITEMS)
    await bot.add_cog(Entries(bot))
