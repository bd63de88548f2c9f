"""The direct answer path against a local HTTP server: it answers once, leaves the answer to
discord.py only when Discord cannot have taken it, never sends what Discord would refuse, and lets
answers already on their way finish at shutdown."""

from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager

import pytest
from discord.http import Route

from bot.answers import DirectAnswers
from bot.domain import limits

VOTE = "Your vote: **1. Yes**."


class Response:
    """Like discord.py's InteractionResponse: done once a type is set."""

    def __init__(self) -> None:
        self._response_type = None

    def is_done(self) -> bool:
        return self._response_type is not None


class Interaction:
    def __init__(self, interaction_id: int = 1) -> None:
        self.id, self.token, self.response = interaction_id, "token", Response()


class FakeDiscord:
    """Reads each request whole, then replies with ``status`` after ``delay``, or hangs up."""

    def __init__(self, status: int | None = 204, delay: float = 0.0) -> None:
        self.status, self.delay = status, delay
        self.requests: list[tuple[str, dict]] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        length = next(
            int(line.split(":")[1]) for line in head.split("\r\n") if line.lower().startswith("content-length")
        )
        self.requests.append((head.split(" ")[1], json.loads(await reader.readexactly(length))))
        await asyncio.sleep(self.delay)
        if self.status is not None:
            writer.write(f"HTTP/1.1 {self.status} X\r\nContent-Length: 0\r\n\r\n".encode())
            await writer.drain()
        writer.close()


@pytest.fixture(params=["pyreqwest", "aiohttp"])
def client_choice(request):
    """Both HTTP clients keep the same promises: with the ``fast`` extra and without it."""
    return request.param


@asynccontextmanager
async def serving(fake: FakeDiscord, monkeypatch, client_choice: str):
    server = await asyncio.start_server(fake.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    monkeypatch.setattr(Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    answers = DirectAnswers(client_choice)
    await answers.start()
    try:
        yield answers
    finally:
        await answers.close()
        server.close()


async def test_an_answer_is_one_ephemeral_message_without_pings(monkeypatch, client_choice):
    fake = FakeDiscord()
    async with serving(fake, monkeypatch, client_choice) as answers:
        interaction = Interaction(42)
        assert await answers.send_text(interaction, VOTE) is True
    assert interaction.response.is_done()
    path, body = fake.requests[0]
    assert path == "/api/v10/interactions/42/token/callback" and len(fake.requests) == 1
    assert body == {"type": 4, "data": {"content": VOTE, "flags": 64, "allowed_mentions": {"parse": []}}}


async def test_an_update_replaces_the_message_and_removes_its_components(monkeypatch, client_choice):
    fake = FakeDiscord()
    async with serving(fake, monkeypatch, client_choice) as answers:
        assert await answers.update_text(Interaction(), VOTE) is True
    assert fake.requests[0][1] == {
        "type": 7,
        "data": {"content": VOTE, "components": [], "allowed_mentions": {"parse": []}},
    }


@pytest.mark.parametrize(("status", "discord_py_answers"), [(429, True), (503, True), (500, False), (404, False)])
async def test_discord_py_answers_again_only_when_discord_did_not_take_the_answer(
    monkeypatch, status, discord_py_answers, client_choice
):
    async with serving(FakeDiscord(status), monkeypatch, client_choice) as answers:
        interaction = Interaction()
        done = await answers.send_text(interaction, VOTE)
    assert done is not discord_py_answers
    assert interaction.response.is_done() is not discord_py_answers


async def test_a_connection_dropped_after_the_request_went_out_is_not_answered_twice(
    monkeypatch, caplog, client_choice
):
    fake = FakeDiscord(status=None)
    async with serving(fake, monkeypatch, client_choice) as answers:
        interaction = Interaction()
        assert await answers.send_text(interaction, VOTE) is True
    assert len(fake.requests) == 1 and interaction.response.is_done()
    assert "may not have arrived" in caplog.text


async def test_with_nothing_to_connect_to_discord_py_answers(monkeypatch, client_choice):
    async with serving(FakeDiscord(), monkeypatch, client_choice) as answers:
        monkeypatch.setattr(Route, "BASE", "http://127.0.0.1:9/api/v10")  # the discard port: refused
        interaction = Interaction()
        assert await answers.send_text(interaction, VOTE) is False
    assert not interaction.response.is_done()


async def test_shutdown_lets_answers_on_their_way_finish_and_sends_no_new_ones(monkeypatch, client_choice):
    fake = FakeDiscord(delay=0.3)
    async with serving(fake, monkeypatch, client_choice) as answers:
        on_its_way = asyncio.ensure_future(answers.send_text(Interaction(1), VOTE))
        await asyncio.sleep(0.1)
        await answers.close()
        assert on_its_way.done() and on_its_way.result() is True
        assert await answers.send_text(Interaction(2), VOTE) is False
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    "text", ["", "   ", "x" * (limits.MESSAGE_CONTENT + 1), "😢" * (limits.MESSAGE_CONTENT // 2 + 1)]
)
async def test_text_discord_would_refuse_is_never_sent(monkeypatch, text, client_choice):
    fake = FakeDiscord()
    async with serving(fake, monkeypatch, client_choice) as answers:
        with pytest.raises(ValueError, match="1 to 2000 characters"):
            await answers.send_text(Interaction(), text)
    assert not fake.requests


async def test_before_start_it_leaves_the_answer_to_discord_py():
    assert await DirectAnswers().send_text(Interaction(), VOTE) is False


async def test_without_the_fast_extra_votes_are_answered_through_aiohttp(monkeypatch):
    monkeypatch.setattr("bot.answer_clients.fast_client_installed", lambda: False)
    answers = DirectAnswers("auto")
    await answers.start()
    try:
        assert answers.client_name == "aiohttp"
    finally:
        await answers.close()
