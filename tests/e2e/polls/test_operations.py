"""What an operator watches: /healthz turns 503 while the gateway is down and back to 200 after
the resume, /metrics counts what members did, and JSON logs are one parseable object per line."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import re
import socket
from datetime import UTC, datetime

import aiohttp
import pytest

from bot.logs import setup_logging
from tests.e2e.harness import TOKEN, running_namida
from tests.e2e.polling import start_poll, vote


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, http_port=free_port())


async def get(bot, path: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{bot.settings.http_port}{path}"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


def sample(page: str, name: str) -> float:
    values = re.findall(rf"^{re.escape(name)} (\S+)$", page, flags=re.MULTILINE)
    assert len(values) <= 1
    return float(values[0]) if values else 0.0


async def test_health_is_503_while_the_gateway_is_down_and_200_once_resumed(discord, configured):
    assert await get(configured, "/healthz") == (200, '{"status": "ok"}')
    async with discord.gateway.outage(longest=5):
        status, body = await get(configured, "/healthz")
        assert status == 503
        assert json.loads(body) == {
            "status": "unhealthy",
            "problems": {"gateway": "not connected to Discord's gateway"},
        }
    await discord.wait_until_ready()
    assert (await get(configured, "/healthz"))[0] == 200


async def test_health_is_503_when_the_database_does_not_answer(discord, configured, monkeypatch):
    async def broken(*_args):
        raise OSError("disk gone")

    monkeypatch.setattr(configured.store, "fetch_value", broken)
    status, body = await get(configured, "/healthz")
    assert status == 503 and json.loads(body)["problems"] == {"database": "the database does not answer (OSError)"}


async def test_metrics_count_votes_interactions_open_polls_and_commit_times(discord, configured, mod, alice, bob):
    poll = await start_poll(discord, mod, "custom", question="Counted?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    await vote(discord, poll, "2. No", bob)

    # The answer time is recorded once handling ends, a moment after the answer reached Discord.
    async with asyncio.timeout(5):
        while True:
            status, page = await get(configured, "/metrics")
            if sample(page, 'namida_answer_seconds_count{kind="component"}') >= 2:
                break
            await asyncio.sleep(0.05)
    assert status == 200
    assert sample(page, "namida_votes_total") == 2
    assert sample(page, 'namida_interactions_total{kind="component"}') == 2
    assert sample(page, 'namida_interactions_total{kind="application_command"}') == 1
    assert sample(page, "namida_open_polls") == 1
    assert sample(page, 'namida_nominations{status="pending"}') == 0
    assert sample(page, 'namida_answer_seconds_count{kind="component"}') == 2
    assert sample(page, 'namida_answer_seconds_count{kind="application_command"}') == 1
    assert sample(page, "namida_database_commit_seconds_count") >= 3  # the poll, and a batch per vote at most
    assert 0 <= sample(page, "namida_gateway_latency_seconds") < 5


async def test_json_logs_are_one_parseable_object_per_line_without_secrets(discord, settings, capsys, alice):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    setup_logging("INFO", [TOKEN], "json")
    try:
        async with running_namida(discord, dataclasses.replace(settings, http_port=None, log_format="json")) as bot:
            await bot.guild_settings.update(discord.guild.id, datetime.now(UTC))
            await (await discord.slash("entry", {"query": "10"}, user=alice)).final_message()
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    events = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {"time", "level", "logger", "message"} <= set(events[0])
    assert any(e["logger"] == "bot.app" and e["message"].startswith("Connected as") for e in events)
    assert not [line for line in lines if TOKEN in line]
