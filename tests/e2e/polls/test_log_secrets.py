"""A vote answer that times out leaves no token in the log, whatever the libraries put there."""

from __future__ import annotations

import logging

from bot.logs import setup_logging
from tests.e2e.harness import TOKEN
from tests.e2e.polling import labels, start_poll
from tests.e2e.surfaces import sent_leaks

CALLBACK = r"/interactions/\d+/[^/]+/callback"


async def test_a_timed_out_vote_answer_logs_no_token(discord, configured, mod, alice, top_list, capsys):
    poll = await start_poll(discord, mod, "custom", question="Slow?", options="Yes; No")
    root = logging.getLogger()
    kept = (root.handlers[:], root.level)
    setup_logging("DEBUG", [TOKEN])  # Namida's own formatter, at the most talkative level
    try:
        discord.faults.slow("POST", CALLBACK, 4.0, times=1)  # past the 3 s the bot waits for it
        clicked = await discord.click(poll, labels(poll)["1. Yes"], user=alice, timeout=15)
        await clicked.wait_for_callback(15)
    finally:
        root.handlers[:], level = kept
        root.setLevel(level)
    log = capsys.readouterr().err
    interaction_token = clicked.payload["token"]
    assert f"interaction {clicked.id}" in log and "imed out" in log.replace("Timeout", "timed out")
    assert interaction_token not in log and TOKEN not in log
    assert f"/webhooks/{discord.application_id}/{interaction_token}" not in log
    assert sent_leaks(discord.requests, top_list) == []
    # The one late callback is the delay injected above, not the bot's doing.
    late = [v for v in discord.violations if "first callback came" in v]
    assert len(late) == 1 and late == discord.violations
    discord.world.violations.clear()
