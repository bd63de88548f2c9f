"""A local Discord stand-in for end-to-end tests of the bot with the real discord.py client.

An aiohttp server on 127.0.0.1 serves Discord's REST routes under /api/v10 and a gateway
websocket, records every request, and checks every payload against Discord's documented limits.
A typical fixture::

    @pytest_asyncio.fixture
    async def standin():
        async with StandIn() as running:
            with point_discord_py_at(running):
                yield running

    @pytest_asyncio.fixture
    async def bot(standin):
        bot = make_the_bot()  # pass guild_ready_timeout=0.05 to skip discord.py's 2 s on_ready delay
        runner = asyncio.create_task(bot.start(standin.token))
        await standin.wait_until_ready()
        await bot.wait_until_ready()  # close() does not cancel discord.py's pending on_ready task
        yield bot
        await bot.close()
        await runner
        standin.assert_no_violations()

    async def test_entry(standin, bot):
        result = await standin.slash("entry", {"query": "mad"}, user=standin.user("alice"))
        assert "spoiler" not in result.all_text()

Faults, each bounded by a count or a time (faulted requests are recorded with their status)::

    standin.faults.fail_next("POST", r"/channels/\\d+/messages", status=503, times=2)
    standin.faults.rate_limit_next("PATCH", r"/channels/\\d+/messages/\\d+", retry_after=0.2, scope="global")
    standin.faults.slow("PATCH", r"/channels/\\d+/messages/\\d+", 1.5, within=10)
    await standin.gateway.drop_connection()  # the bot RESUMEs and is sent what it missed
    async with standin.gateway.outage(longest=5): ...  # RESUME is held until the block ends
    await standin.gateway.invalidate_session()  # op 9: the bot IDENTIFYs again (discord.py waits 5 s)
    await standin.delete_message(message)  # and standin.delete_channel(channel): 404s and gateway events

Sharding: ``StandIn(guilds=[make_guild(shard=(1, 2)), ...], shard_count=2)``; each IDENTIFY's
``shard`` gets READY and events for its own guilds only; ``wait_until_ready(shards=[0, 1])``.
"""

from .discordpy import cancel_view_timeouts, point_discord_py_at
from .faults import Fault, Faults
from .interactions import InteractionRefused
from .models import PERMISSIONS, ChannelSpec, FakeUser, GuildSpec, Overwrite, RoleSpec, make_guild
from .protocol import Callback, Component, InteractionType, MessageFlag
from .result import InteractionResult, component_texts, message_texts
from .server import StandIn
from .state import CallbackAttempt, RequestRecord, UploadedFile
from .timing import Clock

__all__ = [
    "PERMISSIONS",
    "Callback",
    "CallbackAttempt",
    "ChannelSpec",
    "Clock",
    "Component",
    "FakeUser",
    "Fault",
    "Faults",
    "GuildSpec",
    "InteractionRefused",
    "InteractionResult",
    "InteractionType",
    "MessageFlag",
    "Overwrite",
    "RequestRecord",
    "RoleSpec",
    "StandIn",
    "UploadedFile",
    "cancel_view_timeouts",
    "component_texts",
    "make_guild",
    "message_texts",
    "point_discord_py_at",
]
