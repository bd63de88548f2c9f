"""What ``/metrics`` exposes, in the Prometheus text format, through prometheus-client.

Each bot has its own registry, so several bots in one process (the tests) count apart. Counters
that only the database can know across processes (nominations, open polls) are read from it when
``/metrics`` is scraped, not counted here.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Discord refuses a first answer after 3 s: the buckets resolve the range that matters below it.
ANSWER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
COMMIT_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
NOMINATION_STATUSES = ("pending", "approved", "rejected", "withdrawn", "merged")


class Metrics:
    def __init__(self, gateway_latency: Callable[[], float]) -> None:
        self.registry = CollectorRegistry()
        self.interactions = Counter(
            "namida_interactions", "Interactions received, by kind", ["kind"], registry=self.registry
        )
        self.votes = Counter("namida_votes", "Votes cast and committed", registry=self.registry)
        self.answer_seconds = Histogram(
            "namida_answer_seconds",
            "From an interaction's creation to the end of its handling (its answer sent), by kind",
            ["kind"],
            buckets=ANSWER_BUCKETS,
            registry=self.registry,
        )
        self.commit_seconds = Histogram(
            "namida_database_commit_seconds",
            "Time a database write transaction held the write lock, commit included",
            buckets=COMMIT_BUCKETS,
            registry=self.registry,
        )
        self.gateway_latency = Gauge(
            "namida_gateway_latency_seconds",
            "Heartbeat round trip to Discord's gateway (NaN while not connected)",
            registry=self.registry,
        )
        self.gateway_latency.set_function(lambda: _finite_or_nan(gateway_latency()))
        self.open_polls = Gauge("namida_open_polls", "Polls that are open now", registry=self.registry)
        self.nominations = Gauge(
            "namida_nominations", "Nominations in the database, by status", ["status"], registry=self.registry
        )

    def set_from_database(self, open_polls: int, nominations: dict[str, int]) -> None:
        self.open_polls.set(open_polls)
        for status in NOMINATION_STATUSES:
            self.nominations.labels(status=status).set(nominations.get(status, 0))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def _finite_or_nan(value: float) -> float:
    return value if math.isfinite(value) else math.nan
