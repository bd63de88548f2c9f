"""Reader nominations: /nominate, /nominations …, the review queue, /settings and persistent buttons."""

from bot.app import Namida
from cogs.nominations import moderation, show_choice, views
from cogs.nominations.cog import Nominate, Nominations
from cogs.nominations.settings import Settings


async def setup(bot: Namida) -> None:
    bot.components.add(*views.DYNAMIC_ITEMS, *moderation.DYNAMIC_ITEMS, *show_choice.DYNAMIC_ITEMS)
    await bot.add_cog(Nominate(bot))
    await bot.add_cog(Nominations(bot))
    await bot.add_cog(Settings(bot))
