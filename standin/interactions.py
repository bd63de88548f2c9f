"""Builds realistic INTERACTION_CREATE payloads from what a member does in the Discord client.

The client only lets people do what its UI offers, so asking for something impossible (an option
the command does not have, a button that is not on the message, a command hidden by permissions)
raises InteractionRefused instead of producing a payload Discord would never send.
"""

from __future__ import annotations

import copy
import secrets
from typing import Any

from . import limits as L
from .models import BOT_PERMISSIONS, ChannelSpec, FakeUser, GuildSpec, RoleSpec, snowflake
from .protocol import SELECT_TYPES, CommandType, ContextType, InteractionType, OptionType
from .protocol import Component as C
from .state import UploadedFile, World, walk_components

Resolved = dict[str, dict[str, Any]]
SUB_TYPES = (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP)


class InteractionRefused(Exception):
    """The Discord client would not let this user do that."""


class InteractionBuilder:
    def __init__(self, world: World) -> None:
        self.world = world

    # --- application commands -----------------------------------------------------------------
    def command(
        self,
        path: list[str],
        values: dict[str, Any],
        user: FakeUser,
        guild: GuildSpec | None,
        channel_id: int,
        *,
        focused: str | None = None,
    ) -> dict[str, Any]:
        """A chat-input command (or, with focused, an autocomplete) for 'name [group] [subcommand]'."""
        command = self._find_command(path[0], guild)
        self._check_access(command, user, guild)
        resolved: Resolved = {}
        definitions = command.get("options", [])
        nesting: list[dict[str, Any]] = []
        for name in path[1:]:
            sub = next((o for o in definitions if o["name"] == name and o["type"] in SUB_TYPES), None)
            if sub is None:
                raise InteractionRefused(f"/{' '.join(path)}: {name!r} is not a subcommand or group")
            nesting.append({"name": name, "type": sub["type"]})
            definitions = sub.get("options", [])
        if any(o["type"] in SUB_TYPES for o in definitions):
            raise InteractionRefused(f"/{' '.join(path)} needs a subcommand")
        options = self._options(definitions, values, focused, resolved, guild)
        for level in reversed(nesting):
            options = [{**level, "options": options}]
        data: dict[str, Any] = {
            "id": command["id"],
            "name": command["name"],
            "type": CommandType.CHAT_INPUT,
            "options": options,
        }
        if resolved:
            data["resolved"] = resolved
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        kind = InteractionType.APPLICATION_COMMAND if focused is None else InteractionType.AUTOCOMPLETE
        return {**self._base(kind, user, guild, channel_id), "data": data}

    def _find_command(self, name: str, guild: GuildSpec | None) -> dict[str, Any]:
        for scope in ([guild.id] if guild else []) + [None]:
            for command in self.world.commands.get(scope, []):
                if command["name"] == name and command["type"] == CommandType.CHAT_INPUT:
                    return command
        synced = {scope: [c["name"] for c in commands] for scope, commands in self.world.commands.items()}
        raise LookupError(f"no synced chat-input command {name!r} visible here; synced so far: {synced}")

    def _check_access(self, command: dict[str, Any], user: FakeUser, guild: GuildSpec | None) -> None:
        contexts = command.get("contexts")
        where = ContextType.GUILD if guild else ContextType.BOT_DM
        if contexts is not None and where not in contexts:
            raise InteractionRefused(f"/{command['name']} is not available in context {where.name}")
        if guild is None:
            if contexts is None and command.get("dm_permission") is False:
                raise InteractionRefused(f"/{command['name']} is guild-only")
            return
        required = command.get("default_member_permissions")
        granted = guild.member_permissions(user)
        opened = command["name"] in self.world.opened_commands
        if required is not None and not opened and int(required) & granted != int(required):
            raise InteractionRefused(
                f"{user.name} lacks default_member_permissions={required} for "
                f"/{command['name']}; Discord hides the command from them"
            )

    def _options(
        self,
        definitions: list[dict[str, Any]],
        values: dict[str, Any],
        focused: str | None,
        resolved: Resolved,
        guild: GuildSpec | None,
    ) -> list[dict[str, Any]]:
        known = {d["name"]: d for d in definitions}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise InteractionRefused(f"unknown options {unknown}; the command has {sorted(known)}")
        if focused is None:
            missing = [d["name"] for d in definitions if d.get("required") and d["name"] not in values]
            if missing:
                raise InteractionRefused(f"required options missing: {missing}")
        elif focused not in known or not known[focused].get("autocomplete"):
            raise InteractionRefused(f"option {focused!r} does not have autocomplete")
        options = []
        for name, value in values.items():
            definition = known[name]
            if name == focused:
                options.append({"name": name, "type": definition["type"], "value": str(value), "focused": True})
            else:
                converted = self._convert(definition, value, resolved, guild)
                options.append({"name": name, "type": definition["type"], "value": converted})
        return options

    def _convert(self, definition: dict[str, Any], value: Any, resolved: Resolved, guild: GuildSpec | None) -> Any:
        kind, name = definition["type"], definition["name"]
        choices = [choice["value"] for choice in definition.get("choices") or []]
        if choices and value not in choices:
            raise InteractionRefused(f"{name}={value!r} is not one of the choices {choices}")
        expected = {
            OptionType.STRING: str,
            OptionType.INTEGER: int,
            OptionType.BOOLEAN: bool,
            OptionType.NUMBER: (int, float),
        }.get(kind)
        if expected is not None:
            if not isinstance(value, expected) or (kind != OptionType.BOOLEAN and isinstance(value, bool)):
                raise InteractionRefused(f"{name}={value!r} does not fit option type {kind}")
            if kind == OptionType.STRING:
                low, high = (
                    definition.get("min_length", 0),
                    definition.get("max_length", L.STRING_OPTION_LENGTH_MAX),
                )
                if not low <= len(value) <= high:
                    raise InteractionRefused(f"{name}: length {len(value)} is outside {low}..{high}")
            return value
        if kind in (OptionType.USER, OptionType.CHANNEL, OptionType.ROLE, OptionType.MENTIONABLE):
            return self._resolve(value, resolved, guild)
        if kind == OptionType.ATTACHMENT:
            if not isinstance(value, UploadedFile):
                raise InteractionRefused(f"{name}: attach a file as an UploadedFile, not {value!r}")
            return self._attach(value, resolved)
        raise TypeError(f"the stand-in cannot fill option type {kind} ({name}) yet")

    def _attach(self, upload: UploadedFile, resolved: Resolved) -> str:
        """A file the member picked: Discord uploads it first, then sends its id and CDN address."""
        if len(upload.data) > L.ATTACHMENT_SIZE_LIMIT:
            raise InteractionRefused(f"{upload.filename} is over the {L.ATTACHMENT_SIZE_LIMIT}-byte upload limit")
        attachment_id = snowflake()
        self.world.uploads[attachment_id] = upload
        url = f"{self.world.cdn_base}/{attachment_id}/{upload.filename}"
        resolved.setdefault("attachments", {})[str(attachment_id)] = {
            "id": str(attachment_id),
            "filename": upload.filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
            "content_type": upload.content_type,
        }
        return str(attachment_id)

    def _resolve(self, value: Any, resolved: Resolved, guild: GuildSpec | None) -> str:
        """Add a user/role/channel to the resolved map (as Discord does) and return its id."""
        if isinstance(value, int) and value in self.world.users:
            value = self.world.users[value]
        if isinstance(value, FakeUser):
            resolved.setdefault("users", {})[str(value.id)] = value.payload()
            if guild is not None:
                member = guild.member_payload(value)
                del member["user"]
                resolved.setdefault("members", {})[str(value.id)] = member
            return str(value.id)
        if isinstance(value, RoleSpec):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            return str(value.id)
        if isinstance(value, ChannelSpec):
            channel = {**self.world.channels[value.id], "permissions": str(BOT_PERMISSIONS)}
            resolved.setdefault("channels", {})[str(value.id)] = channel
            return str(value.id)
        raise InteractionRefused(f"cannot resolve {value!r}: pass a FakeUser, RoleSpec or ChannelSpec")

    # --- components ---------------------------------------------------------------------------
    def component(
        self, message: dict[str, Any], custom_id: str, user: FakeUser, values: list[Any] | None
    ) -> dict[str, Any]:
        component = next(
            (c for c in walk_components(message.get("components", [])) if c.get("custom_id") == custom_id),
            None,
        )
        if component is None:
            raise InteractionRefused(f"message {message['id']} has no component with custom_id {custom_id!r}")
        if component.get("disabled"):
            raise InteractionRefused(f"component {custom_id!r} is disabled")
        kind = component["type"]
        guild = self.world.guild(int(message["guild_id"])) if "guild_id" in message else None
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": kind}
        if kind == C.BUTTON:
            if values is not None:
                raise InteractionRefused(f"{custom_id!r} is a button; use click()")
        elif kind in SELECT_TYPES:
            if values is None:
                raise InteractionRefused(f"{custom_id!r} is a select menu; use select()")
            resolved: Resolved = {}
            data["values"] = self._select_values(component, values, resolved, guild)
            if resolved:
                data["resolved"] = resolved
        else:
            raise InteractionRefused(f"{custom_id!r} (type {kind}) is not clickable")
        payload = self._base(InteractionType.MESSAGE_COMPONENT, user, guild, int(message["channel_id"]))
        return {**payload, "data": data, "message": copy.deepcopy(message)}

    def _select_values(
        self, select: dict[str, Any], values: list[Any], resolved: Resolved, guild: GuildSpec | None
    ) -> list[str]:
        low, high = select.get("min_values", 1), select.get("max_values", 1)
        if not low <= len(values) <= high:
            raise InteractionRefused(f"{select['custom_id']!r} takes {low}..{high} values, got {len(values)}")
        if select["type"] != C.STRING_SELECT:
            return [self._resolve(value, resolved, guild) for value in values]
        offered = [option["value"] for option in select.get("options", [])]
        missing = [value for value in values if value not in offered]
        if missing:
            raise InteractionRefused(f"{select['custom_id']!r} does not offer {missing}; it offers {offered}")
        return list(values)

    # --- modals -------------------------------------------------------------------------------
    def modal_submit(
        self, custom_id: str, values: dict[str, Any], user: FakeUser, message: dict[str, Any] | None
    ) -> dict[str, Any]:
        shown = self.world.modals.get((user.id, custom_id))
        if shown is None:
            shown_to_user = [key[1] for key in self.world.modals if key[0] == user.id]
            raise InteractionRefused(
                f"the bot never showed {user.name} a modal {custom_id!r}; it showed them {shown_to_user}"
            )
        opener = shown.opened_by
        remaining = dict(values)
        components = [self._submitted_entry(entry, remaining) for entry in shown.data["components"]]
        if remaining:
            raise InteractionRefused(f"modal {custom_id!r} has no fields {sorted(remaining)}")
        guild = self.world.guild(int(opener.payload["guild_id"])) if "guild_id" in opener.payload else None
        payload = self._base(InteractionType.MODAL_SUBMIT, user, guild, opener.channel_id)
        payload["data"] = {"custom_id": custom_id, "components": components}
        source = message or self.world.messages.get(opener.source_message_id or 0)
        if source is not None:
            payload["message"] = copy.deepcopy(source)
        return payload

    def _submitted_entry(self, entry: dict[str, Any], remaining: dict[str, Any]) -> dict[str, Any]:
        if entry["type"] == C.ACTION_ROW:
            return {
                "type": C.ACTION_ROW,
                "id": entry["id"],
                "components": [self._submitted_field(field, remaining) for field in entry["components"]],
            }
        if entry["type"] == C.LABEL:
            return {
                "type": C.LABEL,
                "id": entry["id"],
                "component": self._submitted_field(entry["component"], remaining),
            }
        return {"type": entry["type"], "id": entry["id"]}

    def _submitted_field(self, field: dict[str, Any], remaining: dict[str, Any]) -> dict[str, Any]:
        custom_id, kind = field["custom_id"], field["type"]
        base = {"type": kind, "id": field["id"], "custom_id": custom_id}
        if kind == C.TEXT_INPUT:
            value = remaining.pop(custom_id, field.get("value") or "")
            if not isinstance(value, str):
                raise InteractionRefused(f"text input {custom_id!r} takes a string, got {value!r}")
            low, high = field.get("min_length") or 0, field.get("max_length") or L.TEXT_INPUT_VALUE_MAX
            if value and not low <= len(value) <= high:
                raise InteractionRefused(f"text input {custom_id!r}: length {len(value)} is outside {low}..{high}")
            if not value and field.get("required", True):
                raise InteractionRefused(f"text input {custom_id!r} is required")
            return {**base, "value": value}
        if kind == C.STRING_SELECT:
            chosen = remaining.pop(custom_id, [o["value"] for o in field.get("options", []) if o.get("default")])
            return {**base, "values": self._select_values(field, list(chosen), {}, None)}
        raise TypeError(f"the stand-in cannot fill modal component type {kind} ({custom_id}) yet")

    # --- shared -------------------------------------------------------------------------------
    def _base(self, kind: int, user: FakeUser, guild: GuildSpec | None, channel_id: int) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(snowflake()),
            "application_id": str(self.world.application_id),
            "type": kind,
            "token": secrets.token_urlsafe(48),
            "version": 1,
            "channel_id": str(channel_id),
            "app_permissions": str(BOT_PERMISSIONS),
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": L.ATTACHMENT_SIZE_LIMIT,
            # "0" = guild install; in a DM with the bot user its value is "0" too
            "authorizing_integration_owners": {"0": str(guild.id) if guild else "0"},
            "context": ContextType.GUILD if guild else ContextType.BOT_DM,
        }
        channel = dict(self.world.channels[channel_id])
        if guild is None:
            payload["user"] = user.payload()
        else:
            member = guild.member_payload(user, channel_id=channel_id)  # Discord applies the overwrites
            channel["permissions"] = member["permissions"]
            payload.update(
                guild_id=str(guild.id),
                guild_locale="en-US",
                member=member,
                guild={"id": str(guild.id), "locale": "en-US", "features": []},
            )
        payload["channel"] = channel
        return payload
