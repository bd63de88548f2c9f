"""What a member saw after an interaction: the bot's callback, the response message, followups."""

from __future__ import annotations

from typing import Any

from .protocol import Callback, Component, MessageFlag
from .state import CallbackAttempt, InteractionState, World, walk_components


class InteractionResult:
    """A live view of one injected interaction; properties always reflect the latest state."""

    def __init__(self, world: World, state: InteractionState) -> None:
        self._world = world
        self._state = state
        self._followups_seen = 0

    def __repr__(self) -> str:
        return f"<InteractionResult id={self.id} type={self.type} status={self.status} content={self.content!r}>"

    async def wait_for_callback(self, timeout: float = 5.0) -> InteractionResult:  # noqa: ASYNC109
        await self._world.changed.wait_for(
            lambda: self._first_attempt, timeout, f"the bot to answer interaction {self.id}"
        )
        return self

    # --- the callback -------------------------------------------------------------------------
    @property
    def id(self) -> int:
        return self._state.id

    @property
    def payload(self) -> dict[str, Any]:
        """The INTERACTION_CREATE body the bot received."""
        return self._state.payload

    @property
    def _first_attempt(self) -> CallbackAttempt | None:
        return self._state.attempts[0] if self._state.attempts else None

    @property
    def attempts(self) -> list[CallbackAttempt]:
        """Every callback the bot posted for this interaction, rejected ones included."""
        return self._state.attempts

    @property
    def status(self) -> int | None:
        """HTTP status the stand-in gave the first callback (400 when it broke a limit)."""
        return self._first_attempt.status if self._first_attempt else None

    @property
    def accepted(self) -> bool:
        return self._state.accepted is not None

    @property
    def type(self) -> int | None:
        """Callback type of the first callback attempt (see protocol.Callback)."""
        return self._first_attempt.type if self._first_attempt else None

    @property
    def callback(self) -> Any:
        """The first callback body as the bot sent it."""
        return self._first_attempt.body if self._first_attempt else None

    @property
    def _data(self) -> dict[str, Any]:
        body = self.callback
        return (body.get("data") or {}) if isinstance(body, dict) else {}

    # --- the visible response -----------------------------------------------------------------
    @property
    def message(self) -> dict[str, Any] | None:
        """The response message as currently stored (created, updated, or the deferred one)."""
        return self._world.messages.get(self._state.original_id or 0)

    @property
    def ephemeral(self) -> bool:
        if self.message is not None:
            return bool(self.message["flags"] & MessageFlag.EPHEMERAL)
        return bool((self._data.get("flags") or 0) & MessageFlag.EPHEMERAL)

    @property
    def content(self) -> str:
        source = self.message if self.message is not None else self._data
        return source.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        source = self.message if self.message is not None else self._data
        return source.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        source = self.message if self.message is not None else self._data
        return source.get("components") or []

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        return self._data.get("choices") if self.type == Callback.AUTOCOMPLETE_RESULT else None

    @property
    def modal(self) -> dict[str, Any] | None:
        return self._data if self.type == Callback.MODAL else None

    @property
    def followups(self) -> list[dict[str, Any]]:
        messages = self._world.messages
        return [messages[i] for i in self._state.followup_ids if i in messages]

    async def next_followup(self, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The next followup not yet returned by this method (waits for it if needed)."""

        def check() -> dict[str, Any] | None:
            ids = self._state.followup_ids
            return self._world.messages.get(ids[self._followups_seen]) if len(ids) > self._followups_seen else None

        followup = await self._world.changed.wait_for(check, timeout, f"a followup to interaction {self.id}")
        self._followups_seen += 1
        return followup

    async def final_message(self, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The response once complete: immediately for types 4/7; for a defer (5/6), after the bot
        edited @original or sent a followup."""

        def check() -> dict[str, Any] | None:
            state = self._state
            if self.type in (Callback.CHANNEL_MESSAGE, Callback.UPDATE_MESSAGE) or state.original_edits:
                return self.message
            return self._world.messages.get(state.followup_ids[0]) if state.followup_ids else None

        return await self._world.changed.wait_for(check, timeout, f"the final response to interaction {self.id}")

    def all_text(self) -> str:
        """Every string the member can see in the response, one per line (for leak assertions)."""
        texts: list[str] = []
        if self.message is None and self.type == Callback.CHANNEL_MESSAGE:
            texts.extend(message_texts(self._data))  # rejected: still count what the bot tried to show
        # after a thinking defer the first followup *is* the original message: count it once
        messages = {m["id"]: m for m in ([self.message] if self.message else []) + self.followups}
        for message in messages.values():
            texts.extend(message_texts(message))
        if self.modal is not None:
            texts.append(self.modal.get("title") or "")
            texts.extend(component_texts(self.modal.get("components") or []))
        for choice in self.choices or []:
            texts.append(str(choice.get("name", "")))
        return "\n".join(text for text in texts if text)


def message_texts(message: dict[str, Any]) -> list[str]:
    texts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        texts += [embed.get("title") or "", embed.get("description") or ""]
        for field in embed.get("fields") or []:
            texts += [field.get("name") or "", field.get("value") or ""]
        texts += [
            (embed.get("footer") or {}).get("text") or "",
            (embed.get("author") or {}).get("name") or "",
        ]
    return texts + component_texts(message.get("components") or [])


def component_texts(components: list[Any]) -> list[str]:
    texts: list[str] = []
    for component in walk_components(components):
        keys = ["label", "placeholder", "description", "content"]
        if component.get("type") == Component.TEXT_INPUT:
            keys.append("value")  # a prefilled answer is shown to the member
        texts += [component[key] for key in keys if isinstance(component.get(key), str)]
        for option in component.get("options") or []:
            texts += [option.get("label") or "", option.get("description") or ""]
    return texts
