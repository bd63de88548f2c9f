"""Latency summaries, targets and the printed tables."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class LoadSummary:
    """What one batch of clicks measured, from the stand-in's timestamps."""

    label: str
    clicks: int
    answered: int  # a callback arrived
    accepted: int  # ... and the stand-in accepted it (in time, valid)
    throughput: float  # accepted clicks per second, first dispatch → last acknowledgement
    p50: float
    p95: float
    p99: float
    max: float
    late: int  # answered after Discord's 3 s

    @classmethod
    def of(cls, label: str, results: list[dict]) -> LoadSummary:
        latencies = [r["acked_at"] - r["dispatched_at"] for r in results if r["acked_at"] is not None]
        accepted = [r for r in results if r["status"] is not None and r["status"] < 300]
        first = min((r["dispatched_at"] for r in results), default=0.0)
        last = max((r["acked_at"] for r in accepted), default=first)
        span = last - first
        return cls(
            label=label,
            clicks=len(results),
            answered=len(latencies),
            accepted=len(accepted),
            throughput=len(accepted) / span if span > 0 else math.nan,
            p50=percentile(latencies, 50),
            p95=percentile(latencies, 95),
            p99=percentile(latencies, 99),
            max=max(latencies, default=math.nan),
            late=sum(1 for latency in latencies if latency > 3.0),
        )


@dataclass
class Target:
    name: str
    measured: str
    limit: str
    passed: bool | None  # None: not measured in this run
    note: str = ""


@dataclass
class Report:
    machine: list[str] = field(default_factory=list)
    loads: list[LoadSummary] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)  # other measurements: name, value
    targets: list[Target] = field(default_factory=list)

    def render(self) -> str:
        out = ["Machine: " + "; ".join(self.machine), ""]
        if self.loads:
            header = ("scenario", "clicks", "acked", "late>3s", "throughput/s", "p50 ms", "p95 ms", "p99 ms", "max ms")
            body = [
                (
                    s.label,
                    str(s.clicks),
                    str(s.accepted),
                    str(s.late),
                    f"{s.throughput:,.0f}",
                    ms(s.p50),
                    ms(s.p95),
                    ms(s.p99),
                    ms(s.max),
                )
                for s in self.loads
            ]
            out += table(header, body) + [""]
        if self.rows:
            out += table(("measurement", "value"), self.rows) + [""]
        if self.targets:
            body = [
                (t.name, t.measured, t.limit, {True: "PASS", False: "FAIL", None: "n/a"}[t.passed], t.note)
                for t in self.targets
            ]
            out += table(("target", "measured", "limit", "result", "note"), body)
            passed = sum(1 for t in self.targets if t.passed)
            failed = sum(1 for t in self.targets if t.passed is False)
            out += ["", f"{passed} passed, {failed} failed, {len(self.targets) - passed - failed} not measured"]
        return "\n".join(out)


def ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:,.1f}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    line = "  ".join

    def fmt(row: Sequence[str]) -> str:
        return line(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()

    return [fmt(header), line("-" * w for w in widths)] + [fmt(row) for row in rows]
