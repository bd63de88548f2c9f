"""Two bot processes, one per shard, on one PostgreSQL: both take votes; the one owning the second
guild is SIGKILLed mid-burst and loses no acknowledged vote; its poll's deadline, passed while it
is down, is left alone by the other process and fires once it is back."""

from __future__ import annotations

import asyncio
import os
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage.database import utc_text
from bot.storage.opening import open_database
from standin import StandIn, make_guild
from standin.load import Click, ClickLoad
from tests.conftest import REPO
from tests.durability.test_sigkill import OPTIONS, SEED, _acknowledged, _ballots, _execute, _state, _until
from tests.e2e.harness import TOKEN
from tests.e2e.polling import labels

BURST = 150
pytestmark = pytest.mark.timeout(110)


class ShardProcess:
    """``python -m bot`` with ``NAMIDA_SHARD_COUNT=2 NAMIDA_SHARDS=<shard>`` against the stand-in."""

    def __init__(self, discord: StandIn, folder: Path, database: str, shard: int) -> None:
        self.discord, self.folder, self.database, self.shard = discord, folder, database, shard
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    def connected(self) -> bool:
        return any(c.session and c.session.shard.id == self.shard for c in self.discord.gateway.connections)

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "NAMIDA_"))}
        env |= {
            "DISCORD_TOKEN": TOKEN,
            "NAMIDA_DATABASE": self.database,
            "NAMIDA_SHARD_COUNT": "2",
            "NAMIDA_SHARDS": str(self.shard),
            "PYTHONPATH": str(REPO),
        }
        await _until(self.discord, lambda: not self.connected(), f"shard {self.shard}'s old connection to close")
        self.starts += 1
        with (self.folder / f"shard{self.shard}-{self.starts}.log").open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "standin.launch", self.discord.api_base, self.discord.gateway_url),
                cwd=self.folder, env=env, stdout=log, stderr=log,
            )  # fmt: skip
        await self.discord.wait_until_ready(timeout=60, shards=[self.shard])

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 30)

    def logs(self) -> str:
        return "\n".join(
            p.read_text(errors="replace")[-3000:] for p in sorted(self.folder.glob(f"shard{self.shard}-*"))
        )


async def test_two_shard_processes_on_one_postgresql_survive_a_sigkill(tmp_path, postgresql_server):
    database = await postgresql_server.emptied_shared()
    spec = {"channels": ("general", "polls"), "roles": {"Moderator": ("manage_guild",)}}
    guilds = (make_guild("Even", shard=(0, 2), **spec), make_guild("Odd", shard=(1, 2), **spec))
    rng = random.Random(SEED)
    async with StandIn(token=TOKEN, guilds=list(guilds), shard_count=2) as discord:
        load = ClickLoad(discord)
        bots = [ShardProcess(discord, tmp_path, database, shard) for shard in (0, 1)]
        try:
            for bot in bots:
                await bot.start()
            mod = discord.member("mod", permissions="manage_guild")
            polls: list[dict] = []
            for guild in guilds:
                started = await discord.slash(
                    "poll custom", {"question": "Two shards", "options": "; ".join(OPTIONS)}, user=mod, guild=guild,
                    channel="polls", timeout=20,
                )  # fmt: skip
                assert "is up in" in (await started.final_message(timeout=20))["content"]
                channel = guild.channel("polls").id
                await discord.wait_for_request("POST", rf"/channels/{channel}/messages", timeout=20)
                polls.append(discord.messages_in(channel)[-1])
            ids = [int(p["embeds"][0]["footer"]["text"].split("#")[1].split()[0]) for p in polls]
            buttons = [{labels(p)[f"{i + 1}. {o}"]: i for i, o in enumerate(OPTIONS)} for p in polls]

            def burst(which: int, prefix: str) -> list[Click]:
                voters = [discord.member(f"{prefix}{i}") for i in range(BURST)]
                choices = list(buttons[which])
                return load.prepare(polls[which], [(v, choices[i % len(choices)]) for i, v in enumerate(voters)])

            # Both processes take votes at once; then the odd guild's process dies in the middle of the next.
            warm = burst(0, "even-"), burst(1, "odd-")
            await load.fire([*warm[0], *warm[1]])
            assert await load.wait_answered(60), "an uninterrupted burst in both guilds is answered"
            acknowledged = [_acknowledged(warm[0], buttons[0]), _acknowledged(warm[1], buttons[1])]
            assert all(acknowledged)
            span = max(c.acked_at for c in warm[1]) - min(c.dispatched_at for c in warm[1])
            clicks = burst(1, "killed-"), burst(0, "alive-")
            asyncio.get_running_loop().call_later(rng.uniform(0.0, span), bots[1].kill)
            await load.fire([*clicks[0], *clicks[1]])
            assert await bots[1].process.wait() == -9, bots[1].logs()
            await _until(discord, lambda: not bots[1].connected(), "the killed process's connection to close")
            await asyncio.sleep(0.2)  # answers sent before it died are still being read
            load.forget_unanswered()
            acknowledged[1] |= _acknowledged(clicks[0], buttons[1])
            acknowledged[0] |= _acknowledged(clicks[1], buttons[0])
            assert len(_acknowledged(clicks[1], buttons[0])) == BURST, "the other process answered its guild"
            for poll_id, told in zip(ids, acknowledged, strict=True):
                stored = await _ballots(database, poll_id)
                assert {u: c for u, c in told.items() if stored.get(u) != c} == {}, "acknowledged votes lost"
                _, counters, recount, ballots, rows = await _state(database, poll_id)
                assert (counters, ballots) == (recount, rows), "counters out of step with the ballots"

            # The odd guild's deadline passes while its process is down: the even one leaves it open.
            since = len(discord.requests)
            past = utc_text(datetime.now(UTC) - timedelta(seconds=1))
            await _execute(database, "UPDATE polls SET closes_at = ? WHERE id = ?", past, ids[1])
            # A new poll in the even guild wakes the even process's closer, which sees the odd deadline.
            woken = await discord.slash(
                "poll custom", {"question": "Wake up", "options": "a; b", "duration": "1h"}, user=mod,
                guild=guilds[0], channel="polls", timeout=20,
            )  # fmt: skip
            assert "is up in" in (await woken.final_message(timeout=20))["content"]
            await asyncio.sleep(1.0)
            odd_channel = guilds[1].channel("polls").id
            assert not [r for r in discord.requests[since:] if r.method == "POST" and f"/{odd_channel}/" in r.path]
            store = await open_database(database)
            try:
                assert await store.fetch_value("SELECT closed_at FROM polls WHERE id = ?", ids[1]) is None
            finally:
                await store.close()
            await bots[1].start()
            results = await discord.wait_for_request(
                "POST", rf"/channels/{odd_channel}/messages", timeout=30, start=since
            )
            assert results.status == 200 and results.files, "its process, back, closed the poll and posted results"
            for bot in bots:
                await bot.stop()
        except BaseException:
            print(bots[0].logs(), bots[1].logs())
            raise
        finally:
            for bot in bots:
                if bot.process is not None and bot.process.returncode is None:
                    bot.kill()
                    await bot.process.wait()
            load.close()
    assert not [v for v in discord.violations if "after INTERACTION_CREATE" not in v], discord.violations
