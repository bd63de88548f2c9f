"""Community polls: /poll …, voting buttons, deadlines that survive restarts, results and charts."""

from bot.app import Namida
from cogs.polls.cog import Polls
from cogs.polls.views import DYNAMIC_ITEMS
from cogs.polls.voter_pages import VOTER_ITEMS


async def setup(bot: Namida) -> None:
    bot.components.add(*DYNAMIC_ITEMS, *VOTER_ITEMS)
    await bot.add_cog(Polls(bot))
