"""/metrics counts nominations by status, as members submit and withdraw them."""

from __future__ import annotations

import dataclasses

import pytest

from tests.e2e.endpoints import free_port, get, sample
from tests.e2e.nominating import nominate


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, http_port=free_port())


async def test_metrics_count_nominations_by_status(discord, configured, alice, bob):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    await nominate(discord, bob, "Anohana", moment="Menma's letters", fmt="tv")
    withdrawn = await discord.slash("nominations withdraw", {"id": 1}, user=alice)
    assert "Withdrew **Nomination #1**" in withdrawn.content

    status, page = await get(configured, "/metrics")
    assert status == 200
    assert sample(page, 'namida_nominations{status="pending"}') == 1
    assert sample(page, 'namida_nominations{status="withdrawn"}') == 1
    assert sample(page, 'namida_nominations{status="approved"}') == 0
    assert sample(page, 'namida_interactions_total{kind="modal_submit"}') == 2
