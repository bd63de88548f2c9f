"""A poll with a million ballots: how long a tally takes, that it reads no ballot, that it does
not hold up the ballot writer, and what a running bot holding that database costs in memory."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.clicks import fire
from bench.procs import spawn
from bench.stats import LoadSummary, Report, Target, percentile
from bot.domain.ballots import Toggle
from bot.domain.polls import Mode, count_votes, instant_runoff
from bot.storage.database import Store, utc_text
from bot.storage.polls import PollStore
from standin.serve import StandInProcess

OPTIONS = ("Clannad", "AnoHana", "Steins;Gate", "Madoka Magica", "Your Lie in April", "Violet Evergarden")
TALLY_LIMIT = 0.005
CAST_RATE = 250.0  # casts per second in the writer test: a pace the writer keeps up with
TALLIES_PER_SECOND = 100.0
WRITER_ROUNDS = 3  # the refresher tallies a poll once per 5 s; this is 500 times that
RSS_LIMIT_MB = 100


@dataclass(frozen=True)
class TallyPlan:
    ballots: int = 1_000_000
    repeats: int = 300
    writer_clicks: int = 500
    rss_clicks: int = 500


def build_database(
    path: Path, ballots: int, mode: Mode, *, guild_id: int, channel_id: int, message_id: int | None, seed: int
) -> int:
    """A poll with ``ballots`` ballots, inserted in one transaction with its counters kept
    consistent the way ``PollStore`` keeps them (option votes, poll ballots, ranked patterns)."""
    asyncio.run(_migrate(path))
    rng = random.Random(seed)
    weights = [rng.randint(1, 10) for _ in OPTIONS]
    now = datetime.now(UTC)
    votes: Counter[int] = Counter()
    patterns: Counter[str] = Counter()

    def rows(poll_id: int) -> Iterator[tuple[int, int, str, str]]:
        cast_at = utc_text(now)
        picks = rng.choices(range(len(OPTIONS)), weights, k=ballots)
        for user, first in enumerate(picks, start=1):
            if mode is Mode.RANKED:
                rest = [i for i in range(len(OPTIONS)) if i != first]
                rng.shuffle(rest)
                ranking = (first, *rest[: user % 3])
                choices = ",".join(map(str, ranking))
                patterns[choices] += 1
            else:
                choices = str(first)
            votes[first] += 1
            yield poll_id, user, choices, cast_at

    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("BEGIN IMMEDIATE")
        cursor = db.execute(
            "INSERT INTO polls (guild_id, channel_id, message_id, kind, question, mode, max_choices, hide_results,"
            " anonymous, creator_id, created_at, closes_at) VALUES (?, ?, ?, 'custom', ?, ?, 1, 0, 1, 1, ?, ?)",
            (guild_id, channel_id, message_id, f"A million ballots ({mode.value})", mode.value, utc_text(now),
             utc_text(now + timedelta(days=1))),
        )  # fmt: skip
        poll_id = cursor.lastrowid
        db.executemany(
            "INSERT INTO poll_options (poll_id, idx, label) VALUES (?, ?, ?)",
            [(poll_id, i, label) for i, label in enumerate(OPTIONS)],
        )
        db.executemany("INSERT INTO ballots (poll_id, user_id, choices, cast_at) VALUES (?, ?, ?, ?)", rows(poll_id))
        db.executemany(
            "UPDATE poll_options SET votes = ? WHERE poll_id = ? AND idx = ?",
            [(n, poll_id, i) for i, n in votes.items()],
        )
        db.execute("UPDATE polls SET ballots = ? WHERE id = ?", (ballots, poll_id))
        db.executemany(
            "INSERT INTO ranked_patterns (poll_id, choices, ballots) VALUES (?, ?, ?)",
            [(poll_id, choices, n) for choices, n in patterns.items()],
        )
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return poll_id


async def _migrate(path: Path) -> None:
    store = await Store.open(path)
    await store.close()


async def open_store(path: Path) -> Store:
    return await Store.open(path)


async def time_tally(path: Path, poll_id: int, repeats: int) -> dict:
    """Wall time of ``PollStore.counts``/``patterns`` plus the domain count, the SQL it ran, that
    SQL's query plans, and how many SQLite VM steps one tally took."""
    store = await open_store(path)
    polls = PollStore(store)
    poll = await polls.poll(poll_id)
    assert poll is not None

    async def tally():
        if poll.mode is Mode.RANKED:
            return instant_runoff(poll, await polls.patterns(poll_id))
        counts, ballots = await polls.counts(poll_id)
        return count_votes(poll, counts, ballots)

    for _ in range(10):
        result = await tally()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = await tally()
        times.append(time.perf_counter() - start)

    statements: list[str] = []
    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0

    await store.run_read(lambda raw: (raw.set_trace_callback(statements.append), raw.set_progress_handler(step, 1)))
    await tally()
    await store.run_read(lambda raw: (raw.set_progress_handler(None, 1), raw.set_trace_callback(None)))
    plans = []
    for sql in dict.fromkeys(statements):
        rows = await store.fetch_all("EXPLAIN QUERY PLAN " + sql)
        plans.append((sql, [row[3] for row in rows]))
    await store.close()
    return {"times": times, "result": result, "plans": plans, "vm_steps": steps}


async def writer_latency(
    path: Path, poll_id: int, clicks: int, *, tallies_per_second: float = 0.0
) -> tuple[list[float], int]:
    """Latency of ``PollStore.cast`` at ``CAST_RATE`` clicks/s, optionally with tallies of the same poll
    running alongside on the same store; also returns how many tallies ran."""
    store = await open_store(path)
    polls = PollStore(store)
    poll = await polls.poll(poll_id)
    assert poll is not None
    latencies: list[float] = []
    tallies = 0
    done = asyncio.Event()

    async def tally_loop() -> None:
        nonlocal tallies
        while not done.is_set():
            await polls.patterns(poll_id) if poll.mode is Mode.RANKED else await polls.counts(poll_id)
            tallies += 1
            await asyncio.sleep(1 / tallies_per_second)

    async def one(user: int, at: float) -> None:
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        start = time.perf_counter()
        await polls.cast(poll, user, Toggle(user % len(poll.options)), datetime.now(UTC))
        latencies.append(time.perf_counter() - start)

    looping = asyncio.create_task(tally_loop()) if tallies_per_second else None
    begin = time.perf_counter() + 0.05
    base = 10**12 + (clicks if tallies_per_second else 0)  # fresh members, not among the million
    await asyncio.gather(*(one(base + i, begin + i / CAST_RATE) for i in range(clicks)))
    done.set()
    if looping is not None:
        await looping
    await polls.writer.drain()
    await store.close()
    return latencies, tallies


async def writer_capacity(path: Path, poll_id: int, clicks: int) -> float:
    """Casts per second the ballot writer commits when ``clicks`` arrive at once (no Discord)."""
    store = await open_store(path)
    polls = PollStore(store)
    poll = await polls.poll(poll_id)
    assert poll is not None
    now = datetime.now(UTC)
    start = time.perf_counter()
    await asyncio.gather(*(polls.cast(poll, 2 * 10**12 + i, Toggle(i % len(poll.options)), now) for i in range(clicks)))
    elapsed = time.perf_counter() - start
    await store.close()
    return clicks / elapsed


async def run_tally(discord: StandInProcess, workdir: Path, plan: TallyPlan, report: Report, seed: int) -> None:
    guild_id = int(discord.info["guild_id"])
    channel = discord.channel_id("polls")
    single_path, ranked_path = workdir / "million.db", workdir / "million-ranked.db"
    buttons = {
        "type": 1,
        "components": [
            {"type": 2, "style": 2, "label": f"{i + 1}. {label}", "custom_id": f"poll:1:v:{i}"}
            for i, label in enumerate(OPTIONS[:5])
        ],
    }
    posted = await discord.call("post_message", channel="polls", body={"content": "poll", "components": [buttons]})
    started = time.perf_counter()
    single = await asyncio.to_thread(
        build_database, single_path, plan.ballots, Mode.SINGLE,
        guild_id=guild_id, channel_id=channel, message_id=int(posted["id"]), seed=seed,
    )  # fmt: skip
    built = time.perf_counter() - started
    ranked = await asyncio.to_thread(
        build_database, ranked_path, plan.ballots, Mode.RANKED,
        guild_id=guild_id, channel_id=channel, message_id=None, seed=seed,
    )  # fmt: skip
    assert single == 1, "the million-ballot poll must be poll #1 (its message's buttons say so)"

    single_timing = await time_tally(single_path, single, plan.repeats)
    ranked_timing = await time_tally(ranked_path, ranked, plan.repeats)
    scans = [
        (sql, detail)
        for timing in (single_timing, ranked_timing)
        for sql, details in timing["plans"]
        for detail in details
        if detail.startswith("SCAN") and "ballots" in detail.split()[1:2]
    ]

    capacity = await writer_capacity(single_path, single, plan.writer_clicks)
    # Alternating runs without and with tallies alongside; the medians of their p99s are compared.
    quiet_p99s, busy_p99s, tallies_run = [], [], 0
    for _ in range(WRITER_ROUNDS):
        quiet, _ = await writer_latency(ranked_path, ranked, plan.writer_clicks)
        busy, ran = await writer_latency(ranked_path, ranked, plan.writer_clicks, tallies_per_second=TALLIES_PER_SECOND)
        quiet_p99s.append(percentile(quiet, 99))
        busy_p99s.append(percentile(busy, 99))
        tallies_run += ran
    quiet_p99, busy_p99 = statistics.median(quiet_p99s), statistics.median(busy_p99s)

    # Memory and start-up of the real bot holding the million ballots, before and after votes.
    namida = await spawn(discord, "namida", workdir, single_path)
    startup = namida.ready_at - namida.spawned_at
    await asyncio.sleep(2.5)  # discord.py's on_ready comes 2 s after the last GUILD_CREATE
    idle_rss, _ = namida.rss_kib()
    await discord.call("members", prefix="r", count=plan.rss_clicks)
    clicks = [(f"r{i}", f"poll:1:v:{i % 5}") for i in range(plan.rss_clicks)]
    _, results = await fire(discord, "rss", int(posted["id"]), clicks, rate=500.0, wait=60)
    loaded_rss, peak_rss = namida.rss_kib()
    await namida.stop()
    summary = LoadSummary.of(f"namida on 1M ballots: {plan.rss_clicks} clicks at 500/s", results)
    report.loads.append(summary)

    single_p50, single_max = percentile(single_timing["times"], 50), max(single_timing["times"])
    ranked_p50, ranked_max = percentile(ranked_timing["times"], 50), max(ranked_timing["times"])
    report.rows += [
        (f"built {plan.ballots:,} ballots (single-choice poll)", f"{built:.1f} s"),
        ("tally, single choice: counts + count_votes", _t(single_timing["times"])),
        ("tally, ranked: patterns + instant_runoff", _t(ranked_timing["times"])),
        ("SQLite VM steps per tally (single / ranked)", f"{single_timing['vm_steps']} / {ranked_timing['vm_steps']}"),
        ("query plans", " | ".join(f"{' '.join(sql.split()[:2])}…: {'; '.join(d)}" for sql, d in
                                   single_timing["plans"] + ranked_timing["plans"])),
        (f"BallotWriter alone, {plan.writer_clicks:,} casts at once", f"{capacity:,.0f} casts/s"),
        (f"cast p99 at {CAST_RATE:g}/s, {WRITER_ROUNDS} runs without tallies",
         ", ".join(_ms(v) for v in quiet_p99s)),
        (f"cast p99 at {CAST_RATE:g}/s, {WRITER_ROUNDS} runs with {TALLIES_PER_SECOND:g} tallies/s alongside",
         ", ".join(_ms(v) for v in busy_p99s)),
        ("start-up with 1M ballots stored", f"{startup:.2f} s"),
        ("namida RSS with 1M ballots: idle / after clicks (peak)",
         f"{_mb(idle_rss)} / {_mb(loaded_rss)} (peak {_mb(peak_rss)})"),
    ]  # fmt: skip
    worst = max(single_max, ranked_max)
    report.targets += [
        Target(
            f"tally of {plan.ballots:,} ballots ≤ 5 ms",
            f"p50 {_ms(max(single_p50, ranked_p50))}, max {_ms(worst)}",
            "≤ 5 ms",
            worst <= TALLY_LIMIT,
            f"over {plan.repeats} tallies each, single and ranked",
        ),
        Target(
            "tally without a full scan",
            "no SCAN of ballots" if not scans else f"{len(scans)} scan(s): {scans[0][1]}",
            "plans use counters only",
            not scans,
            f"{single_timing['vm_steps']} VM steps for 1M ballots",
        ),
        Target(
            "tally does not hold up the writer",
            f"cast p99 {_ms(busy_p99)} with tallies vs {_ms(quiet_p99)} without",
            "p99 within +5 ms",
            busy_p99 <= quiet_p99 + TALLY_LIMIT,
            f"medians of {WRITER_ROUNDS}; {tallies_run:,} ranked tallies in all",
        ),
        Target(
            f"RSS ≤ {RSS_LIMIT_MB} MB with 1M ballots",
            f"{_mb(peak_rss)} peak",
            f"≤ {RSS_LIMIT_MB} MB",
            peak_rss * 1024 <= RSS_LIMIT_MB * 10**6,
            f"idle {_mb(idle_rss)}; MB = 10^6 bytes",
        ),
    ]


def _mb(kib: int) -> str:
    return f"{kib * 1024 / 10**6:.1f} MB"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _t(times: list[float]) -> str:
    return f"p50 {_ms(percentile(times, 50))}, p99 {_ms(percentile(times, 99))}, max {_ms(max(times))}"
