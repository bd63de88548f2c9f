"""Charts: one render per poll at a time, and a per-member cooldown while the poll is open."""

from __future__ import annotations

import asyncio
import sys
import threading

from tests.e2e.polling import start_poll, vote
from tests.e2e.polls.test_lifecycle import poll_id_of
from tests.e2e.surfaces import sent_leaks


async def chart_of(discord, poll_id: int, user):
    answer = await discord.slash("poll results", {"poll": poll_id, "ephemeral": True}, user=user)
    return answer, await answer.final_message() if answer.type == 5 else answer.message


async def test_an_open_polls_chart_waits_a_little_per_member(discord, configured, mod, alice, bob, top_list):
    poll = await start_poll(discord, mod, "custom", question="Chart?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    poll_id = poll_id_of(poll)
    _, first = await chart_of(discord, poll_id, alice)
    assert first["attachments"][0]["filename"].endswith("-results.png")
    again, _ = await chart_of(discord, poll_id, alice)
    assert again.ephemeral and again.content.startswith("I just drew a chart for you: try again in ")
    assert int(again.content.split("try again in ")[1].split(" s")[0]) in range(1, 11)
    _, other = await chart_of(discord, poll_id, bob)  # another member is not held back
    assert other["attachments"]

    await (await discord.slash("poll close", {"poll": poll_id}, user=mod)).final_message()
    for _ in range(2):  # a closed poll's results are final: no wait
        _, closed = await chart_of(discord, poll_id, alice)
        assert closed["attachments"] and closed["embeds"][0]["title"].startswith("Results")
    assert sent_leaks(discord.requests, top_list) == []


async def test_requests_at_the_same_time_share_one_render(discord, configured, mod, alice, top_list, monkeypatch):
    poll = await start_poll(discord, mod, "custom", question="Shared?", options="Yes; No")
    await vote(discord, poll, "2. No", alice)
    service = sys.modules["cogs.polls.service"]  # the module the running bot loaded
    drawn, release = [], threading.Event()
    real = service.render_chart

    def slow_render(result):
        drawn.append(result.poll.id)
        release.wait(5)
        return real(result)

    monkeypatch.setattr(service, "render_chart", slow_render)
    found = await configured.polls.poll(poll_id_of(poll))
    result = await service.compute_result(configured, found)
    waiting = [asyncio.ensure_future(service.results_message(result)) for _ in range(3)]
    await asyncio.sleep(0)
    release.set()
    messages = await asyncio.gather(*waiting)
    assert drawn == [found.id]
    assert len({m["file"].filename for m in messages}) == 1
    assert not service._RENDERING  # nothing kept once the render is done
    assert sent_leaks(discord.requests, top_list) == []
