"""Server settings on a real database (SQLite and PostgreSQL): defaults, round trips, clearing a
channel, refusing an unknown setting, surviving a restart."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.guild_settings import GuildSettings
from bot.storage.guild_settings import GuildSettingsStore
from bot.storage.opening import open_database

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
GUILD, OTHER_GUILD = 1001, 2002


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
async def settings_store(database):
    return GuildSettingsStore(database)


async def test_settings_default_then_round_trip_and_a_channel_can_be_cleared(settings_store):
    assert await settings_store.get(GUILD) == GuildSettings(GUILD)
    changes = {
        "review_channel_id": 555,
        "max_open_nominations": 5,
        "cooldown_seconds": 0,
        "show_titles_are_spoilers": True,
    }
    updated = await settings_store.update(GUILD, T0, allow_listed_shows=False, **changes)
    assert await settings_store.get(GUILD) == updated == GuildSettings(GUILD, allow_listed_shows=False, **changes)
    await settings_store.update(GUILD, at(1), review_channel_id=None)
    after = await settings_store.get(GUILD)
    assert after.review_channel_id is None and after.max_open_nominations == 5
    assert after.show_titles_are_spoilers is True and after.allow_listed_shows is False
    assert await settings_store.get(OTHER_GUILD) == GuildSettings(OTHER_GUILD)


@pytest.mark.parametrize("name", ["no_such_setting", "cooldown", "channel_id"])
async def test_unknown_setting_is_refused_and_nothing_changes(settings_store, name):
    with pytest.raises(ValueError, match=name):
        await settings_store.update(GUILD, T0, **{name: 1})
    assert await settings_store.store.fetch_value("SELECT count(*) FROM guild_settings") == 0


async def test_settings_survive_closing_and_reopening(database_url):
    first = await open_database(database_url)
    await GuildSettingsStore(first).update(GUILD, T0, poll_channel_id=777, cooldown_seconds=30)
    await first.close()
    again = await open_database(database_url)
    try:
        settings = await GuildSettingsStore(again).get(GUILD)
    finally:
        await again.close()
    assert settings == GuildSettings(GUILD, poll_channel_id=777, cooldown_seconds=30)
