"""Charts against votes: a burst of clicks while chart results are requested, against the same
burst alone (alternating pairs, each in a freshly started bot), and the bot's memory after a run
of chart results. The charts are drawn in the chart process; the bot only waits on a pipe."""

from __future__ import annotations

import asyncio
import statistics
from dataclasses import dataclass
from pathlib import Path

from bench.clicks import fire, start_poll, vote_buttons
from bench.procs import BotProcess, spawn
from bench.stats import LoadSummary, Report, Target
from standin.serve import StandInProcess

P99_RATIO_LIMIT = 1.25
RSS_LIMIT_MB = 100
CHART_SPACING = 0.05  # seconds between two chart requests, so they land inside the burst


@dataclass(frozen=True)
class ChartsPlan:
    burst: int = 1200
    pairs: int = 3  # alone / with charts, alternating which goes first; the medians are judged
    charts: int = 12  # chart results requested during a burst, one per open poll
    rss_charts: int = 20
    warmup: int = 50


@dataclass
class ChartPhase:
    load: LoadSummary
    charts: list[dict]


async def run_charts(discord: StandInProcess, workdir: Path, plan: ChartsPlan, report: Report) -> None:
    database = workdir / "charts.db"
    polls = max(plan.charts, plan.rss_charts)
    await discord.call("members", prefix="w", count=plan.warmup)
    setup = await spawn(discord, "namida", workdir, database)
    _, burst_message = await start_poll(discord, "Burst", "Yes; No; Maybe")
    chart_polls = [(await start_poll(discord, f"Chart {n}", "A; B; C; D; E"))[0] for n in range(polls)]
    await setup.stop()
    buttons = vote_buttons(burst_message)

    await discord.call("checks", on=False)
    alone: list[LoadSummary] = []
    busy: list[ChartPhase] = []
    for pair in range(plan.pairs):
        for with_charts in (False, True) if pair % 2 == 0 else (True, False):
            prefix = f"{'c' if with_charts else 'a'}{pair}-"
            await discord.call("members", prefix=prefix, count=plan.burst)
            clicks = [(f"{prefix}{i}", buttons[i % len(buttons)]) for i in range(plan.burst)]
            requests = chart_polls[: plan.charts] if with_charts else []
            label = f"burst of {plan.burst}" + (f" + {plan.charts} chart results" if with_charts else " alone")
            phase = await _burst(
                discord, workdir, database, burst_message, clicks, requests, f"{label} #{pair + 1}", plan.warmup
            )
            report.loads.append(phase.load)
            if with_charts:
                busy.append(phase)
            else:
                alone.append(phase.load)
    await discord.call("checks", on=True)

    idle_rss, after_rss, worker_rss, rss_charts = await _memory(discord, workdir, database, chart_polls, plan)

    ratios = [b.load.p99 / a.p99 for a, b in zip(alone, busy, strict=True)]
    ratio = statistics.median(ratios)
    answered = [c for phase in busy for c in phase.charts]
    drawn = sum(1 for c in answered if c.get("attachments"))
    seconds = sorted(c["seconds"] for c in answered if "seconds" in c)
    drawn_rss = sum(1 for c in rss_charts if c.get("attachments"))
    report.rows += [
        (f"burst p99 alone / with {plan.charts} chart results, per pair",
         "; ".join(f"{a.p99 * 1000:,.0f} / {b.load.p99 * 1000:,.0f} ms" for a, b in zip(alone, busy, strict=True))),
        ("chart results during bursts: with a chart / requested", f"{drawn} / {len(answered)}"),
        ("chart result answer time during bursts: median / max",
         f"{statistics.median(seconds):.2f} s / {seconds[-1]:.2f} s" if seconds else "-"),
        (f"namida RSS: idle / after {plan.rss_charts} chart results ({drawn_rss} with a chart)",
         f"{_mb(idle_rss)} / {_mb(after_rss)}"),
        ("chart process peak RSS (its own process, ended when idle)", _mb(worker_rss) if worker_rss else "-"),
    ]  # fmt: skip
    report.targets += [
        Target(
            f"burst p99 with {plan.charts} chart results ≤ {P99_RATIO_LIMIT} × alone",
            f"{ratio:.2f} ×",
            f"≤ {P99_RATIO_LIMIT:.2f} ×",
            ratio <= P99_RATIO_LIMIT and drawn == len(answered),
            f"median of {plan.pairs} alternating pairs; {drawn}/{len(answered)} charts drawn",
        ),
        Target(
            f"namida RSS ≤ {RSS_LIMIT_MB} MB after {plan.rss_charts} chart results",
            _mb(after_rss),
            f"≤ {RSS_LIMIT_MB} MB",
            after_rss * 1024 <= RSS_LIMIT_MB * 10**6 and drawn_rss == plan.rss_charts,
            f"VmRSS of the bot process; {drawn_rss}/{plan.rss_charts} charts drawn; MB = 10^6 bytes",
        ),
    ]


async def _burst(
    discord: StandInProcess, workdir: Path, database: Path, message: dict, clicks: list[tuple[str, str]],
    chart_polls: list[int], label: str, warmup_clicks: int,
) -> ChartPhase:  # fmt: skip
    bot = await spawn(discord, "namida", workdir, database)
    buttons = vote_buttons(message)
    warmup = [(f"w{i}", buttons[i % len(buttons)]) for i in range(warmup_clicks)]
    await fire(discord, f"{label} warm-up", int(message["id"]), warmup, rate=200.0, wait=30)
    await asyncio.sleep(1.0)
    key = f"{label} charts"
    if chart_polls:
        await discord.call("members", prefix=f"{key}-", count=len(chart_polls))
        await discord.call("slash_soon", key=key, requests=_chart_requests(key, chart_polls), spacing=CHART_SPACING)
    _, results = await fire(discord, label, int(message["id"]), clicks, wait=60)
    charts = await discord.call("slash_outcomes", key=key) if chart_polls else []
    await bot.stop()
    return ChartPhase(LoadSummary.of(label, results), charts)


async def _memory(
    discord: StandInProcess, workdir: Path, database: Path, chart_polls: list[int], plan: ChartsPlan
) -> tuple[int, int, int, list[dict]]:
    """The bot's resident memory before and after ``rss_charts`` chart results, one per poll, and
    the chart process's peak while it still runs."""
    bot = await spawn(discord, "namida", workdir, database)
    await asyncio.sleep(2.5)  # discord.py's on_ready comes 2 s after the last GUILD_CREATE
    idle, _ = bot.rss_kib()
    key = "rss charts"
    await discord.call("members", prefix=f"{key}-", count=plan.rss_charts)
    charts = []
    for n, poll_id in enumerate(chart_polls[: plan.rss_charts]):  # one after the other, as members ask
        await discord.call("slash_soon", key=f"{key}{n}", requests=[_chart_request(f"{key}-{n}", poll_id)])
        charts += await discord.call("slash_outcomes", key=f"{key}{n}")
    after, _ = bot.rss_kib()
    worker = _child_peak_rss(bot)
    await bot.stop()
    return idle, after, worker, charts


def _chart_requests(key: str, chart_polls: list[int]) -> list[dict]:
    return [_chart_request(f"{key}-{n}", poll_id) for n, poll_id in enumerate(chart_polls)]


def _chart_request(member: str, poll_id: int) -> dict:
    return {"name": "poll results", "user": member, "options": {"poll": poll_id, "ephemeral": True}, "channel": "polls"}


def _child_peak_rss(bot: BotProcess) -> int:
    """VmHWM of the bot's child processes (the chart process), 0 if none runs."""
    peak = 0
    try:
        children = Path(f"/proc/{bot.pid}/task/{bot.pid}/children").read_text().split()
        for child in children:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    except OSError:
        return peak
    return peak


def _mb(kib: int) -> str:
    return f"{kib * 1024 / 10**6:.1f} MB"
