"""/poll voters: a moderator privately pages through who voted what in a closed, open-ballot poll."""

from __future__ import annotations

from copy import deepcopy

from bot.domain import limits
from bot.domain.ballots import Replace
from bot.domain.limits import discord_len
from cogs.polls.tally import utcnow
from standin import PERMISSIONS, Overwrite
from standin.state import walk_components
from tests.e2e.polling import CHART_WAIT, labels, start_poll, vote
from tests.e2e.polls.test_lifecycle import poll_id_of


def buttons(message) -> dict[str, dict]:
    return {c["label"]: c for c in walk_components(message["components"]) if c.get("label")}


async def closed_open_ballot_poll(discord, mod, voters: int):
    poll = await start_poll(discord, mod, "custom", question="Who?", options="Yes; No; Maybe", anonymous=False)
    members = [discord.member(f"voter{i}") for i in range(voters)]
    for i, member in enumerate(members):
        await vote(discord, poll, ["1. Yes", "2. No", "3. Maybe"][i % 3], member)
    await (await discord.slash("poll close", {"poll": poll_id_of(poll)}, user=mod)).final_message(CHART_WAIT)
    return poll_id_of(poll), members


async def test_a_moderator_pages_through_who_voted_what_without_pinging_anyone(discord, configured, mod):
    poll_id, members = await closed_open_ballot_poll(discord, mod, 17)
    answer = await discord.slash("poll voters", {"poll": poll_id}, user=mod)
    assert answer.ephemeral and answer.callback["data"]["allowed_mentions"] == {"parse": []}
    page = answer.message["embeds"][0]
    assert page["title"] == f"Who voted what · Poll #{poll_id}"
    lines = page["description"].split("\n")
    assert len(lines) == 15
    assert lines[0] == f"<@{members[0].id}> — **1. Yes**" and lines[4] == f"<@{members[4].id}> — **2. No**"
    assert page["footer"]["text"] == "Page 1 of 2 · 17 ballot(s) · only you can see this"
    first = buttons(answer.message)
    assert first["◀ Previous"]["disabled"] and not first["Next ▶"].get("disabled")

    turned = await discord.click(answer.message, first["Next ▶"]["custom_id"], user=mod)
    assert turned.callback["data"]["allowed_mentions"] == {"parse": []}
    second = turned.message["embeds"][0]
    assert second["description"].split("\n") == [
        f"<@{members[15].id}> — **1. Yes**",
        f"<@{members[16].id}> — **2. No**",
    ]
    assert second["footer"]["text"].startswith("Page 2 of 2")
    assert buttons(turned.message)["Next ▶"]["disabled"]
    back = await discord.click(turned.message, buttons(turned.message)["◀ Previous"]["custom_id"], user=mod)
    assert back.message["embeds"][0]["footer"]["text"].startswith("Page 1 of 2")


async def test_one_page_has_no_buttons(discord, configured, mod):
    poll_id, _ = await closed_open_ballot_poll(discord, mod, 2)
    answer = await discord.slash("poll voters", {"poll": poll_id}, user=mod)
    assert answer.message["embeds"][0]["description"].count("<@") == 2
    assert not labels(answer.message)


async def test_open_anonymous_and_member_requests_are_refused(discord, configured, mod, alice):
    running = await start_poll(discord, mod, "custom", question="Still on?", options="Yes; No", anonymous=False)
    refused = await discord.slash("poll voters", {"poll": poll_id_of(running)}, user=mod)
    assert refused.ephemeral and "is still open" in refused.content

    secret = await start_poll(discord, mod, "custom", question="Secret?", options="Yes; No")
    await vote(discord, secret, "1. Yes", alice)
    await (await discord.slash("poll close", {"poll": poll_id_of(secret)}, user=mod)).final_message(CHART_WAIT)
    refused = await discord.slash("poll voters", {"poll": poll_id_of(secret)}, user=mod)
    assert refused.ephemeral and "is anonymous" in refused.content and "<@" not in refused.content

    poll_id, _ = await closed_open_ballot_poll(discord, mod, 1)
    refused = await discord.slash("poll voters", {"poll": poll_id}, user=alice)
    assert refused.ephemeral and refused.content.startswith("Only moderators")


LONG = "🎬 A very long option label that keeps going, with wide characters too: 涙のシーン"


async def test_long_ranked_ballots_of_many_voters_fit_discord_limits(discord, configured, mod):
    labels_given = [f"{n:02d} {LONG}"[:80] for n in range(20)]
    poll = await start_poll(discord, mod, "custom", question="Long?", options="; ".join(labels_given),
                            mode="ranked", anonymous=False)  # fmt: skip
    poll_id = poll_id_of(poll)
    stored = await configured.polls.poll(poll_id)
    members = [discord.member(f"ranker{i}") for i in range(31)]
    for i, member in enumerate(members):  # 20-option ballots cast straight into the store: the page is what is tested
        await configured.polls.cast(stored, member.id, Replace(tuple((i + k) % 20 for k in range(20))), utcnow())
    await (await discord.slash("poll close", {"poll": poll_id}, user=mod)).final_message(CHART_WAIT)

    answer = await discord.slash("poll voters", {"poll": poll_id}, user=mod)
    pages = [deepcopy(answer.message)]  # the message is edited in place: keep each page as shown
    for _ in range(2):
        turned = await discord.click(answer.message, buttons(answer.message)["Next ▶"]["custom_id"], user=mod)
        pages.append(deepcopy(turned.message))
    for number, page in enumerate(pages, start=1):
        embed = page["embeds"][0]
        assert embed["footer"]["text"].startswith(f"Page {number} of 3 · 31 ballot(s)")
        assert discord_len(embed["description"]) <= limits.EMBED_DESCRIPTION
    lines = [line for page in pages for line in page["embeds"][0]["description"].split("\n")]
    assert [line.split(" — ")[0] for line in lines] == [f"<@{m.id}>" for m in members]
    assert all(line.endswith(" more") and " → " in line for line in lines), "long ballots end with 'and N more'"
    assert lines[0].startswith(f"<@{members[0].id}> — **1. 00 🎬 A very long")


async def test_a_page_turned_after_the_poll_reopened_is_refused_privately(discord, configured, mod):
    poll_id, _ = await closed_open_ballot_poll(discord, mod, 16)
    answer = await discord.slash("poll voters", {"poll": poll_id}, user=mod)
    await discord.slash("poll reopen", {"poll": poll_id}, user=mod)
    stale = await discord.click(answer.message, buttons(answer.message)["Next ▶"]["custom_id"], user=mod)
    assert stale.ephemeral and "is still open" in stale.content and "<@" not in stale.content


async def test_a_page_turned_after_losing_sight_of_the_polls_channel_shows_nothing(discord, configured, mod):
    poll_id, members = await closed_open_ballot_poll(discord, mod, 16)
    answer = await discord.slash("poll voters", {"poll": poll_id}, user=mod)
    await discord.set_overwrites("polls", Overwrite(mod.id, deny=PERMISSIONS["view_channel"], kind=1))
    hidden = await discord.click(answer.message, buttons(answer.message)["Next ▶"]["custom_id"], user=mod)
    assert hidden.ephemeral and "I don't know that poll" in hidden.content
    assert str(members[15].id) not in hidden.all_text()
