"""SIGKILL at a random moment during a burst, many times on one database: no acknowledged vote
lost, the file intact, the poll still answering after every restart and closing on time. The same
run on PostgreSQL (a durable throwaway server) when the machine has its binaries."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.clicks import counters, fire, integrity, query, recount, start_poll, vote_buttons
from bench.procs import spawn
from bench.stats import Report, Target
from bot.storage.database import utc_text, utc_time
from standin.postgresql import PostgresServer, find_binaries
from standin.serve import StandInProcess

CLOSE_LATENESS = 1.0
PROBES = 5  # clicks after each restart: the poll must still answer


@dataclass(frozen=True)
class DurabilityPlan:
    kills: int = 20
    burst: int = 500


@dataclass
class KillOutcome:
    acked: int
    unacked: int
    lost: int
    committed_unacked: int  # saved although the member never heard back (allowed)
    integrity: str
    counters_ok: bool


async def run_durability(
    discord: StandInProcess, workdir: Path, plan: DurabilityPlan, report: Report, seed: int
) -> None:
    await _run(discord, workdir, plan, report, random.Random(seed), workdir / "durability.db", "")
    binaries = find_binaries()
    if binaries is None:
        report.rows.append(("durability on PostgreSQL", "not measured: no PostgreSQL binaries (Debian's postgresql)"))
        return
    server = PostgresServer(binaries, durable=True)
    server.start()
    try:
        url = server.url(await server.create_database("durability"))
        await _run(discord, workdir, plan, report, random.Random(seed), url, "on PostgreSQL: ")
    finally:
        server.stop()


async def _run(
    discord: StandInProcess,
    workdir: Path,
    plan: DurabilityPlan,
    report: Report,
    rng: random.Random,
    database: Path | str,
    engine: str,
) -> None:
    await discord.call("checks", on=False)
    namida = await spawn(discord, "namida", workdir, database)
    poll_id, message = await start_poll(discord, f"Crash test {engine}".strip(), "Yes; No; Maybe")
    message_id, buttons = int(message["id"]), vote_buttons(message)

    def clicks(prefix: str) -> list[tuple[str, str]]:
        return [(f"{prefix}{i}", buttons[i % len(buttons)]) for i in range(plan.burst)]

    # One burst without a kill tells how long a burst lasts here; kills land uniformly within it.
    await discord.call("members", prefix="cal", count=plan.burst)
    _, calibration = await fire(discord, "calibrate", message_id, clicks("cal"), wait=60)
    span = max(r["acked_at"] for r in calibration if r["acked_at"]) - min(r["dispatched_at"] for r in calibration)
    acknowledged = _acknowledged(calibration, buttons)

    outcomes: list[KillOutcome] = []
    working_after_restart = 0
    for round_ in range(plan.kills):
        prefix = f"k{round_}-"
        await discord.call("members", prefix=prefix, count=plan.burst)
        delay = rng.uniform(0.0, span)
        _, results = await fire(
            discord, f"kill-{round_}", message_id, clicks(prefix), wait=60, kill_pid=namida.pid, kill_delay=delay
        )
        await namida.process.wait()
        acknowledged |= _acknowledged(results, buttons)
        outcomes.append(_check(database, poll_id, acknowledged, results))
        namida = await spawn(discord, "namida", workdir, database)
        probe = [(f"p{round_}-{i}", buttons[i % len(buttons)]) for i in range(PROBES)]
        await discord.call("members", prefix=f"p{round_}-", count=PROBES)
        _, answers = await fire(discord, f"probe-{round_}", message_id, probe, wait=30)
        acknowledged |= _acknowledged(answers, buttons)
        working_after_restart += len(_acknowledged(answers, buttons)) == PROBES

    # Then, with the deadline moved while the bot is down, the poll closes on time.
    await namida.kill()
    closes_at = datetime.now(UTC) + timedelta(seconds=3)
    query(database, "UPDATE polls SET closes_at = ? WHERE id = ?", utc_text(closes_at), poll_id)
    before = await discord.call("request_count")
    namida = await spawn(discord, "namida", workdir, database)
    channel = discord.channel_id("polls")
    posted = await discord.call("wait_request", method="POST", path=rf"/channels/{channel}/messages", start=before,
                                timeout=30)  # fmt: skip
    ((closed_at,),) = query(database, "SELECT closed_at FROM polls WHERE id = ?", poll_id)
    lateness = (utc_time(closed_at) - closes_at).total_seconds() if closed_at else float("inf")
    await namida.stop()
    final = _check(database, poll_id, acknowledged, [])
    await discord.call("checks", on=True)

    lost = sum(o.lost for o in outcomes) + final.lost
    early = sum(1 for o in outcomes if not o.acked)
    during = sum(1 for o in outcomes if o.acked and o.unacked)
    late = sum(1 for o in outcomes if not o.unacked)
    bad_files = [o.integrity for o in outcomes + [final] if o.integrity != "ok"]
    report.rows += [
        (
            f"{engine}SIGKILLs during a burst of {plan.burst}",
            f"{len(outcomes)}: {early} before any answer, {during} while answering, {late} after the last answer",
        ),
        (f"{engine}acknowledged votes checked / lost", f"{len(acknowledged)} / {lost}"),
        (f"{engine}saved but unanswered at a kill (allowed)", str(sum(o.committed_unacked for o in outcomes))),
        (f"{engine}poll closed after its deadline by", f"{lateness:.2f} s (results posted: {posted['status']})"),
    ]
    report.targets.append(
        Target(
            f"durability {engine}{len(outcomes)} SIGKILLs",
            f"{lost} lost, integrity {'ok' if not bad_files else bad_files[0]}, "
            f"{working_after_restart}/{len(outcomes)} restarts answered, closed +{lateness:.2f} s",
            "0 lost, ok, all answer, closes ≤ 1 s late",
            lost == 0
            and not bad_files
            and all(o.counters_ok for o in outcomes + [final])
            and working_after_restart == len(outcomes)
            and lateness <= CLOSE_LATENESS,
            f"{len(acknowledged):,} acknowledged votes checked",
        )
    )


def _acknowledged(results: list[dict], buttons: list[str]) -> set[tuple[int, int]]:
    """(member, option) for every click the stand-in accepted with the member's new vote."""
    index = {custom_id: int(re.search(r":v:(\d+)$", custom_id)[1]) for custom_id in buttons}
    return {
        (int(r["user_id"]), index[r["custom_id"]])
        for r in results
        if r["status"] is not None and r["status"] < 300 and (r["content"] or "").startswith("Your vote")
    }


def _check(database: Path | str, poll_id: int, acknowledged: set[tuple[int, int]], results: list[dict]) -> KillOutcome:
    rows = query(database, "SELECT user_id, choices FROM ballots WHERE poll_id = ?", poll_id)
    stored = {(user, int(choices)) for user, choices in rows}
    lost = len(acknowledged - stored)
    answered = {int(r["user_id"]) for r in results if r["status"] is not None and r["status"] < 300}
    unanswered = {int(r["user_id"]) for r in results} - answered
    saved_users = {user for user, _ in stored}
    return KillOutcome(
        acked=len(answered),
        unacked=len(unanswered),
        lost=lost,
        committed_unacked=len(unanswered & saved_users),
        integrity=integrity(database),
        counters_ok=counters(database, poll_id) == recount(database, poll_id),
    )
