"""What an operator watches: /healthz turns 503 while the gateway is down and back to 200 after
the resume, /metrics counts what members did, and JSON logs are one parseable object per line."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import socket
import sys
from datetime import UTC, datetime

import pytest

from bot.logs import setup_logging
from tests.app.test_deploy_files import healthcheck_command
from tests.conftest import REPO
from tests.e2e.endpoints import free_port, get, sample
from tests.e2e.harness import TOKEN, running_namida
from tests.e2e.polling import start_poll, vote


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, http_port=free_port())


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


async def run_image_healthcheck(bot) -> int:
    """The Dockerfile's HEALTHCHECK command as the container engine runs it; its exit status."""
    _python, *arguments = healthcheck_command()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAMIDA_")}
    env["NAMIDA_HTTP_PORT"] = str(bot.settings.http_port)
    check = await asyncio.create_subprocess_exec(
        sys.executable, *arguments, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    return await check.wait()


async def test_the_images_healthcheck_passes_while_healthy_and_fails_while_the_gateway_is_down(discord, configured):
    assert await run_image_healthcheck(configured) == 0
    async with discord.gateway.outage(longest=5):
        assert await run_image_healthcheck(configured) != 0
    await discord.wait_until_ready()
    assert await run_image_healthcheck(configured) == 0


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


async def test_a_health_port_already_in_use_stops_start_up_with_one_sentence(discord, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "NAMIDA_"))}
        env |= {
            "DISCORD_TOKEN": TOKEN,
            "NAMIDA_DATABASE": str(tmp_path / "namida.db"),
            "NAMIDA_HTTP_PORT": str(port),
            "PYTHONPATH": str(REPO),
        }
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "standin.launch", discord.api_base, discord.gateway_url),
            cwd=tmp_path,
            env=env,
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    log = stderr.decode()
    assert process.returncode == 1, log
    assert log.splitlines()[-1] == (
        f"namida: NAMIDA_HTTP_PORT: I can't listen on 127.0.0.1:{port} (Address already in use); "
        "pick a free port, or check NAMIDA_HTTP_HOST."
    )
    assert "Traceback" not in log
