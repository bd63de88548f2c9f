"""A poll as the store would return it, for tests that render or export one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.polls import Kind, Mode, Poll, PollOption

CREATED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def make_poll(
    labels, *, mode=Mode.SINGLE, max_choices=None, anonymous=False, question="Which moment hurt most?", poll_id=12
):
    return Poll(
        id=poll_id,
        guild_id=1,
        channel_id=2,
        message_id=3,
        kind=Kind.CUSTOM,
        list_id=None,
        question=question,
        options=tuple(PollOption(i, label) for i, label in enumerate(labels)),
        mode=mode,
        max_choices=max_choices or (len(labels) if mode is not Mode.SINGLE else 1),
        hide_results=False,
        anonymous=anonymous,
        role_id=None,
        creator_id=9,
        created_at=CREATED,
        closes_at=CREATED + timedelta(days=1),
    )
