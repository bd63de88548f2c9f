"""Fake Discord entities (users, guilds, channels, roles) and their JSON payloads."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .protocol import ChannelType

DISCORD_EPOCH_MS = 1420070400000
_increment = itertools.count()


def snowflake() -> int:
    """A fresh id that decodes to 'now', like Discord's (timestamp << 22 | counter)."""
    millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (millis << 22) | (next(_increment) % (1 << 22))


def snowflake_on_shard(shard_id: int, shard_count: int) -> int:
    """A fresh id (at most shard_count - 1 ms ahead) whose guild lands on that gateway shard."""
    if not 0 <= shard_id < shard_count:
        raise ValueError(f"shard {shard_id} does not exist among {shard_count}")
    millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
    millis += (shard_id - millis) % shard_count  # the shard is (id >> 22) % count
    return (millis << 22) | (next(_increment) % (1 << 22))


def snowflake_time(value: int) -> str:
    millis = (value >> 22) + DISCORD_EPOCH_MS
    return datetime.fromtimestamp(millis / 1000, tz=UTC).isoformat()


def now_iso() -> str:
    return datetime.now(tz=UTC).isoformat()


# Permission bits from Discord's docs; names match discord.Permissions attribute names.
PERMISSIONS: dict[str, int] = {
    name: 1 << bit
    for bit, name in enumerate(
        [
            "create_instant_invite",
            "kick_members",
            "ban_members",
            "administrator",
            "manage_channels",
            "manage_guild",
            "add_reactions",
            "view_audit_log",
            "priority_speaker",
            "stream",
            "view_channel",
            "send_messages",
            "send_tts_messages",
            "manage_messages",
            "embed_links",
            "attach_files",
            "read_message_history",
            "mention_everyone",
            "use_external_emojis",
            "view_guild_insights",
            "connect",
            "speak",
            "mute_members",
            "deafen_members",
            "move_members",
            "use_voice_activation",
            "change_nickname",
            "manage_nicknames",
            "manage_roles",
            "manage_webhooks",
            "manage_expressions",
            "use_application_commands",
            "request_to_speak",
            "manage_events",
            "manage_threads",
            "create_public_threads",
            "create_private_threads",
            "use_external_stickers",
            "send_messages_in_threads",
            "use_embedded_activities",
            "moderate_members",
        ]
    )
}
ALL_PERMISSIONS = sum(PERMISSIONS.values())
EVERYONE_PERMISSIONS = sum(
    PERMISSIONS[name]
    for name in (
        "create_instant_invite",
        "add_reactions",
        "view_channel",
        "send_messages",
        "embed_links",
        "attach_files",
        "read_message_history",
        "use_external_emojis",
        "connect",
        "speak",
        "change_nickname",
        "use_application_commands",
        "send_messages_in_threads",
        "create_public_threads",
    )
)
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | PERMISSIONS["manage_messages"]


def permission_bits(permissions: int | str | Iterable[str]) -> int:
    """Accept an int, one permission name, or several names ('manage_guild', ...)."""
    if isinstance(permissions, int):
        return permissions
    names = [permissions] if isinstance(permissions, str) else list(permissions)
    unknown = [name for name in names if name not in PERMISSIONS]
    if unknown:
        raise ValueError(f"unknown permission names {unknown}; known: {sorted(PERMISSIONS)}")
    return sum(PERMISSIONS[name] for name in names)


def effective_permissions(bits: int) -> int:
    return ALL_PERMISSIONS if bits & PERMISSIONS["administrator"] else bits


@dataclass(frozen=True)
class FakeUser:
    """A Discord user; role_ids/permissions only matter when it acts inside a guild."""

    id: int
    name: str
    role_ids: tuple[int, ...] = ()
    permissions: int = 0  # granted on top of @everyone and the roles
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": None if self.bot else self.name.title(),
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass(frozen=True)
class RoleSpec:
    id: int
    name: str
    permissions: int = 0
    position: int = 1
    bot_id: int | None = None  # set for a role an integration manages (a bot's own role)
    mentionable: bool = False  # anyone may ping it; otherwise only with Mention Everyone

    def payload(self) -> dict[str, Any]:
        tags = {"tags": {"bot_id": str(self.bot_id)}} if self.bot_id is not None else {}
        return {
            **tags,
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": self.bot_id is not None,
            "mentionable": self.mentionable,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }


@dataclass(frozen=True)
class Overwrite:
    """A channel permission overwrite for one role (kind 0) or one member (kind 1)."""

    id: int
    allow: int = 0
    deny: int = 0
    kind: int = 0

    def payload(self) -> dict[str, Any]:
        return {"id": str(self.id), "type": self.kind, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass(frozen=True)
class ChannelSpec:
    id: int
    name: str
    position: int = 0
    type: int = ChannelType.GUILD_TEXT
    denied_to_everyone: int = 0  # permission bits an @everyone overwrite denies (the bot included)
    overwrites: tuple[Overwrite, ...] = ()  # further overwrites, for roles or members

    def all_overwrites(self, guild_id: int) -> list[Overwrite]:
        found = [Overwrite(guild_id, deny=self.denied_to_everyone)] if self.denied_to_everyone else []
        return found + list(self.overwrites)

    def payload(self, guild_id: int) -> dict[str, Any]:
        overwrites = [overwrite.payload() for overwrite in self.all_overwrites(guild_id)]
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": overwrites,
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass
class GuildSpec:
    id: int
    name: str
    owner_id: int
    channels: list[ChannelSpec] = field(default_factory=list)
    roles: list[RoleSpec] = field(default_factory=list)  # @everyone (id == guild id) comes first

    def channel(self, name: str) -> ChannelSpec:
        return _by_name(self.channels, name, "channel")

    def role(self, name: str) -> RoleSpec:
        return _by_name(self.roles, name, "role")

    @property
    def everyone(self) -> RoleSpec:
        return self.roles[0]

    def member_permissions(self, user: FakeUser) -> int:
        if user.id == self.owner_id:
            return ALL_PERMISSIONS
        bits = self.everyone.permissions | user.permissions
        for role in self.roles:
            if role.id in user.role_ids:
                bits |= role.permissions
        return effective_permissions(bits)

    def channel_permissions(self, user: FakeUser, channel_id: int) -> int:
        """The member's permissions in one channel, overwrites applied in Discord's order: @everyone,
        then the member's roles together, then the member."""
        bits = self.member_permissions(user)
        channel = next((c for c in self.channels if c.id == channel_id), None)
        if channel is None or bits & PERMISSIONS["administrator"]:
            return bits
        overwrites = channel.all_overwrites(self.id)
        for overwrite in overwrites:
            if overwrite.kind == 0 and overwrite.id == self.id:
                bits = (bits & ~overwrite.deny) | overwrite.allow
        allow = deny = 0
        for overwrite in overwrites:
            if overwrite.kind == 0 and overwrite.id in user.role_ids:
                allow, deny = allow | overwrite.allow, deny | overwrite.deny
        bits = (bits & ~deny) | allow
        for overwrite in overwrites:
            if overwrite.kind == 1 and overwrite.id == user.id:
                bits = (bits & ~overwrite.deny) | overwrite.allow
        return bits

    def member_payload(
        self, user: FakeUser, *, with_permissions: bool = True, channel_id: int | None = None
    ) -> dict[str, Any]:
        member: dict[str, Any] = {
            "user": user.payload(),
            "roles": [str(role_id) for role_id in user.role_ids],
            "nick": None,
            "avatar": None,
            "banner": None,
            "joined_at": snowflake_time(self.id),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_permissions:
            bits = self.member_permissions(user) if channel_id is None else self.channel_permissions(user, channel_id)
            member["permissions"] = str(bits)
        return member

    def create_payload(self, bot: FakeUser) -> dict[str, Any]:
        """The GUILD_CREATE body: the fields discord.py's Guild._from_data reads."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "system_channel_id": str(self.channels[0].id) if self.channels else None,
            "features": [],
            "roles": [role.payload() for role in self.roles],
            "emojis": [],
            "stickers": [],
            "channels": [channel.payload(self.id) for channel in self.channels],
            "threads": [],
            "members": [self.member_payload(bot, with_permissions=False)],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "member_count": 2,
            "large": False,
            "unavailable": False,
            "joined_at": snowflake_time(self.id),
            "max_members": 500000,
            "premium_progress_bar_enabled": False,
        }


def make_guild(
    name: str = "Stand-in Guild",
    *,
    owner_id: int | None = None,
    channels: Sequence[str] = ("general",),
    roles: dict[str, int | str | Iterable[str]] | None = None,
    shard: tuple[int, int] | None = None,
) -> GuildSpec:
    """A guild with fresh ids; roles maps a role name to its permissions (names or bits);
    shard = (shard_id, shard_count) picks an id that gateway shard owns."""
    guild_id = snowflake() if shard is None else snowflake_on_shard(*shard)
    role_map = {"Moderator": ("manage_guild", "manage_messages", "kick_members")} if roles is None else roles
    everyone = RoleSpec(guild_id, "@everyone", EVERYONE_PERMISSIONS, position=0)
    return GuildSpec(
        id=guild_id,
        name=name,
        owner_id=owner_id or snowflake(),
        channels=[ChannelSpec(snowflake(), channel, position) for position, channel in enumerate(channels)],
        roles=[everyone]
        + [
            RoleSpec(snowflake(), role, permission_bits(bits), position)
            for position, (role, bits) in enumerate(role_map.items(), start=1)
        ],
    )


def dm_channel_payload(channel_id: int, recipient: FakeUser) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": ChannelType.DM,
        "last_message_id": None,
        "flags": 0,
        "recipients": [recipient.payload()],
    }


def _by_name(items: Sequence[Any], name: str, kind: str) -> Any:
    for item in items:
        if item.name == name:
            return item
    raise KeyError(f"no {kind} named {name!r}; have {[item.name for item in items]}")
