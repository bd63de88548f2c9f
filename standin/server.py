"""StandIn: the in-process fake Discord that end-to-end tests drive."""

from __future__ import annotations

import socket
from collections.abc import Iterable, Sequence
from dataclasses import replace
from types import EllipsisType, TracebackType
from typing import Any

from aiohttp import web

from .faults import Faults
from .gateway import Gateway, Intent
from .http_api import FAULTS, WORLD, api_middleware
from .interactions import InteractionBuilder
from .models import ChannelSpec, FakeUser, GuildSpec, Overwrite, RoleSpec, make_guild, permission_bits, snowflake
from .rest import add_rest_routes
from .result import InteractionResult
from .state import InteractionState, RequestRecord, World
from .timing import Clock
from .webhooks import add_webhook_routes

GuildChoice = GuildSpec | int | None | EllipsisType  # ... = the default guild, None = a DM with the bot
ChannelChoice = ChannelSpec | int | str | None  # str = channel name, None = the guild's first channel
MessageRef = dict[str, Any] | int | str


class StandIn:
    """A fake Discord on 127.0.0.1: REST under /api/v10 plus a gateway websocket, with limit checks."""

    def __init__(
        self,
        *,
        token: str = "standin-token",
        guilds: Sequence[GuildSpec] | None = None,
        clock: Clock | None = None,
        shard_count: int = 1,
    ) -> None:
        """shard_count is what GET /gateway/bot recommends; a bot may IDENTIFY with any count."""
        if shard_count < 1:
            raise ValueError(f"shard_count must be at least 1, not {shard_count}")
        self.clock = clock or Clock()
        chosen = list(guilds) if guilds else [make_guild()]
        self.world = World(token=token, guilds=chosen, clock=self.clock, shard_count=shard_count)
        self.faults = Faults(on_violation=self.world.violation, on_note=self.world.note)
        self.gateway = Gateway(self.world)
        self._builder = InteractionBuilder(self.world)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> StandIn:
        app = web.Application(middlewares=[api_middleware])
        app[WORLD] = self.world
        app[FAULTS] = self.faults
        add_rest_routes(app.router)
        add_webhook_routes(app.router)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.port = sock.getsockname()[1]
        self.world.gateway_url = f"ws://127.0.0.1:{self.port}/gateway"
        self.world.cdn_base = f"http://127.0.0.1:{self.port}/attachments"
        return self

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """A file a member attached to a command option, as Discord's CDN serves it."""
        upload = self.world.uploads.get(int(request.match_info["attachment_id"]))
        if upload is None or upload.filename != request.match_info["filename"]:
            return web.Response(status=404)
        return web.Response(body=upload.data, content_type=upload.content_type)

    async def stop(self) -> None:
        """Close the bot's websocket (close the bot first, or it will try to reconnect) and the server."""
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> StandIn:
        return await self.start()

    async def __aexit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        await self.stop()

    # --- configuration ------------------------------------------------------------------------
    @property
    def token(self) -> str:
        return self.world.token

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return self.world.gateway_url

    @property
    def application_id(self) -> int:
        return self.world.application_id

    @property
    def bot_user(self) -> FakeUser:
        return self.world.bot

    @property
    def guild(self) -> GuildSpec:
        """The default guild (the first configured one)."""
        return self.world.guilds[0]

    @property
    def channel(self) -> ChannelSpec:
        """The default guild's first channel."""
        return self.guild.channels[0]

    # --- what happened ------------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        return self.world.requests

    @property
    def violations(self) -> list[str]:
        return self.world.violations

    @property
    def notes(self) -> list[str]:
        """Observations that are not violations: unknown routes, unexpected gateway ops, ..."""
        return self.world.notes

    @property
    def sync_counts(self) -> dict[int | None, int]:
        """How often each scope (None = global, else a guild id) had its commands bulk-overwritten."""
        return self.world.sync_counts

    def commands(self, guild: GuildSpec | int | None = None) -> list[dict[str, Any]]:
        scope = guild.id if isinstance(guild, GuildSpec) else guild
        return self.world.commands.get(scope, [])

    def messages_in(self, channel: ChannelSpec | int | None = None) -> list[dict[str, Any]]:
        channel_id = self.channel.id if channel is None else getattr(channel, "id", channel)
        return self.world.messages_in(int(channel_id))

    def get_message(self, message_id: int | str) -> dict[str, Any] | None:
        return self.world.messages.get(int(message_id))

    # --- what moderators do -------------------------------------------------------------------
    async def delete_message(self, message: MessageRef) -> None:
        """A moderator deletes a message: later REST calls on it get 404 Unknown Message (10008),
        and bots with the message intents get MESSAGE_DELETE."""
        stored = self._message(message)
        self.world.delete_message(int(stored["id"]))
        event = {"id": stored["id"], "channel_id": stored["channel_id"]}
        if "guild_id" in stored:
            event["guild_id"] = stored["guild_id"]
        intent = Intent.GUILD_MESSAGES if "guild_id" in stored else Intent.DIRECT_MESSAGES
        await self.gateway.notify("MESSAGE_DELETE", event, intent=intent)

    async def delete_channel(self, channel: ChannelSpec | int) -> None:
        """A moderator deletes a guild channel (and so its messages): later REST calls on it get
        404 Unknown Channel (10003), and the bot gets CHANNEL_DELETE."""
        channel_id = channel.id if isinstance(channel, ChannelSpec) else int(channel)
        if "guild_id" not in self.world.channels.get(channel_id, {}):
            raise LookupError(f"the stand-in has no guild channel {channel_id}")
        payload = self.world.delete_channel(channel_id)
        await self.gateway.notify("CHANNEL_DELETE", payload, intent=Intent.GUILDS)

    async def set_overwrites(self, channel: ChannelSpec | str, *overwrites: Overwrite) -> ChannelSpec:
        """A moderator replaces a channel's overwrites (for roles or members, the bot included via
        ``bot_user``); a connected bot gets CHANNEL_UPDATE. Returns the updated channel."""
        name = channel if isinstance(channel, str) else channel.name
        guild = next(g for g in self.world.guilds if any(c.name == name for c in g.channels))
        index = guild.channels.index(guild.channel(name))
        updated = replace(guild.channels[index], overwrites=tuple(overwrites))
        guild.channels[index] = updated
        self.world.channels[updated.id] = updated.payload(guild.id)
        await self.gateway.notify("CHANNEL_UPDATE", self.world.channels[updated.id], intent=Intent.GUILDS)
        return updated

    def assert_no_violations(self) -> None:
        if self.violations:
            listing = "\n".join(f"  - {violation}" for violation in self.violations)
            raise AssertionError(f"the bot broke {len(self.violations)} Discord rule(s):\n{listing}")

    async def wait_until_ready(
        self,
        timeout: float = 10.0,  # noqa: ASYNC109
        *,
        shards: Iterable[int] | None = None,
    ) -> None:
        """Return once the bot has IDENTIFYed and received READY and every GUILD_CREATE: on some
        connection, or (with shards) on a connection of each of those shard ids."""
        wanted = None if shards is None else set(shards)

        def check() -> bool | None:
            if self.gateway.ready if wanted is None else wanted <= self.gateway.ready_shards:
                return True
            if self.gateway.fatal:
                raise RuntimeError(f"the bot cannot get ready: {self.gateway.fatal}")
            return None

        waiting_for = "the bot to connect to the gateway" + (f" on shards {sorted(wanted)}" if wanted else "")
        await self.world.changed.wait_for(check, timeout, waiting_for)

    async def wait_for_request(
        self,
        method: str,
        path_regex: str,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        start: int = 0,
    ) -> RequestRecord:
        """The first recorded request from index start whose path (after /api/v10) fullmatches."""
        return await self.world.changed.wait_for(
            lambda: self.world.find_request(method, path_regex, start), timeout, f"{method} {path_regex}"
        )

    # --- people -------------------------------------------------------------------------------
    def user(self, name: str, *, id: int | None = None) -> FakeUser:  # noqa: A002 - named as in Discord payloads
        return self._register(FakeUser(id or snowflake(), name))

    def member(
        self,
        name: str,
        *,
        roles: Iterable[str | RoleSpec | int] = (),
        permissions: int | str | Iterable[str] = 0,
        id: int | None = None,  # noqa: A002 - named as in Discord payloads
        guild: GuildSpec | None = None,
    ) -> FakeUser:
        """A user with guild roles (by name) and/or extra guild permissions, e.g. 'manage_guild'."""
        home = guild or self.guild
        role_ids = tuple(home.role(r).id if isinstance(r, str) else getattr(r, "id", r) for r in roles)
        return self._register(FakeUser(id or snowflake(), name, role_ids, permission_bits(permissions)))

    def _register(self, user: FakeUser) -> FakeUser:
        self.world.users[user.id] = user
        return user

    # --- interactions -------------------------------------------------------------------------
    async def inject(self, payload: dict[str, Any], *, timeout: float = 5.0) -> InteractionResult:  # noqa: ASYNC109
        """Dispatch an INTERACTION_CREATE and wait for the bot's first callback."""
        state = InteractionState(payload, self.clock.now())
        self.world.interactions[state.id] = state  # before dispatching: the callback may come at once
        try:
            await self.gateway.dispatch("INTERACTION_CREATE", payload)
        except RuntimeError:
            del self.world.interactions[state.id]
            raise
        result = InteractionResult(self.world, state)
        try:
            return await result.wait_for_callback(timeout)
        except TimeoutError as error:
            raise TimeoutError(
                f"{error} (did the handler raise? recent violations: {self.violations[-3:]}, notes: {self.notes[-3:]})"
            ) from None

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: FakeUser,
        guild: GuildChoice = ...,
        channel: ChannelChoice = None,
        group: str | None = None,
        subcommand: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        """Run /name with plain Python option values; name may be qualified ('tag add')."""
        path = name.split() + [part for part in (group, subcommand) if part]
        where, channel_id = self._where(user, guild, channel)
        payload = self._builder.command(path, dict(options or {}), user, where, channel_id)
        return await self.inject(payload, timeout=timeout)

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        *,
        user: FakeUser,
        focused: str | None = None,
        guild: GuildChoice = ...,
        channel: ChannelChoice = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """The choices the bot answered while the user types in focused (default: the last option)."""
        path = name.split()
        where, channel_id = self._where(user, guild, channel)
        typing_in = focused or list(options)[-1]
        payload = self._builder.command(path, dict(options), user, where, channel_id, focused=typing_in)
        result = await self.inject(payload, timeout=timeout)
        return result.choices or []

    async def click(
        self,
        message: MessageRef,
        custom_id: str,
        *,
        user: FakeUser,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        payload = self._builder.component(self._message(message), custom_id, user, None)
        return await self.inject(payload, timeout=timeout)

    async def select(
        self,
        message: MessageRef,
        custom_id: str,
        values: list[Any],
        *,
        user: FakeUser,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        payload = self._builder.component(self._message(message), custom_id, user, list(values))
        return await self.inject(payload, timeout=timeout)

    async def submit_modal(
        self,
        custom_id: str,
        values: dict[str, Any],
        *,
        user: FakeUser,
        message: MessageRef | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        source = None if message is None else self._message(message)
        payload = self._builder.modal_submit(custom_id, values, user, source)
        return await self.inject(payload, timeout=timeout)

    def _message(self, message: MessageRef) -> dict[str, Any]:
        """The stored (current) version of a message given as a dict or an id."""
        message_id = int(message["id"]) if isinstance(message, dict) else int(message)
        stored = self.world.messages.get(message_id)
        if stored is None:
            raise LookupError(f"the stand-in has no message {message_id} (deleted, or never sent)")
        return stored

    def _where(self, user: FakeUser, guild: GuildChoice, channel: ChannelChoice) -> tuple[GuildSpec | None, int]:
        if guild is ...:
            guild = self.guild
        elif isinstance(guild, int):
            found = self.world.guild(guild)
            if found is None:
                raise LookupError(f"no guild {guild}")
            guild = found
        if guild is None:
            return None, self.world.dm_channel(user)
        if channel is None:
            return guild, guild.channels[0].id
        if isinstance(channel, str):
            return guild, guild.channel(channel).id
        channel_id = channel.id if isinstance(channel, ChannelSpec) else channel
        if channel_id not in self.world.channels:
            raise LookupError(f"no channel {channel_id}")
        return guild, channel_id
