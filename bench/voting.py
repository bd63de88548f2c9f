"""Burst, sustained load, public edits and start-up: Namida against the bare baseline, same run,
same stand-in process, same clicks. The bursts also run Namida on PostgreSQL (a throwaway,
durable server from the machine's binaries) when there are any."""

from __future__ import annotations

import asyncio
import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from bench.clicks import counters, fire, recount, shown_tally, start_poll, vote_buttons
from bench.procs import PLAIN, POSTGRESQL, spawn
from bench.stats import LoadSummary, Report, Target, percentile
from standin.postgresql import PostgresServer, find_binaries
from standin.serve import StandInProcess

ACK_DEADLINE = 3.0
EDIT_INTERVAL = 5.0
SWEEP_SECONDS = 10.0
EDIT_JITTER = 0.05  # two edits are compared by their arrival at the stand-in, not their start


# Namida with the fast extra (pyreqwest answers, when installed), without it, and on PostgreSQL,
# against the bare bot.
BURST_KINDS = ("bare", "namida", PLAIN, POSTGRESQL)


@dataclass(frozen=True)
class VotingPlan:
    burst: int = 2000
    bursts: int = 3  # per bot, alternating bare and Namida; targets use the medians
    rate: float = 1000.0
    seconds: float = 30.0
    warmup: int = 50
    startup_samples: int = 3
    sweep: tuple[float, ...] = ()  # extra sustained rates (10 s each) to find where p99 stays ≤ 25 ms


@dataclass
class Phase:
    """One bot process through one load: started, warmed up, loaded, checked, stopped."""

    kind: str
    load: LoadSummary
    startup: float
    edits: list[float] = field(default_factory=list)  # arrival times of edits of the poll message
    shown: tuple[dict[int, int], int] | None = None
    stored: tuple[dict[int, int], int] | None = None
    counters: tuple[dict[int, int], int] | None = None
    rss_kib: int = 0


async def run_voting(discord: StandInProcess, workdir: Path, plan: VotingPlan, report: Report) -> None:
    binaries = find_binaries()
    server = PostgresServer(binaries, durable=True) if binaries else None
    if server is None:
        report.rows.append(("Namida on PostgreSQL", "not measured: no PostgreSQL binaries (Debian's postgresql)"))
    try:
        if server is not None:
            server.start()
        await _run_voting(discord, workdir, plan, report, server)
    finally:
        if server is not None:
            server.stop()


async def _run_voting(
    discord: StandInProcess, workdir: Path, plan: VotingPlan, report: Report, server: PostgresServer | None
) -> None:
    await discord.call("members", prefix="w", count=plan.warmup)
    database = workdir / "voting.db"
    fresh, poll_id, message = await _fresh_startups(discord, workdir, database, plan)
    buttons = vote_buttons(message)
    kinds = BURST_KINDS if server is not None else BURST_KINDS[:3]
    # PostgreSQL has a database, a poll and so buttons of its own: the same clicks go to its buttons.
    pg_url, pg_poll, pg_message = await _postgresql_poll(discord, workdir, server)
    pg_buttons = dict(zip(buttons, vote_buttons(pg_message), strict=True)) if pg_message else {}

    # Every load runs in a freshly started, warmed-up process (one load's aftermath — a thousand
    # idle connections, garbage — stays out of the next one's numbers). Bursts alternate between
    # the two bots, each burst by new members, so drift on a shared machine hits both alike.
    await discord.call("checks", on=False)
    bursts: list[Phase] = []
    for round_ in range(plan.bursts):
        prefix = f"b{round_}-"
        await discord.call("members", prefix=prefix, count=plan.burst)
        await discord.call("members", prefix=f"p{prefix}", count=plan.burst)
        clicks = [(f"{prefix}{i}", buttons[i % len(buttons)]) for i in range(plan.burst)]
        # The two Namida configurations share the database: each votes with its own members, so
        # neither burst takes back the other's votes.
        plain_clicks = [(f"p{member}", button) for member, button in clicks]
        for kind in kinds[round_ % len(kinds) :] + kinds[: round_ % len(kinds)]:
            label = f"{kind}: burst of {plan.burst} #{round_ + 1}"
            if kind == POSTGRESQL:
                load = [(member, pg_buttons[button]) for member, button in clicks]
                phase = await _phase(discord, workdir, kind, pg_url, pg_poll, pg_message, load, None, label, plan)
            else:
                load = plain_clicks if kind == PLAIN else clicks
                phase = await _phase(discord, workdir, kind, database, poll_id, message, load, None, label, plan)
            bursts.append(phase)
    total = int(plan.rate * plan.seconds)
    voters = [f"b{k // plan.burst % plan.bursts}-{k % plan.burst}" for k in range(total)]
    steady_clicks = [(voter, buttons[(k // plan.burst + k) % len(buttons)]) for k, voter in enumerate(voters)]
    steady = {
        kind: await _phase(
            discord, workdir, kind, database, poll_id, message, steady_clicks, plan.rate,
            f"{kind}: {plan.rate:,.0f}/s for {plan.seconds:g} s", plan,
        )
        for kind in ("bare", "namida")
    }  # fmt: skip
    sweep: list[tuple[float, Phase, Phase]] = []
    for rate in plan.sweep:
        count = int(rate * min(plan.seconds, SWEEP_SECONDS))
        clicks = [(voter, buttons[(k // plan.burst + k) % len(buttons)]) for k, voter in enumerate(voters[:count])]
        if len(clicks) < count:
            clicks = [(f"b0-{k % plan.burst}", buttons[k % len(buttons)]) for k in range(count)]
        label = f"{rate:,.0f}/s for {count / rate:g} s"
        pair = [
            await _phase(discord, workdir, kind, database, poll_id, message, clicks, rate, f"{kind}: {label}", plan)
            for kind in ("bare", "namida")
        ]
        sweep.append((rate, pair[0], pair[1]))
    warm = [p.startup for p in bursts + [steady["namida"]] if p.kind == "namida"]
    for _ in range(max(0, plan.startup_samples - len(warm))):
        namida = await spawn(discord, "namida", workdir, database)
        warm.append(namida.ready_at - namida.spawned_at)
        await namida.stop()
    await discord.call("checks", on=True)

    bare = [p.load for p in bursts if p.kind == "bare"]
    ours = [p.load for p in bursts if p.kind == "namida"]
    plain = [p.load for p in bursts if p.kind == PLAIN]
    on_pg = [p.load for p in bursts if p.kind == POSTGRESQL]
    namida_phases = [p for p in bursts + [steady["namida"]] + [n for _, _, n in sweep] if p.kind != "bare"]
    edits = sum(len(p.edits) for p in namida_phases)
    gaps = [b - a for p in namida_phases for a, b in zip(p.edits, p.edits[1:], strict=False)]
    min_gap = min(gaps, default=math.inf)
    finals = [(p.shown, p.stored, p.counters) for p in namida_phases]
    final_ok = all(shown == stored == counted for shown, stored, counted in finals)
    rss = max(p.rss_kib for p in namida_phases)
    bare_throughput, our_throughput = _median([s.throughput for s in bare]), _median([s.throughput for s in ours])
    bare_p99, our_p99 = _median([s.p99 for s in bare]), _median([s.p99 for s in ours])
    plain_throughput, plain_p99 = _median([s.throughput for s in plain]), _median([s.p99 for s in plain])
    pg_throughput, pg_p99 = _median([s.throughput for s in on_pg]), _median([s.p99 for s in on_pg])
    worst = max(s.max for s in ours)
    acked = sum(s.accepted for s in ours)

    report.loads += [p.load for p in bursts] + [steady["bare"].load, steady["namida"].load]
    report.loads += [p.load for _, b, n in sweep for p in (b, n)]
    report.rows += [
        ("start-up, fresh database (sync sent), median of " + str(len(fresh)), _seconds(fresh)),
        ("start-up, warm database (no sync), median of " + str(len(warm)), _seconds(warm)),
        ("start-up, bare discord.py bot", _seconds([p.startup for p in bursts + [steady["bare"]] if p.kind == "bare"])),
        (f"burst medians over {plan.bursts}: throughput bare / namida",
         f"{bare_throughput:,.0f}/s / {our_throughput:,.0f}/s = {our_throughput / bare_throughput:.2f} ×"),
        (f"burst medians over {plan.bursts}: p99 bare / namida",
         f"{bare_p99 * 1000:,.0f} ms / {our_p99 * 1000:,.0f} ms = {our_p99 / bare_p99:.2f} ×"),
        (f"burst medians over {plan.bursts}: throughput / p99 without the fast extra (aiohttp answers)",
         f"{plain_throughput:,.0f}/s = {plain_throughput / bare_throughput:.2f} × / "
         f"{plain_p99 * 1000:,.0f} ms = {plain_p99 / bare_p99:.2f} ×"),
        *([(f"burst medians over {plan.bursts}: throughput / p99 on PostgreSQL",
            f"{pg_throughput:,.0f}/s = {pg_throughput / bare_throughput:.2f} × / "
            f"{pg_p99 * 1000:,.0f} ms = {pg_p99 / bare_p99:.2f} ×")] if on_pg else []),
        ("public poll edits during Namida's loads", f"{edits}, closest two {min_gap:.2f} s apart"),
        ("final tally after each Namida load: shown / recounted / counters", " ; ".join(
            f"{shown[1]}/{stored[1]}/{counted[1]}" for shown, stored, counted in finals
        )),
        ("namida peak RSS during a load (largest)", f"{rss * 1024 / 10**6:.1f} MB"),
    ]  # fmt: skip
    report.rows += [
        (f"sustained {rate:,.0f}/s: p99 bare / namida", f"{b.load.p99 * 1000:,.1f} ms / {n.load.p99 * 1000:,.1f} ms")
        for rate, b, n in sweep
    ]
    n_steady, b_steady = steady["namida"].load, steady["bare"].load
    report.targets += [
        Target(
            f"burst {plan.burst}: every click acknowledged within 3 s",
            f"{acked}/{sum(s.clicks for s in ours)} acked, max {worst:.2f} s",
            "all, ≤ 3 s",
            acked == sum(s.clicks for s in ours) and worst <= ACK_DEADLINE,
            f"over {len(ours)} bursts; bare max {max(s.max for s in bare):.2f} s",
        ),
        Target(
            "burst throughput ≥ 0.8 × bare",
            f"{our_throughput:,.0f}/s = {our_throughput / bare_throughput:.2f} ×",
            "≥ 0.80 ×",
            our_throughput >= 0.8 * bare_throughput,
            f"medians; bare {bare_throughput:,.0f}/s",
        ),
        Target(
            "burst p99 ≤ 1.25 × bare p99",
            f"{our_p99 * 1000:,.0f} ms = {our_p99 / bare_p99:.2f} ×",
            "≤ 1.25 ×",
            our_p99 <= 1.25 * bare_p99,
            f"medians; bare p99 {bare_p99 * 1000:,.0f} ms",
        ),
        Target(
            "without the fast extra: burst throughput ≥ 0.8 × bare",
            f"{plain_throughput:,.0f}/s = {plain_throughput / bare_throughput:.2f} ×",
            "≥ 0.80 ×",
            plain_throughput >= 0.8 * bare_throughput,
            "medians; votes answered through aiohttp",
        ),
        Target(
            "without the fast extra: burst p99 ≤ 1.25 × bare p99",
            f"{plain_p99 * 1000:,.0f} ms = {plain_p99 / bare_p99:.2f} ×",
            "≤ 1.25 ×",
            plain_p99 <= 1.25 * bare_p99,
            "medians; votes answered through aiohttp",
        ),
        *(
            [
                Target(
                    "on PostgreSQL: burst throughput ≥ 0.8 × bare",
                    f"{pg_throughput:,.0f}/s = {pg_throughput / bare_throughput:.2f} ×",
                    "≥ 0.80 ×",
                    pg_throughput >= 0.8 * bare_throughput,
                    "medians; synchronous_commit on, fsync on",
                ),
                Target(
                    "on PostgreSQL: burst p99 ≤ 1.25 × bare p99",
                    f"{pg_p99 * 1000:,.0f} ms = {pg_p99 / bare_p99:.2f} ×",
                    "≤ 1.25 ×",
                    pg_p99 <= 1.25 * bare_p99,
                    "medians; a local server on a unix socket",
                ),
            ]
            if on_pg
            else []
        ),
        Target(
            f"sustained {plan.rate:,.0f}/s for {plan.seconds:g} s: p99 ≤ 25 ms",
            f"{n_steady.p99 * 1000:,.1f} ms ({n_steady.accepted}/{total} acked)",
            "≤ 25 ms",
            n_steady.p99 <= 0.025 and n_steady.accepted == total,
            f"bare p99 {b_steady.p99 * 1000:,.1f} ms",
        ),
        Target(
            "≤ 1 public edit per poll message per 5 s",
            f"{edits} edits, min gap {min_gap:.2f} s",
            f"gap ≥ {EDIT_INTERVAL:.0f} s",
            min_gap >= EDIT_INTERVAL - EDIT_JITTER,
            f"gap measured at the stand-in (±{EDIT_JITTER * 1000:.0f} ms)",
        ),
        Target(
            "final tally shown",
            f"{sum(1 for s, st, c in finals if s == st == c)}/{len(finals)} loads",
            "shown = recount = counters",
            final_ok,
            "after each Namida load, once edits stopped",
        ),
        Target(
            "start-up ≤ 1.5 s (spawn → ready, commands registered)",
            f"fresh {percentile(fresh, 50):.2f} s, warm {percentile(warm, 50):.2f} s",
            "≤ 1.50 s",
            max(percentile(fresh, 50), percentile(warm, 50)) <= 1.5,
            "median; stand-in saw READY + GUILD_CREATE sent",
        ),
    ]


async def _fresh_startups(
    discord: StandInProcess, workdir: Path, database: Path, plan: VotingPlan
) -> tuple[list[float], int, dict]:
    """Start-up on an empty database (migrations + command sync), several times; the last one
    starts the poll the load phases click."""
    times = []
    for sample in range(plan.startup_samples):
        path = database if sample == plan.startup_samples - 1 else workdir / f"fresh-{sample}.db"
        before = await discord.call("request_count")
        namida = await spawn(discord, "namida", workdir, path)
        synced = await discord.call("requests", since=before, method="PUT", path=r"/applications/\d+/commands")
        if not synced or synced[0]["time"] > namida.ready_at:
            raise RuntimeError("a fresh start-up did not register its commands before it was ready")
        times.append(namida.ready_at - namida.spawned_at)
        if sample < plan.startup_samples - 1:
            await namida.stop()
    poll_id, message = await start_poll(discord, "Burst", "Yes; No")
    await namida.stop()
    return times, poll_id, message


async def _postgresql_poll(
    discord: StandInProcess, workdir: Path, server: PostgresServer | None
) -> tuple[str, int, dict | None]:
    """A database on the server, migrated by Namida's first start, and a poll in it."""
    if server is None:
        return "", 0, None
    url = server.url(await server.create_database("voting"))
    namida = await spawn(discord, POSTGRESQL, workdir, url)
    poll_id, message = await start_poll(discord, "Burst on PostgreSQL", "Yes; No")
    await namida.stop()
    return url, poll_id, message


async def _phase(
    discord: StandInProcess,
    workdir: Path,
    kind: str,
    database: Path | str | None,
    poll_id: int,
    message: dict,
    clicks: list[tuple[str, str]],
    rate: float | None,
    label: str,
    plan: VotingPlan,
) -> Phase:
    bot = await spawn(discord, kind, workdir, database if kind != "bare" else None)
    message_id = int(message["id"])
    since = await discord.call("request_count")
    buttons = vote_buttons(message)
    warmup = [(f"w{i}", buttons[i % len(buttons)]) for i in range(plan.warmup)]
    await fire(discord, f"{label} warm-up", message_id, warmup, rate=200.0, wait=30)
    await asyncio.sleep(1.0)
    wait = 60.0 if rate is None else len(clicks) / rate + 60.0
    _, results = await fire(discord, label, message_id, clicks, rate=rate, wait=wait)
    phase = Phase(kind, LoadSummary.of(label, results), bot.ready_at - bot.spawned_at)
    if kind != "bare":
        phase.edits, final_message = await _edits_after_quiet(discord, message, since)
        phase.shown = shown_tally(final_message)
        phase.stored = recount(database, poll_id)
        phase.counters = counters(database, poll_id)
        phase.rss_kib = bot.rss_kib()[1]
    await bot.stop()
    return phase


async def _edits_after_quiet(discord: StandInProcess, message: dict, since: int) -> tuple[list[float], dict]:
    """Arrival times of every edit of the poll message since ``since``, once edits stopped for
    longer than the refresh interval (the last one shows the final tally)."""
    channel, message_id = message["channel_id"], message["id"]
    path = rf"/channels/{channel}/messages/{message_id}"
    quiet_since = await discord.call("clock")
    seen = -1
    for _ in range(600):
        edits = await discord.call("requests", since=since, method="PATCH", path=path)
        now = await discord.call("clock")
        if len(edits) != seen:
            seen, quiet_since = len(edits), now
        elif now - quiet_since > EDIT_INTERVAL + 1.5:
            break
        await asyncio.sleep(0.25)
    final = await discord.call("message", id=int(message_id))
    return [e["time"] for e in edits], final


def _seconds(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{percentile(values, 50):.2f} s (all: {', '.join(f'{v:.2f}' for v in values)})"


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan
