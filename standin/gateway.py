"""The gateway websocket: HELLO, IDENTIFY/RESUME, READY + GUILD_CREATE, heartbeats and dispatches,
plus the faults tests switch on: a dropped connection (the bot RESUMEs and gets what it missed),
an outage (RESUME held back for a bounded time) and an invalidated session (op 9).
Several connections may be open at once, one per shard: each guild's dispatches go to the
connection of the shard that owns it (see sharding.py)."""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import WSMsgType, web

from .protocol import Close, Op
from .sharding import Shard, guild_id_of, parse_shard
from .state import World

HEARTBEAT_INTERVAL_MS = 41250
REPLAY_LIMIT = 1000  # dispatches a session keeps for RESUME
RESUMABLE_CLOSE = 4000  # "unknown error": discord.py reconnects and RESUMEs (as after 1001 or 1006)
LONGEST_OUTAGE = 30.0


class Intent:
    """The gateway intents that gate the events the stand-in sends on its own."""

    GUILDS = 1 << 0
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12


@dataclass
class GatewaySession:
    id: str
    intents: int = 0
    shard: Shard = field(default_factory=Shard)
    seq: int = 0
    sent: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=REPLAY_LIMIT))
    detached: bool = False  # its connection was dropped: dispatches wait here for the RESUME

    def add(self, event: str, data: Any) -> dict[str, Any]:
        self.seq += 1
        payload = {"op": Op.DISPATCH, "t": event, "s": self.seq, "d": data}
        self.sent.append(payload)
        return payload

    def missed(self, seq: Any) -> list[dict[str, Any]]:
        last = seq if isinstance(seq, int) else 0
        return [payload for payload in self.sent if payload["s"] > last]


class GatewayConnection:
    """One websocket; with zlib-stream every message shares a single compression context."""

    def __init__(self, ws: web.WebSocketResponse, *, zlib_stream: bool) -> None:
        self.ws = ws
        self._compressor = zlib.compressobj() if zlib_stream else None
        self.session: GatewaySession | None = None
        self.ready = False  # READY and every GUILD_CREATE (or RESUMED) were sent

    async def send(self, payload: dict[str, Any]) -> None:
        # orjson: the stand-in plays Discord on the bot's own machine, and under load the stdlib
        # encoder was its largest cost, CPU taken from the bot being measured.
        data = orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS)
        if self._compressor is None:
            await self.ws.send_str(data.decode())
            return
        frame = self._compressor.compress(data) + self._compressor.flush(zlib.Z_SYNC_FLUSH)
        await self.ws.send_bytes(frame)  # ends with 00 00 ff ff, which discord.py waits for

    async def dispatch(self, event: str, data: Any) -> None:
        assert self.session is not None, "dispatch before IDENTIFY/RESUME"
        await self.send(self.session.add(event, data))

    async def close(self, code: int, reason: str) -> None:
        await self.ws.close(code=code, message=_close_reason(reason))


class Gateway:
    def __init__(self, world: World) -> None:
        self.world = world
        self.connections: list[GatewayConnection] = []
        self.sessions: dict[str, GatewaySession] = {}
        self.identifies: list[dict[str, Any]] = []  # IDENTIFY bodies, e.g. to assert on intents
        self.resumes: list[dict[str, Any]] = []  # RESUME bodies the stand-in accepted
        self.replayed = 0  # dispatches sent again after a RESUME
        self.fatal: str | None = None  # why the bot can never get ready (bad token, unsupported option)
        self._admitting = asyncio.Event()  # cleared during an outage: IDENTIFY/RESUME wait for it
        self._admitting.set()
        self._held_shard: int | None = None  # during an outage of one shard, only its IDENTIFY/RESUME wait

    @property
    def ready(self) -> bool:
        return any(connection.ready for connection in self.connections)

    @property
    def ready_shards(self) -> set[int]:
        """The shard ids with a ready connection (0 for a connection that IDENTIFYed unsharded)."""
        return {c.session.shard.id for c in self.connections if c.ready and c.session is not None}

    def _owning(self, data: Any) -> tuple[list[GatewayConnection], list[GatewaySession]]:
        guild_id = guild_id_of(data)
        targets = [c for c in self.connections if c.ready and c.session and c.session.shard.owns(guild_id)]
        return targets, [session for session in self._detached() if session.shard.owns(guild_id)]

    async def dispatch(self, event: str, data: Any) -> None:
        """Send a dispatch event to the ready connection of the shard owning its guild (shard 0 for
        DMs); while a dropped session waits for its RESUME, queue it there instead, as Discord does."""
        targets, waiting = self._owning(data)
        if not targets and not waiting:
            if not self.ready and not self._detached():
                raise RuntimeError(f"cannot dispatch {event}: the bot is not connected to the stand-in gateway")
            raise RuntimeError(f"cannot dispatch {event}: no connection to the stand-in gateway owns its guild's shard")
        for connection in targets:
            await connection.dispatch(event, data)
        for session in waiting:
            session.add(event, data)

    async def notify(self, event: str, data: Any, *, intent: int) -> None:
        """Like dispatch, but only to sessions that IDENTIFYed with ``intent``, and never raises:
        what Discord tells bots about changes made by people (deletions, ...)."""
        targets, waiting = self._owning(data)
        for connection in [c for c in targets if c.session and c.session.intents & intent]:
            await connection.dispatch(event, data)
        for session in waiting:
            if session.intents & intent:
                session.add(event, data)

    # --- faults -------------------------------------------------------------------------------
    async def drop_connection(
        self, code: int = RESUMABLE_CLOSE, reason: str = "stand-in dropped it", *, shard: int | None = None
    ) -> int:
        """Close every ready connection (only ``shard``'s, if given) with a resumable code; the bot
        reconnects and RESUMEs, and gets the dispatches it missed. Returns how many were dropped."""
        dropped = [c for c in self.connections if c.ready and (shard is None or self._shard_of(c) == shard)]
        for connection in dropped:
            connection.ready = False
            if connection.session is not None:
                connection.session.detached = True
        self.world.changed.fire()
        for connection in dropped:
            await connection.close(code, reason)
        return len(dropped)

    @asynccontextmanager
    async def outage(self, longest: float = 10.0, *, shard: int | None = None) -> AsyncIterator[None]:
        """Drop the connection and hold every RESUME/IDENTIFY until the block ends (at most
        ``longest`` seconds, so a test cannot hang); dispatches meanwhile are replayed on RESUME.
        With ``shard``, only that shard's connection drops and waits; the others carry on."""
        if not 0 < longest <= LONGEST_OUTAGE:
            raise ValueError(f"an outage lasts at most {LONGEST_OUTAGE} s, not {longest}")
        self._admitting.clear()
        self._held_shard = shard
        ends = asyncio.get_running_loop().call_later(longest, self._admitting.set)
        try:
            await self.drop_connection(shard=shard)
            yield
        finally:
            ends.cancel()
            self._admitting.set()
            self._held_shard = None

    async def invalidate_session(self, *, resumable: bool = False) -> int:
        """Send op 9 to every ready connection. Not resumable: the session is forgotten and the bot
        must IDENTIFY again (discord.py waits 5 s first). Resumable: it reconnects and RESUMEs."""
        targets = [connection for connection in self.connections if connection.ready]
        for connection in targets:
            connection.ready = False
            if connection.session is not None:
                if resumable:
                    connection.session.detached = True
                else:
                    self.sessions.pop(connection.session.id, None)
        self.world.changed.fire()
        for connection in targets:
            await connection.send({"op": Op.INVALID_SESSION, "d": resumable, "s": None, "t": None})
        return len(targets)

    def _detached(self) -> list[GatewaySession]:
        return [session for session in self.sessions.values() if session.detached]

    async def _admitted(self, connection: GatewayConnection, shard_id: int) -> bool:
        if self._held_shard is None or shard_id == self._held_shard:
            await self._admitting.wait()  # bounded: an outage always ends
        return not connection.ws.closed

    @staticmethod
    def _shard_of(connection: GatewayConnection) -> int | None:
        return connection.session.shard.id if connection.session is not None else None

    async def close_all(self, code: int = 1000) -> None:
        for connection in list(self.connections):
            await connection.close(code, "stand-in shutting down")

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(compress=False, max_msg_size=0)
        await ws.prepare(request)
        refusal = self._refusal(request.query)
        if refusal is not None:
            code, reason = refusal
            self._fail(reason)
            await ws.close(code=code, message=_close_reason(reason))
            return ws
        connection = GatewayConnection(ws, zlib_stream=request.query.get("compress") == "zlib-stream")
        self.connections.append(connection)
        try:
            await connection.send(
                {"op": Op.HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}, "s": None, "t": None}
            )
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    await connection.close(Close.DECODE_ERROR, "the stand-in expects JSON text frames")
                    break
                await self._on_payload(connection, json.loads(message.data))
        finally:
            self.connections.remove(connection)
            self.world.changed.fire()
        return ws

    def _refusal(self, query: Any) -> tuple[int, str] | None:
        if query.get("v") != "10":
            return Close.INVALID_API_VERSION, f"stand-in speaks gateway v10, not v={query.get('v')!r}"
        if query.get("encoding", "json") != "json":
            return Close.DECODE_ERROR, f"stand-in only supports encoding=json, not {query.get('encoding')!r}"
        if query.get("compress") not in (None, "zlib-stream"):
            # discord.py asks for zstd-stream only when the zstandard module is importable
            return Close.UNKNOWN_ERROR, f"compress={query.get('compress')!r} unsupported, only zlib-stream"
        return None

    def _fail(self, reason: str) -> None:
        self.fatal = reason
        self.world.note(f"gateway: {reason}")
        self.world.changed.fire()

    async def _on_payload(self, connection: GatewayConnection, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == Op.HEARTBEAT:
            await connection.send({"op": Op.HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == Op.IDENTIFY:
            await self._identify(connection, data)
        elif op == Op.RESUME:
            await self._resume(connection, data)
        elif op == Op.REQUEST_GUILD_MEMBERS:
            await self._members_chunk(connection, data)
        elif op not in (Op.PRESENCE_UPDATE, Op.VOICE_STATE_UPDATE):
            self.world.note(f"gateway: ignored op {op}")

    async def _authenticated(self, connection: GatewayConnection, data: Any) -> bool:
        if isinstance(data, dict) and data.get("token") == self.world.token:
            return True
        self._fail("IDENTIFY/RESUME carried the wrong token")
        await connection.close(Close.AUTHENTICATION_FAILED, "Authentication failed.")
        return False

    async def _identify(self, connection: GatewayConnection, data: Any) -> None:
        asked = parse_shard(data) if isinstance(data, dict) else None
        shard_id = asked.id if isinstance(asked, Shard) else 0
        if not await self._admitted(connection, shard_id) or not await self._authenticated(connection, data):
            return
        if connection.session is not None:
            await connection.close(Close.ALREADY_AUTHENTICATED, "Already authenticated.")
            return
        shard = parse_shard(data)
        if isinstance(shard, str):
            self._fail(shard)
            await connection.close(Close.INVALID_SHARD, "Invalid shard.")
            return
        self.identifies.append(data)
        session = GatewaySession(secrets.token_hex(16), intents=int(data.get("intents") or 0), shard=shard)
        self.sessions[session.id] = session
        connection.session = session
        world = self.world
        guilds = [guild for guild in world.guilds if shard.owns(guild.id)]
        ready: dict[str, Any] = {
            "v": 10,
            "user": {**world.bot.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(guild.id), "unavailable": True} for guild in guilds],
            "session_id": session.id,
            "resume_gateway_url": world.gateway_url,
            "application": {"id": str(world.application_id), "flags": 0},
            "private_channels": [],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await connection.dispatch("READY", ready)
        for guild in guilds:
            await connection.dispatch("GUILD_CREATE", guild.create_payload(world.bot))
        connection.ready = True
        world.changed.fire()

    async def _resume(self, connection: GatewayConnection, data: Any) -> None:
        """Replay what the session sent after the client's last seq, then RESUMED (as Discord does)."""
        known = self.sessions.get(data.get("session_id")) if isinstance(data, dict) else None
        shard_id = known.shard.id if known is not None else 0
        if not await self._admitted(connection, shard_id) or not await self._authenticated(connection, data):
            return
        session = self.sessions.get(data.get("session_id"))
        if session is None:
            await connection.send({"op": Op.INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        connection.session = session
        for payload in session.missed(data.get("seq")):
            await connection.send(payload)
            self.replayed += 1
        session.detached = False
        self.resumes.append(data)
        await connection.dispatch("RESUMED", {})
        connection.ready = True
        self.world.changed.fire()

    async def _members_chunk(self, connection: GatewayConnection, data: Any) -> None:
        """Answer discord.py's startup chunking (members intent) so it does not wait for a timeout."""
        guild_ids = data.get("guild_id")
        for guild_id in guild_ids if isinstance(guild_ids, list) else [guild_ids]:
            guild = self.world.guild(int(guild_id))
            if guild is None:
                continue
            members = [guild.member_payload(user, with_permissions=False) for user in self.world.users.values()]
            chunk = {
                "guild_id": str(guild.id),
                "members": members,
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
            }
            if data.get("nonce") is not None:
                chunk["nonce"] = data["nonce"]
            await connection.dispatch("GUILD_MEMBERS_CHUNK", chunk)


def _close_reason(reason: str) -> bytes:
    return reason.encode()[:123]  # a close frame carries at most 125 bytes, 2 of them the code
