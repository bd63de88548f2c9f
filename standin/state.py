"""Everything the fake Discord remembers: messages, commands, interactions, requests, violations."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from .models import FakeUser, GuildSpec, dm_channel_payload, now_iso, snowflake, snowflake_time
from .protocol import CommandType, InteractionType, MessageFlag, MessageType
from .timing import Clock, Signal


@dataclass(frozen=True)
class UploadedFile:
    field: str  # multipart field name, e.g. "files[0]"
    filename: str
    content_type: str
    data: bytes


@dataclass
class RequestRecord:
    method: str
    path: str  # relative to /api/v10, e.g. "/channels/1/messages"
    query: dict[str, str]
    json: Any  # parsed JSON body, or the parsed payload_json of a multipart body
    files: list[UploadedFile]
    time: float  # stand-in clock
    status: int | None = None
    injected: str | None = None  # what a fault did to it ("fail 503", "rate limit user 0.2s", "slow 1.5s")


@dataclass
class CallbackAttempt:
    type: int | None
    body: Any
    status: int


@dataclass
class InteractionState:
    """Server-side bookkeeping for one INTERACTION_CREATE the stand-in dispatched."""

    payload: dict[str, Any]
    dispatched_at: float
    attempts: list[CallbackAttempt] = field(default_factory=list)
    accepted: CallbackAttempt | None = None
    original_id: int | None = None
    original_edits: int = 0
    followup_ids: list[int] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def token(self) -> str:
        return self.payload["token"]

    @property
    def type(self) -> int:
        return self.payload["type"]

    @property
    def channel_id(self) -> int:
        return int(self.payload["channel_id"])

    @property
    def user(self) -> dict[str, Any]:
        return self.payload["member"]["user"] if "member" in self.payload else self.payload["user"]

    @property
    def source_message_id(self) -> int | None:
        """The message a component (or a modal opened from one) was attached to."""
        message = self.payload.get("message")
        return int(message["id"]) if message else None


@dataclass(frozen=True)
class ShownModal:
    data: dict[str, Any]
    opened_by: InteractionState


class World:
    """The stand-in's state; REST handlers, the gateway and the test helpers all share one."""

    def __init__(self, *, token: str, guilds: list[GuildSpec], clock: Clock, shard_count: int = 1) -> None:
        self.token = token
        self.shard_count = shard_count  # what GET /gateway/bot recommends
        self.clock = clock
        self.gateway_url = ""  # set once the server is listening
        self.cdn_base = ""  # where attachments a member uploads into a command are downloaded from
        self.uploads: dict[int, UploadedFile] = {}
        self.application_id = snowflake()
        self.bot = FakeUser(self.application_id, "standin-bot", bot=True)
        self.owner = FakeUser(snowflake(), "owner")
        self.guilds = guilds
        self.users: dict[int, FakeUser] = {self.bot.id: self.bot, self.owner.id: self.owner}
        self.channels: dict[int, dict[str, Any]] = {
            channel.id: channel.payload(guild.id) for guild in guilds for channel in guild.channels
        }
        self.dm_channels: dict[int, int] = {}
        self.closed_dms: set[int] = set()  # users who accept no DMs from the bot (answered 50007)
        # Commands a server opened to everyone under Integrations, overriding default_member_permissions.
        self.opened_commands: set[str] = set()
        self.messages: dict[int, dict[str, Any]] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.command_ids: dict[tuple[int | None, int, str], int] = {}
        self.sync_counts: dict[int | None, int] = {}
        self.interactions: dict[int, InteractionState] = {}
        self.modals: dict[tuple[int, str], ShownModal] = {}  # (user id, custom_id) -> last shown
        self.requests: list[RequestRecord] = []
        self.violations: list[str] = []
        self.notes: list[str] = []
        self.changed = Signal()

    # --- lookups ------------------------------------------------------------------------------
    def guild(self, guild_id: int) -> GuildSpec | None:
        return next((guild for guild in self.guilds if guild.id == guild_id), None)

    def dm_channel(self, user: FakeUser) -> int:
        if user.id not in self.dm_channels:
            channel_id = snowflake()
            self.dm_channels[user.id] = channel_id
            self.channels[channel_id] = dm_channel_payload(channel_id, user)
        return self.dm_channels[user.id]

    def messages_in(self, channel_id: int) -> list[dict[str, Any]]:
        return [m for m in self.messages.values() if int(m["channel_id"]) == channel_id]

    def interaction_by_token(self, token: str) -> InteractionState | None:
        return next((i for i in self.interactions.values() if i.token == token), None)

    def find_request(self, method: str, path_regex: str, start: int = 0) -> RequestRecord | None:
        pattern = re.compile(path_regex)
        for record in self.requests[start:]:
            if record.method == method.upper() and pattern.fullmatch(record.path):
                return record
        return None

    # --- recording ----------------------------------------------------------------------------
    def record(self, record: RequestRecord) -> None:
        self.requests.append(record)
        self.changed.fire()

    def violation(self, text: str) -> None:
        self.violations.append(text)
        self.changed.fire()

    def note(self, text: str) -> None:
        self.notes.append(text)

    # --- commands -----------------------------------------------------------------------------
    def store_commands(self, scope: int | None, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Bulk overwrite; a command keeps its id while its (type, name) stays the same, like Discord."""
        version = str(snowflake())
        stored = []
        for command in commands:
            kind = command.get("type", CommandType.CHAT_INPUT)
            key = (scope, kind, command["name"])
            command_id = self.command_ids.setdefault(key, snowflake())
            permissions = command.get("default_member_permissions")
            entry = {
                **copy.deepcopy(command),
                "id": str(command_id),
                "application_id": str(self.application_id),
                "version": version,
                "type": kind,
                "description": command.get("description", ""),
                "default_member_permissions": None if permissions is None else str(permissions),
                "nsfw": command.get("nsfw", False),
            }
            if scope is not None:
                entry["guild_id"] = str(scope)
            stored.append(entry)
        self.commands[scope] = stored
        self.sync_counts[scope] = self.sync_counts.get(scope, 0) + 1
        return stored

    # --- messages -----------------------------------------------------------------------------
    def create_message(
        self,
        channel_id: int,
        body: dict[str, Any],
        files: list[UploadedFile],
        *,
        interaction: InteractionState | None = None,
        loading: bool = False,
    ) -> dict[str, Any]:
        message_id = snowflake()
        channel = self.channels[channel_id]
        message: dict[str, Any] = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "type": MessageType.DEFAULT,
            "author": self.bot.payload(),
            "content": "",
            "embeds": [],
            "components": [],
            "attachments": [],
            "flags": 0,
            "timestamp": snowflake_time(message_id),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
        }
        if "guild_id" in channel:
            message["guild_id"] = channel["guild_id"]
        self._apply_fields(message, body, files)
        flags = body.get("flags") or 0
        if interaction is None:
            flags &= ~MessageFlag.EPHEMERAL  # only interaction responses can be ephemeral
        else:
            self._mark_interaction_message(message, interaction)
        message["flags"] = flags | (MessageFlag.LOADING if loading else 0)
        self.messages[message_id] = message
        self.changed.fire()
        return message

    def edit_message(self, message: dict[str, Any], body: dict[str, Any], files: list[UploadedFile]) -> None:
        was_loading = bool(message["flags"] & MessageFlag.LOADING)
        self._apply_fields(message, body, files)
        kept = message["flags"] & MessageFlag.EPHEMERAL  # ephemerality is fixed at creation
        new = body.get("flags")
        base = message["flags"] if new is None else new
        message["flags"] = kept | (base & ~MessageFlag.EPHEMERAL & ~MessageFlag.LOADING)
        if not was_loading:
            message["edited_timestamp"] = now_iso()
        self.changed.fire()

    def delete_message(self, message_id: int) -> None:
        self.messages.pop(message_id, None)
        self.changed.fire()

    def delete_channel(self, channel_id: int) -> dict[str, Any]:
        """Remove a guild channel, its messages and its place in the guild; returns its payload."""
        payload = self.channels.pop(channel_id)
        for guild in self.guilds:
            guild.channels[:] = [channel for channel in guild.channels if channel.id != channel_id]
        for message in self.messages_in(channel_id):
            del self.messages[int(message["id"])]
        self.changed.fire()
        return payload

    def _apply_fields(self, message: dict[str, Any], body: dict[str, Any], files: list[UploadedFile]) -> None:
        if "content" in body:
            message["content"] = body["content"] or ""
        if "embeds" in body:
            message["embeds"] = [{"type": "rich", **embed} for embed in body["embeds"] or []]
        if "components" in body:
            message["components"] = number_components(copy.deepcopy(body["components"] or []))
        if "attachments" in body:
            message["attachments"] = self._attachments(
                int(message["channel_id"]), body["attachments"] or [], files, message["attachments"]
            )

    def _attachments(
        self,
        channel_id: int,
        wanted: list[dict[str, Any]],
        files: list[UploadedFile],
        existing: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """New uploads are referenced by their files[n] index; kept ones by their existing id."""
        uploads = {f.field: f for f in files}
        kept = {a["id"]: a for a in existing}
        result = []
        for entry in wanted:
            upload = uploads.get(f"files[{entry.get('id')}]")
            if upload is None:
                if str(entry.get("id")) in kept:
                    result.append(kept[str(entry["id"])])
                continue
            attachment_id = snowflake()
            path = f"attachments/{channel_id}/{attachment_id}/{upload.filename}"
            attachment = {
                "id": str(attachment_id),
                "filename": upload.filename,
                "size": len(upload.data),
                "url": f"https://cdn.discordapp.com/{path}",
                "proxy_url": f"https://media.discordapp.net/{path}",
                "content_type": upload.content_type,
            }
            if entry.get("description"):
                attachment["description"] = entry["description"]
            result.append(attachment)
        return result

    def _mark_interaction_message(self, message: dict[str, Any], interaction: InteractionState) -> None:
        message["webhook_id"] = message["application_id"] = str(self.application_id)
        metadata: dict[str, Any] = {
            "id": str(interaction.id),
            "type": interaction.type,
            "user": interaction.user,
            "authorizing_integration_owners": interaction.payload["authorizing_integration_owners"],
        }
        if interaction.type == InteractionType.APPLICATION_COMMAND:
            chat_input = interaction.payload["data"].get("type", CommandType.CHAT_INPUT) == CommandType.CHAT_INPUT
            message["type"] = MessageType.CHAT_INPUT_COMMAND if chat_input else MessageType.CONTEXT_MENU_COMMAND
        if interaction.source_message_id is not None:
            metadata["interacted_message_id"] = str(interaction.source_message_id)
        message["interaction_metadata"] = metadata


def number_components(components: list[Any]) -> list[Any]:
    """Give every component a numeric id, depth first, as Discord does in its responses."""
    used = {c["id"] for c in walk_components(components) if isinstance(c.get("id"), int)}
    next_id = 1
    for component in walk_components(components):
        if "id" not in component or component["id"] is None:
            while next_id in used:
                next_id += 1
            component["id"] = next_id
            used.add(next_id)
    return components


def walk_components(components: list[Any]) -> list[dict[str, Any]]:
    """Every component, nested ones included (rows, containers, sections, labels)."""
    found: list[dict[str, Any]] = []
    for component in components:
        if not isinstance(component, dict):
            continue
        found.append(component)
        found.extend(walk_components(component.get("components") or []))
        for key in ("component", "accessory"):
            if isinstance(component.get(key), dict):
                found.extend(walk_components([component[key]]))
    return found
