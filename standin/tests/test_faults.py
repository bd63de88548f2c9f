"""REST fault switches: failures, rate limits with Discord's headers, slow answers; all bounded and
recorded. First spoken to directly, then through discord.py (which must recover by itself)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from standin import StandIn
from standin.tests.tiny_bot import TinyBot

pytestmark = [pytest.mark.asyncio, pytest.mark.filterwarnings("error")]
MESSAGES = r"/channels/\d+/messages"


@pytest_asyncio.fixture
async def http(standin: StandIn) -> AsyncIterator[aiohttp.ClientSession]:
    headers = {"Authorization": f"Bot {standin.token}"}
    async with aiohttp.ClientSession(base_url=standin.api_base + "/", headers=headers) as session:
        yield session


async def post(http: aiohttp.ClientSession, standin: StandIn, text: str = "hi") -> tuple[int, Any, Any]:
    async with http.post(f"channels/{standin.channel.id}/messages", json={"content": text}) as response:
        return response.status, response.headers, await response.json()


async def test_fail_next_fails_exactly_times_requests_and_records_them(standin: StandIn, http) -> None:
    fault = standin.faults.fail_next("POST", MESSAGES, status=503, times=2)
    async with http.get("users/@me") as response:
        assert response.status == 200  # other routes are untouched

    outcomes = [await post(http, standin, f"try {n}") for n in range(3)]
    assert [status for status, _, _ in outcomes] == [503, 503, 200]
    assert outcomes[0][2] == {"code": 0, "message": "Service Unavailable"}
    assert [m["content"] for m in standin.messages_in()] == ["try 2"]  # failed posts create nothing
    posts = [r for r in standin.requests if r.method == "POST"]
    assert [(r.status, r.injected) for r in posts] == [(503, "fail 503"), (503, "fail 503"), (200, None)]
    assert fault.hits == 2 and fault.spent and standin.faults.armed == []


async def test_rate_limit_headers_are_discords(standin: StandIn, http) -> None:
    standin.faults.rate_limit_next("POST", MESSAGES, retry_after=0.25)
    status, headers, body = await post(http, standin)
    assert status == 429 and body == {"message": "You are being rate limited.", "retry_after": 0.25, "global": False}
    assert headers["Via"] == "1.1 google"  # without it discord.py assumes a Cloudflare ban
    assert headers["Retry-After"] == "1" and headers["X-RateLimit-Scope"] == "user"
    assert headers["X-RateLimit-Limit"] == "5" and headers["X-RateLimit-Remaining"] == "0"
    assert float(headers["X-RateLimit-Reset-After"]) == 0.25 and headers["X-RateLimit-Bucket"]
    assert float(headers["X-RateLimit-Reset"]) == pytest.approx(time.time() + 0.25, abs=1)
    assert "X-RateLimit-Global" not in headers

    standin.faults.rate_limit_next("POST", MESSAGES, retry_after=0.1, scope="global")
    await asyncio.sleep(0.25)
    status, headers, body = await post(http, standin)
    assert status == 429 and body["global"] is True
    assert (headers["X-RateLimit-Global"], headers["X-RateLimit-Scope"]) == ("true", "global")
    assert "X-RateLimit-Bucket" not in headers

    standin.faults.rate_limit_next("POST", MESSAGES, retry_after=0.1, scope="shared")
    await asyncio.sleep(0.15)
    assert (await post(http, standin))[1]["X-RateLimit-Scope"] == "shared"
    assert [r.injected for r in standin.requests] == [
        "rate limit user 0.25s",
        "rate limit global 0.1s",
        "rate limit shared 0.1s",
    ]
    assert standin.violations == []


async def test_retrying_before_retry_after_is_a_violation(standin: StandIn, http) -> None:
    standin.faults.rate_limit_next("POST", MESSAGES, retry_after=1.0)
    assert (await post(http, standin))[0] == 429
    await asyncio.sleep(0.1)
    assert (await post(http, standin))[0] == 200  # Discord may still answer; the rule is broken anyway
    assert len(standin.violations) == 1 and "after a 429 that said retry_after 1s" in standin.violations[0]


async def test_slow_delays_matching_requests_within_its_bounds(standin: StandIn, http) -> None:
    standin.faults.slow("GET", r"/users/@me", 0.3, times=1)
    started = time.monotonic()
    async with http.get("users/@me") as response:
        assert response.status == 200
    assert time.monotonic() - started >= 0.3 and standin.requests[-1].injected == "slow 0.3s"
    started = time.monotonic()
    async with http.get("users/@me") as response:
        assert response.status == 200
    assert time.monotonic() - started < 0.3  # times=1 was used up

    standin.faults.slow("*", r".*", 0.2, within=0.3)  # any method, any path, for 0.3 s
    await asyncio.sleep(0.35)
    assert standin.faults.armed[0].spent
    async with http.get("gateway") as response:
        assert response.status == 200 and standin.requests[-1].injected is None


@pytest.mark.parametrize(
    ("arm", "message"),
    [
        (lambda f: f.fail_next("GET", ".*", times=0), "times must be 1 to 10"),
        (lambda f: f.fail_next("GET", ".*", times=1000), "times must be 1 to 10"),
        (lambda f: f.fail_next("GET", ".*", status=200), "error status"),
        (lambda f: f.rate_limit_next("GET", ".*", retry_after=60), "retry_after must be"),
        (lambda f: f.rate_limit_next("GET", ".*", scope="route"), "scope must be"),
        (lambda f: f.slow("GET", ".*", 30), "at most 10"),
    ],
)
async def test_unbounded_faults_are_refused(standin: StandIn, arm, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        arm(standin.faults)
    assert standin.faults.armed == []


# --- through discord.py -------------------------------------------------------------------------


def channel_posts(standin: StandIn) -> list[str]:
    """What the bot posted in the channel itself (not its interaction responses)."""
    return [m["content"] for m in standin.messages_in() if "interaction_metadata" not in m]


async def run_post(standin: StandIn, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """/post: the tiny bot posts a message with a file, edits it, then answers ephemerally."""
    result = await standin.slash("post", user=standin.user("poster"), timeout=timeout)
    assert result.content == "posted"


@pytest.mark.parametrize("scope", ["user", "global", "shared"])
async def test_discord_py_waits_out_a_429_and_posts_once(standin: StandIn, bot: TinyBot, scope: str) -> None:
    standin.faults.rate_limit_next("POST", MESSAGES, retry_after=0.3, scope=scope)
    standin.faults.rate_limit_next("PATCH", MESSAGES + r"/\d+", retry_after=0.2, scope=scope)
    await run_post(standin)
    assert channel_posts(standin) == ["log line (edited)"]
    posts = [r for r in standin.requests if r.method in ("POST", "PATCH") and r.path.startswith("/channels/")]
    assert [(r.method, r.status) for r in posts] == [("POST", 429), ("POST", 200), ("PATCH", 429), ("PATCH", 200)]
    assert posts[1].time - posts[0].time >= 0.3 - 0.05
    assert posts[0].files and posts[1].files[0].data == b"hello"  # the file was sent again, whole
    standin.assert_no_violations()


async def test_discord_py_retries_a_502_but_not_a_503(standin: StandIn, bot: TinyBot) -> None:
    standin.faults.fail_next("POST", MESSAGES, status=502)
    await run_post(standin)  # retried after discord.py's 1 s back-off
    assert [r.status for r in standin.requests if r.method == "POST" and r.path.endswith("/messages")] == [502, 200]
    assert channel_posts(standin) == ["log line (edited)"]

    standin.faults.fail_next("POST", MESSAGES, status=503)  # discord.py raises DiscordServerError at once
    with pytest.raises(TimeoutError):
        await run_post(standin, timeout=1.0)  # the tiny bot has no error handler: the user sees nothing
    assert channel_posts(standin) == ["log line (edited)"]
