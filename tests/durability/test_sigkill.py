"""SIGKILL during a burst of votes, on SQLite and on PostgreSQL: no acknowledged vote is lost, the
database stays intact, and after each restart the poll still answers; after the last one it closes
once its deadline has passed.

The real bot runs as its own process (``python -m bot``, pointed at the in-process stand-in like
``standin.launch``). A first burst, not interrupted, shows how long a burst takes on this
machine right now; each later burst is fired at once and the bot is killed at a seeded random
moment within that span: while ballots are being written, while answers are going out, or just
after. Every check below must hold wherever the kill lands. Nothing here asserts a duration:
``python -m bench`` measures those.
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import sys
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage.database import utc_text
from bot.storage.locations import is_postgresql
from bot.storage.opening import open_database
from standin import StandIn, make_guild
from standin.load import Click, ClickLoad
from tests.conftest import REPO
from tests.e2e.harness import TOKEN
from tests.e2e.polling import labels

SEED = 20240611
KILLS = 3
BURST = 200
OPTIONS = ("Yes", "No", "Maybe")
pytestmark = pytest.mark.timeout(110)


class BotProcess:
    """``python -m bot`` against the stand-in, its log in a file (shown when a test fails)."""

    def __init__(self, discord: StandIn, folder: Path, database: str | Path) -> None:
        self.discord, self.folder, self.database = discord, folder, database
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "NAMIDA_"))}
        env |= {
            "DISCORD_TOKEN": TOKEN,
            "NAMIDA_DATABASE": str(self.database),
            "PYTHONPATH": str(REPO),
        }
        await _until(self.discord, lambda: not self.discord.gateway.connections, "the old connection to close")
        self.starts += 1
        with (self.folder / f"bot-{self.starts}.log").open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "standin.launch", self.discord.api_base, self.discord.gateway_url),
                cwd=self.folder, env=env, stdout=log, stderr=log,
            )  # fmt: skip
        await self.discord.wait_until_ready(timeout=60)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no handler, no drain, no close

    async def wait(self) -> int:
        assert self.process is not None
        return await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 30)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.folder.glob("bot-*.log")))


async def _until(discord: StandIn, check, what: str, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    await discord.world.changed.wait_for(lambda: True if check() else None, timeout, what)


async def _ballots(database: str | Path, poll_id: int) -> dict[int, str]:
    store = await open_database(database)
    try:
        return {
            row[0]: row[1]
            for row in await store.fetch_all("SELECT user_id, choices FROM ballots WHERE poll_id = ?", poll_id)
        }
    finally:
        await store.close()


async def _state(database: str | Path, poll_id: int) -> tuple[str, dict[int, int], dict[int, int], int, int]:
    """SQLite's integrity_check (PostgreSQL keeps its own files whole), and the stored counters
    against a recount of the ballots themselves."""
    check = "ok"
    if not is_postgresql(database):
        with closing(sqlite3.connect(database)) as db:
            check = "; ".join(row[0] for row in db.execute("PRAGMA integrity_check"))
    store = await open_database(database)
    try:
        votes = await store.fetch_all("SELECT idx, votes FROM poll_options WHERE poll_id = ?", poll_id)
        ballots = await store.fetch_value("SELECT ballots FROM polls WHERE id = ?", poll_id)
        rows = [row[0] for row in await store.fetch_all("SELECT choices FROM ballots WHERE poll_id = ?", poll_id)]
    finally:
        await store.close()
    recount = Counter(int(i) for choices in rows for i in choices.split(","))
    return check, {row[0]: row[1] for row in votes if row[1]}, dict(recount), ballots, len(rows)


async def _execute(database: str | Path, sql: str, *params: object) -> None:
    store = await open_database(database)
    try:
        async with store.transaction() as db:
            await db.execute(sql, params)
    finally:
        await store.close()


def _acknowledged(clicks: list[Click], option_of: dict[str, int]) -> dict[int, str]:
    """Member → the ballot they were told about, for every answer the stand-in accepted."""
    return {
        c.user_id: str(option_of[c.custom_id])
        for c in clicks
        if c.accepted and (c.content or "").startswith("Your vote: ")
    }


async def test_sigkill_during_a_burst_loses_no_acknowledged_vote(tmp_path, database_url):
    guild = make_guild(channels=("general", "polls"), roles={"Moderator": ("manage_guild",)})
    rng = random.Random(SEED)
    database = database_url
    async with StandIn(token=TOKEN, guilds=[guild]) as discord:
        load = ClickLoad(discord)
        bot = BotProcess(discord, tmp_path, database)
        try:
            await bot.start()
            mod = discord.member("mod", permissions="manage_guild")
            started = await discord.slash(
                "poll custom", {"question": "Crash test", "options": "; ".join(OPTIONS)}, user=mod, channel="polls",
                timeout=20,
            )  # fmt: skip
            assert "is up in" in (await started.final_message(timeout=20))["content"]
            channel = guild.channel("polls").id
            await discord.wait_for_request("POST", rf"/channels/{channel}/messages", timeout=20)
            poll = discord.messages_in(channel)[-1]
            poll_id = int(poll["embeds"][0]["footer"]["text"].split("#")[1].split()[0])
            buttons = {labels(poll)[f"{i + 1}. {o}"]: i for i, o in enumerate(OPTIONS)}
            acknowledged: dict[int, str] = {}

            def burst(prefix: str) -> list[Click]:
                voters = [discord.member(f"{prefix}{i}") for i in range(BURST)]
                return load.prepare(poll, [(v, list(buttons)[i % len(buttons)]) for i, v in enumerate(voters)])

            calibration = burst("calibration-")
            await load.fire(calibration)
            assert await load.wait_answered(60), "an uninterrupted burst is answered"
            acknowledged |= _acknowledged(calibration, buttons)
            assert acknowledged, [c.content for c in calibration][:3]
            span = max(c.acked_at for c in calibration) - min(c.dispatched_at for c in calibration)

            for round_ in range(KILLS):
                clicks = burst(f"r{round_}-")
                asyncio.get_running_loop().call_later(rng.uniform(0.0, span), bot.kill)
                await load.fire(clicks)
                assert await bot.wait() == -9, bot.logs()
                await _until(discord, lambda: not discord.gateway.connections, "the killed bot's connection to close")
                await asyncio.sleep(0.2)  # answers the bot sent before dying are still being read
                load.forget_unanswered()
                acknowledged |= _acknowledged(clicks, buttons)

                stored = await _ballots(database, poll_id)
                missing = {user: choice for user, choice in acknowledged.items() if stored.get(user) != choice}
                assert not missing, f"round {round_}: acknowledged votes lost: {missing}"
                check, counters, recount, ballots, rows = await _state(database, poll_id)
                assert check == "ok"
                assert (counters, ballots) == (recount, rows), "counters out of step with the ballots"

                if round_ < KILLS - 1:  # restart on the same file: the poll still answers
                    await bot.start()
                    probe = await discord.click(
                        poll, next(iter(buttons)), user=discord.member(f"probe{round_}"), timeout=20
                    )
                    assert probe.accepted and probe.content == "Your vote: **1. Yes**.", probe

            # While the bot is down its deadline passes; started again, it closes the poll and posts results.
            past = utc_text(datetime.now(UTC) - timedelta(seconds=1))
            await _execute(database, "UPDATE polls SET closes_at = ? WHERE id = ?", past, poll_id)
            since = len(discord.requests)
            await bot.start()
            results = await discord.wait_for_request("POST", rf"/channels/{channel}/messages", timeout=30, start=since)
            assert results.status == 200 and results.files, "the results (with their chart) were posted"
            late = await discord.click(poll, list(buttons)[1], user=discord.member("latecomer"), timeout=20)
            assert late.accepted and late.content.startswith("This poll is closed"), late
            await bot.stop()
        except BaseException:
            print(bot.logs())
            raise
        finally:
            if bot.process is not None and bot.process.returncode is None:
                bot.kill()
                await bot.wait()
            load.close()

        store = await open_database(database)
        try:
            closed_at = await store.fetch_value("SELECT closed_at FROM polls WHERE id = ?", poll_id)
        finally:
            await store.close()
    assert closed_at is not None
    stored = await _ballots(database, poll_id)
    assert all(stored.get(user) == choice for user, choice in acknowledged.items())
    # Late answers (> 3 s on a loaded machine) are refused like Discord would, never counted as
    # acknowledged; any other broken rule fails the test.
    assert not [v for v in discord.violations if "after INTERACTION_CREATE" not in v], discord.violations
