"""``python -m bench [--quick] [--only …]``: Namida's vote path against the physical ceiling.

Starts the stand-in in its own process, runs each scenario against Namida (``python -m bot``
pointed at the stand-in) and, for the baseline, a bare discord.py bot that only defers each
click; prints the measurements and PASS/FAIL per target. Benchmarks only print: nothing here is
a test assertion.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench import procs
from bench.procs import TOKEN
from bench.stats import Report
from standin.serve import StandInProcess

SCENARIOS = ("voting", "tally", "durability", "catalogue", "charts")


def plans(quick: bool) -> dict:
    """Imported here, not at the top: ``--bot-path`` decides where ``bot`` is imported from."""
    from bench.catalogue import CataloguePlan
    from bench.charts import ChartsPlan
    from bench.durability import DurabilityPlan
    from bench.tally import TallyPlan
    from bench.voting import VotingPlan

    if quick:
        return {
            "voting": VotingPlan(burst=300, bursts=1, rate=300.0, seconds=3.0, warmup=20, startup_samples=1),
            "tally": TallyPlan(ballots=100_000, repeats=50, writer_clicks=300, rss_clicks=100),
            "durability": DurabilityPlan(kills=3, burst=200),
            "catalogue": CataloguePlan(queries=500, autocompletes=50, startup_samples=1),
            "charts": ChartsPlan(burst=300, pairs=1, charts=4, rss_charts=5),
        }
    return {
        "voting": VotingPlan(), "tally": TallyPlan(), "durability": DurabilityPlan(), "catalogue": CataloguePlan(),
        "charts": ChartsPlan(),
    }  # fmt: skip


def cpu_seconds() -> tuple[float, float]:
    """(CPU time every process on the machine used, CPU time this process and its reaped
    children used): their difference over a run is other people's load, shown with the results."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    everyone = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    own = os.times()
    return everyone, own.user + own.system + own.children_user + own.children_system


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [f"{os.cpu_count()} CPU(s), {cpu}", f"Python {platform.python_version()}", platform.platform()]


async def main_async(args: argparse.Namespace) -> int:
    from bench.catalogue import run_catalogue
    from bench.charts import run_charts
    from bench.durability import run_durability
    from bench.tally import run_tally
    from bench.voting import run_voting

    chosen_plans = plans(args.quick)
    overrides = {"burst": args.burst, "bursts": args.bursts, "rate": args.rate, "seconds": args.seconds}
    chosen_plans["voting"] = replace(chosen_plans["voting"], **{k: v for k, v in overrides.items() if v is not None})
    if args.sweep:
        chosen_plans["voting"] = replace(chosen_plans["voting"], sweep=tuple(float(r) for r in args.sweep.split(",")))
    if args.ballots is not None:
        chosen_plans["tally"] = replace(chosen_plans["tally"], ballots=args.ballots)
    if args.kills is not None:
        chosen_plans["durability"] = replace(chosen_plans["durability"], kills=args.kills)
    chosen = args.only.split(",") if args.only else list(SCENARIOS)
    unknown = [name for name in chosen if name not in SCENARIOS]
    if unknown:
        print(f"bench: unknown scenario(s) {unknown}; choose from {', '.join(SCENARIOS)}", file=sys.stderr)
        return 2
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="namida-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    report = Report(machine=machine() + [f"{'quick' if args.quick else 'full'} run, seed {args.seed}"])
    if procs.BOT_PATH != procs.REPO:
        report.machine.append(f"bot processes from {procs.BOT_PATH}")
    loop = "uvloop" if os.environ.get("BENCH_BARE_LOOP") == "uvloop" else "asyncio (discord.py's default)"
    report.machine.append(f"bare baseline on {loop}")
    started = time.monotonic()
    busy_before = cpu_seconds()
    try:
        for name in chosen:
            print(f"… {name}", file=sys.stderr, flush=True)
            # A fresh stand-in per scenario keeps each one's records (and memory) to itself.
            async with StandInProcess(TOKEN) as discord:
                folder = workdir / name
                folder.mkdir(exist_ok=True)
                if name == "voting":
                    await run_voting(discord, folder, chosen_plans[name], report)
                elif name == "tally":
                    await run_tally(discord, folder, chosen_plans[name], report, args.seed)
                elif name == "catalogue":
                    await run_catalogue(discord, folder, chosen_plans[name], report, args.seed)
                elif name == "charts":
                    await run_charts(discord, folder, chosen_plans[name], report)
                else:
                    await run_durability(discord, folder, chosen_plans[name], report, args.seed)
    finally:
        await procs.BotProcess.kill_leftovers()
        elapsed = time.monotonic() - started
        busy_after = cpu_seconds()
        foreign = (busy_after[0] - busy_before[0]) - (busy_after[1] - busy_before[1])
        report.machine.append(
            f"took {elapsed:.0f} s; other processes used {max(0.0, foreign):.0f} CPU-s meanwhile "
            f"({max(0.0, foreign) / elapsed:.0%} of one core: noise in these numbers)"
        )
        print(report.render())
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"\nDatabases and bot logs kept in {workdir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small, short versions of every scenario (a smoke run)")
    parser.add_argument("--only", metavar="LIST", help=f"comma-separated scenarios among {', '.join(SCENARIOS)}")
    parser.add_argument("--seed", type=int, default=1, help="seed for kill moments and generated ballots")
    parser.add_argument("--burst", type=int, help="members clicking at once (default 2000)")
    parser.add_argument("--bursts", type=int, help="bursts per bot, alternating (default 3; medians are judged)")
    parser.add_argument("--rate", type=float, help="sustained clicks per second (default 1000)")
    parser.add_argument("--seconds", type=float, help="sustained load duration (default 30)")
    parser.add_argument(
        "--sweep", metavar="RATES", help="also run both bots 10 s at each of these rates, e.g. 250,500,750"
    )
    parser.add_argument("--ballots", type=int, help="ballots in the tally poll (default 1,000,000)")
    parser.add_argument("--kills", type=int, help="SIGKILLs in the durability scenario (default 20)")
    parser.add_argument(
        "--bare-uvloop", action="store_true", help="run the bare baseline on uvloop too (default: discord.py's own)"
    )
    parser.add_argument("--workdir", help="keep databases and bot logs in this folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with databases and logs")
    parser.add_argument("--bot-path", help="run the bot processes from another checkout (to measure a proposed change)")
    args = parser.parse_args(argv)
    if args.bot_path:
        procs.BOT_PATH = Path(args.bot_path).resolve()
        sys.path.insert(0, str(procs.BOT_PATH))  # in-process measurements use that ``bot`` too
        import bot

        if Path(bot.__file__).resolve().parent.parent != procs.BOT_PATH:
            parser.error(f"bot is already imported from {bot.__file__}")
    if args.bare_uvloop:
        os.environ["BENCH_BARE_LOOP"] = "uvloop"  # the bot processes inherit this process's environment
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
