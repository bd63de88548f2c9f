"""Base classes that send component and modal errors to the same funnel as commands.

discord.py only logs an exception raised by a ``DynamicItem`` (the member would see "This
interaction failed"), and view/modal errors never reach the tree's handler.
"""

from __future__ import annotations

import re
import secrets
from typing import Any, ClassVar, Self

import discord

from bot.custom_ids import CustomId
from bot.domain.errors import ForeignComponent
from bot.funnel import report


class FunnelledItem:
    """Mix in before ``discord.ui.DynamicItem``: implement ``run`` instead of ``callback``, and
    declare the id grammar once with ``custom_id=CustomId(...)`` in the class statement; it gives
    the template, ``cls.ids(...)`` builds ids and ``from_custom_id`` passes the parsed fields to
    ``__init__`` by name (so parameters are named like the fields).

    Parsing only reads ids; resolving them belongs in ``run`` so that a stale id becomes a friendly
    message rather than a silent failure.
    """

    ids: ClassVar[CustomId]
    # An item that answers by editing its own message (a ballot step, a page) may only act on the
    # member's own private message: anywhere else it would change what it was never shown on.
    private_message_only: ClassVar[bool] = False

    def __init_subclass__(cls, *, custom_id: CustomId | None = None, **options: Any) -> None:
        if custom_id is not None:
            cls.ids = custom_id
            options["template"] = custom_id.template
        super().__init_subclass__(**options)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: Any, match: re.Match[str]) -> Self:
        return cls(**cls.ids.parse(match))

    # ``Any`` client: the items narrow it to Namida's ``Interaction`` (bot/app.py imports this module).
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if self.private_message_only and not on_own_private_message(interaction):
                raise ForeignComponent()
            await self.run(interaction)
        except Exception as error:  # noqa: BLE001 - every failure goes to the funnel
            await report(interaction, error)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError


def on_own_private_message(interaction: discord.Interaction) -> bool:
    """The clicked message is ephemeral and was shown to this member (Discord says whose it was in
    its interaction metadata)."""
    message = interaction.message
    if message is None or not message.flags.ephemeral:
        return False
    shown_to = message.interaction_metadata
    return shown_to is not None and shown_to.user.id == interaction.user.id


FORM_PREFIX = "form:"


class NamidaModal(discord.ui.Modal):
    """Forms live in memory while open; ``live`` lets the bot recognise a form that outlived its
    process (a restart) and answer it instead of leaving the member with a silent failure."""

    live: ClassVar[dict[str, NamidaModal]] = {}
    # A form of a class with ``one_per_member`` replaces the member's previous one of that class:
    # Discord says nothing when a form is dismissed, so refusing a second would lock them out.
    one_per_member: ClassVar[bool] = False
    _by_member: ClassVar[dict[tuple[type, int], NamidaModal]] = {}
    _member_key: tuple[type, int] | None = None

    def __init__(self, *, title: str, timeout: float | None = 15 * 60, purpose: str = "") -> None:
        # ``purpose``: what the form acts on (ids, a revision), readable in its custom_id (≤ 100 chars).
        custom_id = FORM_PREFIX + purpose + secrets.token_hex(8)
        super().__init__(title=title, timeout=timeout, custom_id=custom_id)
        NamidaModal.live[self.custom_id] = self

    def stop(self) -> None:
        self.forget()
        super().stop()

    async def on_timeout(self) -> None:
        self.forget()

    def forget(self) -> None:
        NamidaModal.live.pop(self.custom_id, None)
        if self._member_key is not None and NamidaModal._by_member.get(self._member_key) is self:
            del NamidaModal._by_member[self._member_key]

    @classmethod
    def forget_all(cls) -> None:
        NamidaModal.live.clear()
        NamidaModal._by_member.clear()

    async def send_to(self, interaction: discord.Interaction) -> None:
        """Shows the form; one Discord refused to show (an expired interaction, a 400) is forgotten
        at once instead of waiting in ``live`` for a submit that can never come."""
        if self.one_per_member:  # before sending: the member may submit the moment it opens
            self._member_key = (type(self), interaction.user.id)
            previous = NamidaModal._by_member.get(self._member_key)
            NamidaModal._by_member[self._member_key] = self
            if previous is not None:
                previous.stop()  # its submit now gets the expired-form answer, with the text given back
        try:
            await interaction.response.send_modal(self)
        except BaseException:
            self.forget()
            raise

    # discord.py's Modal.on_error drops the ``item`` argument of the BaseView method it overrides.
    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await report(interaction, error)


def submitted_text(data: dict) -> list[str]:
    """Every text a member typed into a submitted form, in order (for echoing it back)."""
    found: list[str] = []
    for entry in data.get("components", []):
        for field in [entry.get("component")] + list(entry.get("components", [])):
            if isinstance(field, dict) and isinstance(field.get("value"), str) and field["value"].strip():
                found.append(field["value"])
    return found


EXPIRED_FORM = (
    "That form expired (Namida restarted, it stayed open too long, or you opened a newer one), "
    "so nothing was saved."
)
