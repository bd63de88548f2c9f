"""Charts: drawn in the chart process, once per closed poll and once per period for an open one;
a per-member cooldown while the poll is open; the process ends when idle."""

from __future__ import annotations

import asyncio
import sys

from tests.e2e.harness import running_namida
from tests.e2e.polling import CHART_WAIT, start_poll, vote
from tests.e2e.polls.test_lifecycle import poll_id_of
from tests.e2e.surfaces import sent_leaks


async def chart_of(discord, poll_id: int, user):
    answer = await discord.slash("poll results", {"poll": poll_id, "ephemeral": True}, user=user)
    return answer, await answer.final_message(CHART_WAIT) if answer.type == 5 else answer.message


async def close(discord, mod, poll_id: int) -> None:
    answer = await (await discord.slash("poll close", {"poll": poll_id}, user=mod)).final_message(CHART_WAIT)
    assert answer["content"].endswith("and posted its results."), answer["content"]  # drawn for that post


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

    await close(discord, mod, poll_id)
    for _ in range(2):  # a closed poll's results are final: no wait
        _, closed = await chart_of(discord, poll_id, alice)
        assert closed["attachments"] and closed["embeds"][0]["title"].startswith("Results")
    assert sent_leaks(discord.requests, top_list) == []


async def test_a_closed_polls_chart_is_drawn_once_and_kept_across_restarts(
    discord, configured, settings, mod, alice, bob
):
    poll = await start_poll(discord, mod, "custom", question="Kept?", options="Yes; No")
    await vote(discord, poll, "2. No", alice)
    poll_id = poll_id_of(poll)
    await close(discord, mod, poll_id)  # the results post draws the chart
    assert configured.charts.worker.renders == 1
    _, first = await chart_of(discord, poll_id, alice)
    _, second = await chart_of(discord, poll_id, bob)
    assert configured.charts.worker.renders == 1
    assert first["attachments"][0]["filename"] == second["attachments"][0]["filename"] == f"poll-{poll_id}-results.png"
    await configured.close()

    async with running_namida(discord, settings) as restarted:
        _, again = await chart_of(discord, poll_id, alice)
        assert again["attachments"] and again["embeds"][0]["image"]["url"].endswith(f"poll-{poll_id}-results.png")
        assert restarted.charts.worker.starts == 0  # sent from the database: no chart process at all


async def test_a_reopened_poll_draws_its_next_close_anew(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Again?", options="Yes; No")
    poll_id = poll_id_of(poll)
    await close(discord, mod, poll_id)
    await discord.slash("poll reopen", {"poll": poll_id}, user=mod)
    await vote(discord, poll, "1. Yes", alice)
    await close(discord, mod, poll_id)
    assert configured.charts.worker.renders == 2
    _, results = await chart_of(discord, poll_id, alice)
    assert results["embeds"][0]["description"].startswith("🏆 **1. Yes** wins.")
    assert configured.charts.worker.renders == 2


async def test_an_open_poll_shares_one_chart_per_period_whoever_asks(discord, configured, mod, alice, bob):
    poll = await start_poll(discord, mod, "custom", question="Shared?", options="Yes; No")
    poll_id = poll_id_of(poll)
    moments = iter([100.0, 100.0, 101.0, 101.0, 200.0, 200.0, 200.0])
    configured.charts.clock = lambda: next(moments)
    members = [discord.member(f"asker{i}") for i in range(3)]
    answers = await asyncio.gather(*(chart_of(discord, poll_id, member) for member in members[:2]))
    assert all(message["attachments"] for _, message in answers)
    assert configured.charts.worker.renders == 1  # asked at the same time: one chart
    await vote(discord, poll, "1. Yes", alice)
    _, shared = await chart_of(discord, poll_id, members[2])
    assert configured.charts.worker.renders == 1  # within the period: the same chart and tally
    assert "Turnout: **0** ballot(s)" in shared["embeds"][0]["description"]
    _, later = await chart_of(discord, poll_id, bob)  # the period has passed
    assert configured.charts.worker.renders == 2
    assert "Turnout: **1** ballot(s)" in later["embeds"][0]["description"]


async def test_the_chart_process_ends_when_idle_and_starts_again_when_needed(discord, configured, mod, alice):
    configured.charts.worker.idle_seconds = 0.2
    poll = await start_poll(discord, mod, "custom", question="Idle?", options="Yes; No")
    await close(discord, mod, poll_id_of(poll))
    assert configured.charts.worker.starts == 1
    await asyncio.wait_for(configured.charts.worker.stopped_when_idle(), 10)
    assert not configured.charts.worker.running
    other = await start_poll(discord, mod, "custom", question="Idle again?", options="Yes; No")
    await close(discord, mod, poll_id_of(other))
    assert configured.charts.worker.starts == 2 and configured.charts.worker.renders == 2


async def test_results_go_out_without_a_chart_when_none_can_be_drawn(discord, configured, mod, alice):
    configured.charts.worker.command = [sys.executable, "-c", "import sys; sys.exit(1)"]
    poll = await start_poll(discord, mod, "custom", question="Broken?", options="Yes; No")
    await vote(discord, poll, "1. Yes", alice)
    await close(discord, mod, poll_id_of(poll))
    _, results = await chart_of(discord, poll_id_of(poll), alice)
    assert results["embeds"][0]["description"].startswith("🏆 **1. Yes** wins.")
    assert not results["attachments"] and "image" not in results["embeds"][0]
