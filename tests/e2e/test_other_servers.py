"""Two servers share one Namida: neither can see or touch the other's polls and nominations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.guild_settings import GuildSettings
from bot.domain.nominations import Format, check_rules, make_draft
from bot.domain.polls import Kind, Mode, PollOption
from bot.storage.polls import NewPoll

OTHER_SERVER = 1  # a guild id that isn't the stand-in's server


async def test_another_servers_poll_and_nomination_are_out_of_reach(discord, namida, alice, top_list):
    now = datetime.now(UTC)
    foreign = await namida.polls.create_poll(
        NewPoll(guild_id=OTHER_SERVER, channel_id=2, kind=Kind.CUSTOM, list_id=None, question="Theirs", options=(
            PollOption(0, "a"), PollOption(1, "b")), mode=Mode.SINGLE, max_choices=1, hide_results=False,
            anonymous=True, role_id=None, creator_id=3, closes_at=now + timedelta(hours=1)),
        now,
    )  # fmt: skip
    results = await discord.slash("poll results", {"poll": foreign.id}, user=alice)
    assert results.ephemeral and "I don't know that poll in this server" in results.content
    settings = GuildSettings(OTHER_SERVER)
    draft = check_rules(make_draft("Clannad", "Theirs", None, "What.", "Why.", Format.TV), top_list, settings)
    await namida.nominations.add_nomination(OTHER_SERVER, top_list.id, 3, draft, settings, now)
    shown = await discord.slash("nominations show", {"id": 1}, user=alice)
    assert shown.ephemeral and "doesn't exist in this server" in shown.content
