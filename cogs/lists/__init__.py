"""A server's own lists: /lists create|add|remove|move|rename|delete|publish|export|import."""

from bot.app import Namida
from cogs.lists.cog import Lists
from cogs.lists.views import DYNAMIC_ITEMS


async def setup(bot: Namida) -> None:
    bot.components.add(*DYNAMIC_ITEMS)
    await bot.add_cog(Lists(bot))
