"""Many clicks at once, measured: component interactions dispatched without one waiter per click,
and every interaction callback timestamped the moment the stand-in receives it.

``StandIn.click`` waits for each answer through the world's change signal, which wakes every
waiter on every request (fine for a test, quadratic for 2,000 concurrent clicks). ``ClickLoad``
instead counts answers as they arrive, so the stand-in's own cost stays small and equal for every
bot it serves. With ``checks=False`` the callback is applied without the payload-limit checks
(for load phases only: correctness runs keep them on).

    load = ClickLoad(standin)
    clicks = load.prepare(message, [(member, custom_id), ...])
    await load.fire(clicks)                    # all at once
    await load.fire(clicks, rate=1000)         # paced, per second
    [(c.latency, c.content) for c in clicks]
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from . import limits as L
from .http_api import BODY, FILES, WORLD, error_reply, json_reply, reject
from .models import FakeUser, snowflake
from .problems import Problem
from .server import StandIn
from .state import CallbackAttempt, InteractionState
from .webhooks import (
    TRUE_VALUES,
    UNKNOWN_INTERACTION,
    _apply_callback,
    interaction_callback,
)

CALLBACK_SUFFIX = "/callback"


@dataclass(eq=False)
class Click:
    """One dispatched click and what became of it (times on the stand-in's clock)."""

    state: InteractionState
    user_id: int
    custom_id: str
    dispatched_at: float | None = None
    acked_at: float | None = None  # when the first callback request reached the stand-in
    status: int | None = None
    callback_type: int | None = None
    content: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status is not None and self.status < 300

    @property
    def latency(self) -> float | None:
        if self.acked_at is None or self.dispatched_at is None:
            return None
        return self.acked_at - self.dispatched_at

    def summary(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "custom_id": self.custom_id,
            "dispatched_at": self.dispatched_at,
            "acked_at": self.acked_at,
            "status": self.status,
            "type": self.callback_type,
            "content": self.content,
        }


AckListener = Callable[[Click], None]


class ClickLoad:
    """Installs itself as the first REST fault hook of ``standin`` (it answers only callbacks of the
    clicks it dispatched; every other request goes on to the normal handlers)."""

    def __init__(self, standin: StandIn, *, checks: bool = True) -> None:
        self.standin = standin
        self.checks = checks
        self._clicks: dict[int, Click] = {}
        self._waiting = 0
        self._all_answered = asyncio.Event()
        self._all_answered.set()
        self.listeners: list[AckListener] = []
        standin.faults.rest.insert(0, self._on_request)

    def close(self) -> None:
        if self._on_request in self.standin.faults.rest:
            self.standin.faults.rest.remove(self._on_request)

    # --- building -----------------------------------------------------------------------------
    def prepare(self, message: dict[str, Any], clicks: Sequence[tuple[FakeUser, str]]) -> list[Click]:
        """Payloads for clicks on ``message`` (built now, so firing costs only the dispatch)."""
        builder = self.standin._builder
        guild = self.standin.world.guild(int(message["guild_id"])) if "guild_id" in message else None
        templates: dict[str, dict[str, Any]] = {}
        members: dict[int, dict[str, Any]] = {}
        prepared = []
        for user, custom_id in clicks:
            if custom_id not in templates:
                templates[custom_id] = builder.component(message, custom_id, user, None)
            template = templates[custom_id]
            payload = {**template, "id": str(snowflake()), "token": secrets.token_urlsafe(48)}
            if guild is not None:
                if user.id not in members:
                    members[user.id] = guild.member_payload(user)
                member = members[user.id]
                payload["member"] = member
                payload["channel"] = {**template["channel"], "permissions": member["permissions"]}
            else:
                payload["user"] = user.payload()
            prepared.append(Click(InteractionState(payload, 0.0), user.id, custom_id))
        return prepared

    # --- firing -------------------------------------------------------------------------------
    async def fire(self, clicks: Sequence[Click], *, rate: float | None = None) -> None:
        """Dispatch every click: back to back, or ``rate`` per second. Returns once all are sent
        (use ``wait_answered`` for the answers)."""
        world, gateway, clock = self.standin.world, self.standin.gateway, self.standin.clock
        for click in clicks:
            world.interactions[click.state.id] = click.state
            self._clicks[click.state.id] = click
        self._waiting += len(clicks)
        if self._waiting:
            self._all_answered.clear()
        start = clock.now()
        sent = 0
        while sent < len(clicks):
            due = len(clicks) if rate is None else min(len(clicks), int((clock.now() - start) * rate) + 1)
            while sent < due:
                click = clicks[sent]
                click.state.dispatched_at = click.dispatched_at = clock.now()
                await gateway.dispatch("INTERACTION_CREATE", click.state.payload)
                sent += 1
            if sent < len(clicks):
                await asyncio.sleep(0.001)

    async def wait_answered(self, timeout: float) -> bool:  # noqa: ASYNC109
        """True once every fired click got a callback; False after ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self._all_answered.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def forget_unanswered(self) -> None:
        """Stop waiting for clicks that will never be answered (their bot was killed)."""
        self._waiting = 0
        self._all_answered.set()

    # --- answering ----------------------------------------------------------------------------
    async def _on_request(self, request: web.Request) -> web.StreamResponse | None:
        if request.method != "POST" or not request.path.endswith(CALLBACK_SUFFIX):
            return None
        raw_id = request.match_info.get("interaction_id", "")
        click = self._clicks.get(int(raw_id)) if raw_id.isdigit() else None
        if click is None:
            return None
        arrived = self.standin.clock.now()
        response = await interaction_callback(request) if self.checks else self._unchecked_callback(request, click)
        first = click.acked_at is None
        if first:
            click.acked_at = arrived
            click.status = response.status
            body = click.state.attempts[0].body if click.state.attempts else None
            if isinstance(body, dict):
                click.callback_type = body.get("type")
                click.content = (body.get("data") or {}).get("content")
            self._waiting -= 1
            if self._waiting <= 0:
                self._waiting = 0
                self._all_answered.set()
            for listener in list(self.listeners):
                listener(click)
        return response

    def _unchecked_callback(self, request: web.Request, click: Click) -> web.Response:
        """``webhooks.interaction_callback`` without the payload checks (and without waking every
        waiter): the token, the 3-second rule and double acknowledgements are still enforced."""
        world, state = request.app[WORLD], click.state
        body = request[BODY]
        kind = body.get("type") if isinstance(body, dict) else None
        if state.token != request.match_info["token"]:
            response = error_reply(404, UNKNOWN_INTERACTION, "Unknown interaction")
        elif state.accepted is not None:
            problem = Problem((), "Interaction has already been acknowledged.", "ALREADY_ACKNOWLEDGED", 40060)
            response = reject(request, [problem])
        elif world.clock.now() - state.dispatched_at > L.INTERACTION_ACK_DEADLINE:
            world.violation(
                f"POST /interactions/{{interaction_id}}/{{token}}/callback: first callback came "
                f"{world.clock.now() - state.dispatched_at:.2f}s after INTERACTION_CREATE"
            )
            response = error_reply(404, UNKNOWN_INTERACTION, "Unknown interaction")
        elif not isinstance(kind, int):
            response = reject(request, [Problem(("type",), "callback body must have an integer type")])
        else:
            reply = _apply_callback(world, state, body, request[FILES])
            with_response = request.query.get("with_response") in TRUE_VALUES
            response = json_reply(reply) if with_response else web.Response(status=204)
        attempt = CallbackAttempt(kind, body, response.status)
        state.attempts.append(attempt)
        if response.status < 300:
            state.accepted = attempt
        return response


def kill_after_acks(load: ClickLoad, clicks: Sequence[Click], acks: int, kill: Callable[[], None]) -> list[float]:
    """Call ``kill`` (e.g. SIGKILL the bot) as soon as ``acks`` of ``clicks`` have been answered,
    from inside the stand-in's handler of that answer. Returns a list that receives the kill time."""
    wanted = set(map(id, clicks))
    seen = 0
    killed_at: list[float] = []

    def on_ack(click: Click) -> None:
        nonlocal seen
        if id(click) not in wanted or killed_at:
            return
        seen += 1
        if seen >= acks:
            killed_at.append(load.standin.clock.now())
            load.listeners.remove(on_ack)
            kill()

    load.listeners.append(on_ack)
    return killed_at
