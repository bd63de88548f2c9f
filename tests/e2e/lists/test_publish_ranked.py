"""/lists publish on a ranked poll of twelve nominations: the final instant-runoff order, not the
first choices, makes the places; the first ten are #1 to #10 and the last two honorable mentions."""

from __future__ import annotations

from tests.e2e.listing import close_poll
from tests.e2e.nominating import approve, nominate
from tests.e2e.polling import start_poll
from tests.e2e.polls.test_add_option import rank
from tests.e2e.surfaces import shown

SHOWS = [f"Rainy Show {n}" for n in range(1, 13)]  # Nomination #n is option n - 1 (none is seconded)


async def test_a_ranked_poll_of_twelve_publishes_its_runoff_order_with_two_honorable_mentions(discord, configured, mod):
    for n, show in enumerate(SHOWS, start=1):
        await nominate(discord, discord.member(f"fan{n}"), show, moment=f"The goodbye in the rain {n}", fmt="tv")
        _, done = await approve(discord, (await discord.slash("nominations review", user=mod)).message, mod)
        assert "was approved" in done.content, done.content
    poll = await start_poll(discord, mod, "nominations", count=12, mode="ranked")
    # First choices: #1 two, #3 two, #2 one. #2 goes out and its ballot passes to #3, which wins 3 to 2.
    ballots = {"ann": [0], "ben": [0], "cat": [2], "dan": [2], "eve": [1, 2]}
    for name, order in ballots.items():
        cast = await rank(discord, poll, discord.member(name), order)
        assert cast.ephemeral, cast.content
    poll_id = await close_poll(discord, mod, poll)

    await discord.slash("lists create", {"name": "Rainy Ten"}, user=mod)
    published = await discord.slash("lists publish", {"poll": poll_id, "list": "rainy-ten"}, user=mod)
    assert "12 entries: 10 ranked, 2 honorable mention(s)." in shown(published.content)
    assert "1. #1 · Rainy Show 3\n2. #2 · Rainy Show 1\n3. #3 · Rainy Show 2\n4. #4 · Rainy Show 4" in shown(
        published.content
    )
    top = await discord.slash("entry", {"query": "1", "list": "rainy-ten"}, user=discord.member("ann"))
    assert top.embeds[0]["title"] == "#1 · Rainy Show 3"
    tenth = await discord.slash("entry", {"query": "10", "list": "rainy-ten"}, user=discord.member("ann"))
    assert tenth.embeds[0]["title"] == "#10 · Rainy Show 10"
    honorable = await discord.slash("honorable", {"list": "rainy-ten"}, user=discord.member("ben"))
    assert [e["title"] for e in honorable.embeds] == ["Honorable mentions"]
    assert "**Rainy Show 11**" in honorable.embeds[0]["description"]
    assert "**Rainy Show 12**" in honorable.embeds[0]["description"]
    one = await discord.slash("honorable", {"query": "Rainy Show 12", "list": "rainy-ten"}, user=discord.member("ben"))
    assert one.embeds[0]["title"] == "Honorable mention · Rainy Show 12"
