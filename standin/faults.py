"""REST fault injection: answers that fail, rate-limit or come late, the way Discord's do.

Every switch is bounded (a count, or a window of seconds), so a test can never hang on one::

    standin.faults.fail_next("POST", r"/channels/\\d+/messages", status=503, times=2)
    standin.faults.rate_limit_next("PATCH", r"/channels/\\d+/messages/\\d+", retry_after=0.2, scope="global")
    standin.faults.slow("PATCH", r"/channels/\\d+/messages/\\d+", 1.5, within=10)

Paths are matched (fullmatch) after /api/v10, as in ``StandIn.wait_for_request``; method "*" is any.
Faulted requests are still recorded, with the status returned and ``RequestRecord.injected`` saying why.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from aiohttp import web

RestFault = Callable[[web.Request], Awaitable[web.StreamResponse | None]]
Scope = Literal["user", "global", "shared"]

API_PREFIX = "/api/v10"
INJECTED = web.RequestKey("injected", str)  # what a fault did to this request, for its RequestRecord
MAX_TIMES = 10
MAX_RETRY_AFTER = 10.0
MAX_DELAY = 10.0
DEFAULT_WINDOW = 30.0  # a slow() without times= ends after this many seconds
EARLY_SLACK = 0.05  # a retry this close to Retry-After is not early (clock and scheduling jitter)
TOKEN_ROUTES = ("/interactions/", "/webhooks/")  # not subject to the global rate limit
SERVER_ERRORS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


@dataclass
class Fault:
    """One armed switch; ``hits`` counts the requests it changed."""

    method: str
    path: re.Pattern[str]
    kind: str
    remaining: int | None  # None: every match until the window ends
    until: float  # time.monotonic() after which it is spent
    answer: Callable[[web.Request], Awaitable[web.StreamResponse | None]] = field(repr=False)
    hits: int = 0

    @property
    def spent(self) -> bool:
        return self.remaining == 0 or time.monotonic() >= self.until

    def matches(self, request: web.Request) -> bool:
        method_ok = self.method == "*" or request.method == self.method
        return method_ok and self.path.fullmatch(_api_path(request)) is not None


@dataclass
class _Block:
    """Discord's memory of a 429 it sent: retrying before Retry-After is a rule broken."""

    scope: Scope
    method: str
    path: str
    sent: float
    until: float


class Faults:
    """The switches, checked in the order they were armed, after the raw hooks in ``rest`` (each
    sees every API request before its handler; returning a response replaces the handler's).

    ``on_violation``/``on_note`` receive rule breaks seen while faults are active (a retry before
    Retry-After); the StandIn wires them to its violations and notes."""

    def __init__(
        self,
        on_violation: Callable[[str], None] | None = None,
        on_note: Callable[[str], None] | None = None,
    ) -> None:
        self.on_violation = on_violation or (lambda text: None)
        self.on_note = on_note or (lambda text: None)
        self.rest: list[RestFault] = []
        self.armed: list[Fault] = []
        self._blocks: list[_Block] = []

    # --- switches -----------------------------------------------------------------------------
    def fail_next(
        self, method: str, path_regex: str, *, status: int = 503, times: int = 1, code: int = 0, message: str = ""
    ) -> Fault:
        """The next ``times`` matching requests get ``status`` (a Discord-shaped JSON error)."""
        _check_count(times)
        if not 400 <= status <= 599:
            raise ValueError(f"fail_next wants an error status (400-599), not {status}")
        text = message or SERVER_ERRORS.get(status, f"{status}: injected failure")

        async def answer(request: web.Request) -> web.StreamResponse:
            request[INJECTED] = f"fail {status}"
            return _json({"code": code, "message": text}, status)

        return self._arm(method, path_regex, f"fail {status}", times, math.inf, answer)

    def rate_limit_next(
        self, method: str, path_regex: str, *, retry_after: float = 0.2, scope: Scope = "user", times: int = 1
    ) -> Fault:
        """The next ``times`` matching requests get a 429 with Discord's body and headers."""
        _check_count(times)
        if scope not in ("user", "global", "shared"):
            raise ValueError(f"scope must be 'user', 'global' or 'shared', not {scope!r}")
        if not 0 < retry_after <= MAX_RETRY_AFTER:
            raise ValueError(f"retry_after must be in (0, {MAX_RETRY_AFTER}] seconds, not {retry_after}")

        async def answer(request: web.Request) -> web.StreamResponse:
            request[INJECTED] = f"rate limit {scope} {retry_after}s"
            now = time.monotonic()
            self._blocks.append(_Block(scope, request.method, _api_path(request), now, now + retry_after))
            return rate_limited(request, retry_after, scope)

        return self._arm(method, path_regex, f"429 {scope}", times, math.inf, answer)

    def slow(
        self, method: str, path_regex: str, seconds: float, *, times: int | None = None, within: float | None = None
    ) -> Fault:
        """Matching requests reach Discord ``seconds`` late (then are handled normally): the next
        ``times`` of them, or every one for ``within`` seconds (default 30 when times is not given)."""
        if not 0 < seconds <= MAX_DELAY:
            raise ValueError(f"slow() delays at most {MAX_DELAY} s, not {seconds}")
        if times is not None:
            _check_count(times)
        window = within if within is not None else (math.inf if times is not None else DEFAULT_WINDOW)

        async def answer(request: web.Request) -> None:
            request[INJECTED] = f"slow {seconds:g}s"
            await asyncio.sleep(seconds)

        return self._arm(method, path_regex, f"slow {seconds:g}s", times, window, answer)

    def clear(self) -> None:
        """Disarm every switch (raw ``rest`` hooks stay: their owners remove them)."""
        self.armed.clear()

    def _arm(self, method: str, path_regex: str, kind: str, times: int | None, window: float, answer) -> Fault:
        fault = Fault(method.upper(), re.compile(path_regex), kind, times, time.monotonic() + window, answer)
        self.armed.append(fault)
        return fault

    # --- the hook the middleware calls --------------------------------------------------------
    async def before_rest(self, request: web.Request) -> web.StreamResponse | None:
        """Raw hooks first, then the switches; the first answer wins (a slow switch only delays)."""
        self._check_retry(request)
        for hook in list(self.rest):
            response = await hook(request)
            if response is not None:
                return response
        self.armed[:] = [fault for fault in self.armed if not fault.spent]
        for fault in [f for f in self.armed if f.matches(request)]:
            if fault.spent:  # a concurrent request used it up while this one was delayed
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
            fault.hits += 1
            response = await fault.answer(request)
            if response is not None:
                return response
        return None

    def _check_retry(self, request: web.Request) -> None:
        now, path = time.monotonic(), _api_path(request)
        self._blocks[:] = [b for b in self._blocks if now < b.until]
        for block in self._blocks:
            if now - block.sent < EARLY_SLACK or now > block.until - EARLY_SLACK:
                continue  # already on its way when the 429 went out, or close enough
            where = f"{request.method} {path}"
            if block.scope != "global" and (block.method, block.path) == (request.method, path):
                self.on_violation(
                    f"{where}: retried {now - block.sent:.2f}s after a 429 that said retry_after "
                    f"{block.until - block.sent:g}s"
                )
            elif block.scope == "global" and not path.startswith(TOKEN_ROUTES):
                self.on_note(f"{where}: sent during a global rate limit")


def rate_limited(request: web.Request, retry_after: float, scope: Scope) -> web.Response:
    """A 429 as Discord sends it. ``Via`` matters: discord.py treats a 429 without it as a
    Cloudflare ban and gives up instead of retrying."""
    is_global = scope == "global"
    headers = {
        "Retry-After": str(math.ceil(retry_after)),
        "X-RateLimit-Scope": scope,
        "Via": "1.1 google",
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    else:
        resource = request.match_info.route.resource
        route = f"{request.method} {resource.canonical if resource is not None else request.path}"
        headers |= {
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": hashlib.sha1(route.encode()).hexdigest()[:32],
        }
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global}
    return _json(body, 429, headers)


def _json(data: object, status: int, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py only decodes JSON when Content-Type is exactly "application/json"
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json", **(headers or {})}
    )


def _api_path(request: web.Request) -> str:
    return request.path.removeprefix(API_PREFIX)


def _check_count(times: int) -> None:
    if not 1 <= times <= MAX_TIMES:
        raise ValueError(f"times must be 1 to {MAX_TIMES} (faults are bounded), not {times}")
