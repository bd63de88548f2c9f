"""/poll extend racing the poll's close tells the moderator what really happened."""

from __future__ import annotations

from tests.e2e.polling import start_poll
from tests.e2e.polls.test_lifecycle import poll_id_of
from tests.e2e.surfaces import sent_leaks


def close_right_after_the_lookup(bot, monkeypatch) -> None:
    """The poll closes (its deadline, or another moderator) after /poll extend has read it open."""
    looked_up = bot.polls.poll_in

    async def then_closed(guild_id, poll_id):
        found = await looked_up(guild_id, poll_id)
        await bot.polls.close(poll_id, found.created_at)
        return found

    monkeypatch.setattr(bot.polls, "poll_in", then_closed)


async def test_extending_a_poll_that_closes_meanwhile_says_it_is_closed(
    discord, configured, mod, top_list, monkeypatch
):
    poll = await start_poll(discord, mod, "custom", question="Race?", options="Yes; No")
    poll_id = poll_id_of(poll)
    before = await configured.polls.poll(poll_id)
    close_right_after_the_lookup(configured, monkeypatch)

    answer = await discord.slash("poll extend", {"poll": poll_id, "duration": "1d"}, user=mod)
    assert answer.ephemeral and "closed before I could extend it, so it stays closed" in answer.content
    after = await configured.polls.poll(poll_id)
    assert after.closed_at is not None and after.closes_at == before.closes_at
    assert sent_leaks(discord.requests, top_list) == []


async def test_extending_an_open_poll_says_when_it_now_closes(discord, configured, mod, top_list):
    poll = await start_poll(discord, mod, "custom", question="More time?", options="Yes; No")
    poll_id = poll_id_of(poll)
    before = await configured.polls.poll(poll_id)
    answer = await discord.slash("poll extend", {"poll": poll_id, "duration": "1d"}, user=mod)
    after = await configured.polls.poll(poll_id)
    assert answer.ephemeral and f"now closes <t:{int(after.closes_at.timestamp())}" in answer.content
    assert (after.closes_at - before.closes_at).days == 1
    assert sent_leaks(discord.requests, top_list) == []
