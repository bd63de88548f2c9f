"""Whatever the clicks and however they fall into batches (together, or queued while another batch
is being written), the stored ballots are what the clicks made one after another, and every
counter matches a recount of those ballots."""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.ballots import Replace, Toggle, counted, next_ballot
from bot.domain.errors import UserFacingError
from bot.domain.polls import Mode, validate_ballot
from bot.storage.opening import open_database
from bot.storage.polls import PollStore
from tests.pg_server import PostgresServer
from tests.store.test_poll_store import NOW, make_poll

MEMBERS = (100, 101, 102, 2**62 + 3)  # the last one: snowflakes are 64-bit
OPTIONS = 4

toggle = st.builds(Toggle, st.integers(0, OPTIONS - 1))
ranking = st.permutations(range(OPTIONS)).flatmap(lambda p: st.integers(1, OPTIONS).map(lambda n: Replace(p[:n])))
click = st.tuples(st.sampled_from((0, 1)), st.sampled_from(MEMBERS), st.one_of(toggle, ranking))
# Clicks arrive in groups; after each group the loop runs for a while: not at all (the next group
# joins the same batch), a moment (it arrives while a batch is being written) or until it is done.
groups = st.lists(
    st.tuples(st.lists(click, min_size=1, max_size=12), st.sampled_from((0.0, 0.0005, 0.003, None))),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(modes=st.tuples(st.sampled_from(Mode), st.sampled_from(Mode)), groups=groups)
def test_batched_clicks_match_one_after_another(engine, request, modes, groups):
    server = request.getfixturevalue("postgresql_server") if engine == "postgresql" else None
    asyncio.run(_check(server, modes, groups))


async def _check(server: PostgresServer | None, modes, groups) -> None:
    """Each example on an empty database."""
    with tempfile.TemporaryDirectory() as folder:
        store = await open_database(await server.emptied_shared() if server else Path(folder) / "namida.db")
        try:
            polls = PollStore(store)
            made = [await make_poll(polls, mode, options=OPTIONS, max_choices=2) for mode in modes]
            clicked, pending = [], []
            for group, pause in groups:
                for p, member, intent in group:
                    clicked.append((made[p], member, intent))
                    pending.append(asyncio.ensure_future(polls.cast(made[p], member, intent, NOW)))
                if pause is None:
                    await asyncio.wait(pending)
                elif pause:
                    await asyncio.sleep(pause)
            results = await asyncio.gather(*pending, return_exceptions=True)
            expected: dict[tuple[int, int], tuple[int, ...]] = {}
            for (poll, member, intent), result in zip(clicked, results, strict=True):
                assert result == _model(expected, poll, member, intent)
            for poll in made:
                await _assert_counters_match_ballots(polls, poll)
                stored = dict(await polls.all_ballots(poll.id))
                assert stored == {m: b for (p, m), b in expected.items() if p == poll.id and b}
        finally:
            await store.close()


def _model(expected, poll, member, intent):
    """The click applied on its own, after every click before it."""
    old = expected.get((poll.id, member), ())
    try:
        new = next_ballot(poll, old, intent)
        new = validate_ballot(poll, new) if new else ()
    except UserFacingError as refused:
        return _Refused(type(refused))
    expected[(poll.id, member)] = new
    return new


class _Refused:
    def __init__(self, kind: type) -> None:
        self.kind = kind

    def __eq__(self, other: object) -> bool:
        return isinstance(other, self.kind)


async def _assert_counters_match_ballots(polls: PollStore, poll) -> None:
    ballots = [b for _, b in await polls.all_ballots(poll.id)]
    votes = Counter(i for b in ballots for i in counted(poll, b))
    assert await polls.counts(poll.id) == ({i: votes[i] for i in range(OPTIONS)}, len(ballots))
    if poll.mode is Mode.RANKED:
        assert await polls.patterns(poll.id) == dict(Counter(ballots))
