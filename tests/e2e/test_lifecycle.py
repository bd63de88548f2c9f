"""Start-up, restarts, command sync, stale buttons, the error funnel and clean shutdown."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from dataclasses import replace

import pytest

from tests.conftest import REPO
from tests.e2e.harness import TOKEN, running_namida
from tests.e2e.surfaces import shown
from tests.e2e.test_lookups import buttons


async def test_commands_are_synced_once_then_only_when_asked(discord, settings, alice):
    async with running_namida(discord, settings):
        pass
    assert discord.sync_counts == {None: 1}
    names = {c["name"] for c in discord.commands()}
    assert names == {
        "list", "entry", "honorable", "random", "about", "nominate", "nominations", "settings", "poll", "lists"
    }

    async with running_namida(discord, settings):
        result = await discord.slash("entry", {"query": "3"}, user=alice)
        assert result.embeds[0]["title"] == "#3 · Assassination Classroom"
    assert discord.sync_counts == {None: 1}

    async with running_namida(discord, settings, force_sync=True):
        pass
    assert discord.sync_counts == {None: 2}


async def test_a_dev_guild_gets_its_commands_directly(discord, settings):
    async with running_namida(discord, replace(settings, dev_guild=discord.guild.id)):
        pass
    assert discord.sync_counts == {discord.guild.id: 1}
    assert {c["name"] for c in discord.commands(discord.guild)} >= {"entry", "list"}


async def test_buttons_keep_working_after_a_restart(discord, settings, alice, bob, top_list):
    async with running_namida(discord, settings):
        posted = await discord.slash("entry", {"query": "steins"}, user=alice)

    async with running_namida(discord, settings):
        revealed = await discord.click(posted.message, buttons(posted.message)["Reveal"], user=bob)
        moved = await discord.click(
            posted.message,
            buttons(posted.message)["◀ Honorable mention · The Promised Neverland"],
            user=alice,
        )

    assert revealed.ephemeral and top_list.entry("steins-gate").moment.reveal() in shown(
        revealed.embeds[0]["description"]
    )
    assert moved.embeds[0]["title"] == "Honorable mention · The Promised Neverland"


async def test_a_button_whose_list_was_removed_says_so(discord, settings, lists_copy, alice):
    text = (lists_copy / "top10-sad-anime-moments.yaml").read_text(encoding="utf-8")
    (lists_copy / "zz-extra.yaml").write_text(text, encoding="utf-8")
    with_extra = replace(settings, lists_dir=lists_copy)
    async with running_namida(discord, with_extra):
        posted = await discord.slash("entry", {"query": "5", "list": "zz-extra"}, user=alice)

    (lists_copy / "zz-extra.yaml").unlink()
    async with running_namida(discord, with_extra):
        stale = await discord.click(posted.message, buttons(posted.message)["Reveal"], user=alice)
    assert stale.ephemeral and "no longer have" in stale.content


@pytest.mark.parametrize("forged", ["garbage", "entry:top10-sad-anime-moments:no-such-entry:reveal", "entry:x:y:z"])
async def test_forged_or_outdated_button_ids_get_a_friendly_answer(discord, namida, alice, forged):
    posted = await discord.slash("entry", {"query": "4"}, user=alice)
    stored = discord.get_message(posted.message["id"])
    stored["components"][0]["components"][0]["custom_id"] = forged

    result = await discord.click(stored, forged, user=alice)
    assert result.ephemeral and "Run the command again" in result.content


async def test_an_unexpected_error_shows_an_apology_with_the_logged_code(discord, namida, alice, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    # discord.py re-imports an extension's modules for each bot, so patch the loaded one.
    monkeypatch.setattr(sys.modules["cogs.entries.cog"], "entry_message", broken)
    with caplog.at_level(logging.ERROR, logger="bot.funnel"):
        result = await discord.slash("entry", {"query": "7"}, user=alice)

    assert result.ephemeral and result.content.startswith("Sorry, something went wrong on my side (error `")
    code = result.content.split("`")[1]
    assert any(code in record.getMessage() and record.exc_info for record in caplog.records)


async def test_sigterm_closes_cleanly_and_debug_logs_leak_neither_token_nor_spoiler(
    discord, tmp_path, alice, bob, top_list
):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "NAMIDA_"))}
    env |= {
        "DISCORD_TOKEN": TOKEN,
        "NAMIDA_DATABASE": str(tmp_path / "namida.db"),
        "NAMIDA_LOG_LEVEL": "DEBUG",
        "PYTHONPATH": str(REPO),
    }
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "standin.launch", discord.api_base, discord.gateway_url),
        cwd=tmp_path,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await discord.wait_until_ready(timeout=30)
        posted = await discord.slash("entry", {"query": "1"}, user=alice, timeout=10)
        await discord.click(posted.message, buttons(posted.message)["Reveal"], user=bob)
        await discord.slash("entry", {"query": "nothing like this"}, user=alice)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    log = stderr.decode()

    assert process.returncode == 0, log
    assert "Synced 10 application commands" in log
    assert "Start-up heap frozen for the garbage collector" in log
    assert "WARNING" not in log  # nothing to worry about in a clean run (no voice-library warnings)
    assert "Received SIGTERM; closing" in log and "Stopped cleanly" in log
    assert "Traceback" not in log and TOKEN not in log
    assert not [e.handle for e in top_list.entries if e.moment.reveal() in log]
    assert all(line[:4].isdigit() for line in log.splitlines()), "one event per line"
    assert (tmp_path / "namida.db").exists() and not (tmp_path / "namida.db-wal").exists()
