"""/poll add-option: a moderator adds an option to an open poll; the poll message, results, chart
and export count it, counters stay equal to a recount, and bad labels are refused kindly."""

from __future__ import annotations

import csv
import io
from collections import Counter

from bot.domain.ballots import counted
from standin.state import walk_components
from tests.e2e.faults.helpers import wait_for_tally
from tests.e2e.polling import CHART_WAIT, labels, start_poll, vote
from tests.e2e.polls.test_lifecycle import poll_id_of

REFRESH_WAIT = 12.0  # the poll message is edited at most once per 5 s: a vote's edit may have just gone


async def add(discord, mod, poll_id: int, label: str, user=None):
    return await discord.slash("poll add-option", {"poll": poll_id, "label": label}, user=user or mod)


async def recount(bot, poll_id: int) -> tuple[dict[int, int], int]:
    poll = await bot.polls.poll(poll_id)
    ballots = await bot.polls.all_ballots(poll_id)
    votes = Counter(index for _, ballot in ballots for index in counted(poll, ballot))
    return {o.index: votes.get(o.index, 0) for o in poll.options}, len(ballots)


async def rank(discord, poll, member, order: list[int]):
    """A ranked ballot through the private steps: Vote, a pick per place, Cast my ballot."""
    step = await vote(discord, poll, "Vote", member)
    for index in order:
        menu = labels(discord.get_message(step.message["id"]))
        pick = next(cid for label, cid in menu.items() if label.startswith("Your choice number"))
        await discord.select(step.message, pick, [str(index)], user=member)
    return await discord.click(
        step.message, labels(discord.get_message(step.message["id"]))["Cast my ballot"], user=member
    )


def csv_rows(discord) -> list[list[str]]:
    upload = [r for r in discord.requests if r.files][-1].files[0]
    return list(csv.reader(io.StringIO(upload.data.decode("utf-8-sig"))))


async def test_an_added_option_gets_a_button_a_line_votes_results_and_export(discord, configured, mod, alice, bob):
    poll = await start_poll(discord, mod, "custom", question="Best?", options="Yes; No", anonymous=False)
    poll_id = poll_id_of(poll)
    await vote(discord, poll, "1. Yes", alice)
    await wait_for_tally(discord, poll, "**1** ballot(s)")

    added = await add(discord, mod, poll_id, "  Maybe   later ")
    assert added.ephemeral and added.content.startswith(f"Added **3. Maybe later** to **Poll #{poll_id}**")
    tally = await wait_for_tally(discord, poll, "Option added by a moderator <t:", timeout=REFRESH_WAIT)
    assert "Option added by a moderator <t:" in tally and "**3. Maybe later**." in tally
    assert "don't rank it" not in tally
    shown = discord.get_message(poll["id"])
    assert "3. Maybe later" in labels(shown)

    chosen = await vote(discord, shown, "3. Maybe later", bob)
    assert chosen.content == "Your vote: **3. Maybe later**."
    assert await configured.polls.counts(poll_id) == await recount(configured, poll_id) == ({0: 1, 1: 0, 2: 1}, 2)

    results = await discord.slash("poll results", {"poll": poll_id}, user=bob)
    message = await results.final_message(CHART_WAIT)
    assert "1 · 50.0% — 3. Maybe later" in message["embeds"][0]["description"]
    assert message["attachments"][0]["filename"] == f"poll-{poll_id}-results.png"

    await discord.slash("poll export", {"poll": poll_id}, user=mod)
    rows = csv_rows(discord)
    assert ["3", "Maybe later", "1", "50.0"] in rows
    assert [str(bob.id), "Maybe later"] in rows


async def test_a_chart_shared_before_the_option_was_added_is_not_shared_after(discord, configured, mod, alice, bob):
    poll = await start_poll(discord, mod, "custom", question="Chart?", options="Yes; No")
    poll_id = poll_id_of(poll)
    before = await (await discord.slash("poll results", {"poll": poll_id}, user=alice)).final_message(CHART_WAIT)
    assert "Maybe" not in before["embeds"][0]["description"]
    await add(discord, mod, poll_id, "Maybe")
    after = await (await discord.slash("poll results", {"poll": poll_id}, user=bob)).final_message(CHART_WAIT)
    assert "0 · 0.0% — 3. Maybe" in after["embeds"][0]["description"]
    assert configured.charts.worker.renders == 2


async def test_on_a_ranked_poll_the_line_says_earlier_ballots_do_not_rank_it(discord, configured, mod, alice, bob):
    poll = await start_poll(discord, mod, "custom", question="Rank?", options="Yes; No", mode="ranked")
    poll_id = poll_id_of(poll)
    assert (await rank(discord, poll, alice, [1, 0])).content == "Your vote: **2. No** → **1. Yes**."
    await add(discord, mod, poll_id, "Maybe")
    tally = await wait_for_tally(discord, poll, "Option added by a moderator", timeout=REFRESH_WAIT)
    assert "Ballots cast before an option was added don't rank it." in tally
    assert await configured.polls.ballot_of(poll_id, alice.id) == (1, 0)
    later = await rank(discord, discord.get_message(poll["id"]), bob, [2, 0])
    assert later.content == "Your vote: **3. Maybe** → **1. Yes**."
    assert await configured.polls.counts(poll_id) == await recount(configured, poll_id) == ({0: 0, 1: 1, 2: 1}, 2)
    results = await (await discord.slash("poll results", {"poll": poll_id}, user=bob)).final_message(CHART_WAIT)
    assert "1 · 50.0% — 3. Maybe" in results["embeds"][0]["description"]


async def test_refusals_are_friendly_and_private(discord, configured, mod, alice):
    poll = await start_poll(discord, mod, "custom", question="Full?", options="Yes; No")
    poll_id = poll_id_of(poll)
    for label, answer in [
        ("yes", "already has that option"),
        ("**", "needs a label with some text"),
        ("x" * 81, "Keep the option under 80 characters"),
    ]:
        refused = await add(discord, mod, poll_id, label)
        assert refused.ephemeral and answer in refused.content, (label, refused.content)
    refused = await add(discord, mod, poll_id, "Maybe", user=alice)
    assert refused.ephemeral and refused.content.startswith("Only moderators")

    for number in range(3, 26):
        assert (await add(discord, mod, poll_id, f"Option {number}")).content.startswith(f"Added **{number}.")
    full = await add(discord, mod, poll_id, "One more")
    assert full.ephemeral and "already has 25 options" in full.content
    assert len((await configured.polls.poll(poll_id)).options) == 25

    await (await discord.slash("poll close", {"poll": poll_id}, user=mod)).final_message(CHART_WAIT)
    late = await add(discord, mod, poll_id, "Too late")
    assert late.ephemeral and "is closed" in late.content


async def test_a_label_cannot_ping_or_format(discord, configured, mod):
    poll = await start_poll(discord, mod, "custom", question="Ping?", options="Yes; No")
    added = await add(discord, mod, poll_id_of(poll), "@everyone **look** <@&1>")
    assert added.callback["data"]["allowed_mentions"] == {"parse": []}
    tally = await wait_for_tally(discord, poll, "Option added by a moderator", timeout=REFRESH_WAIT)
    assert "@everyone" not in tally and "**look**" not in tally


async def test_past_20_options_the_buttons_become_a_menu_that_counts_the_added_one(discord, configured, mod, bob):
    twenty = "; ".join(f"Pick {n}" for n in range(1, 21))
    poll = await start_poll(discord, mod, "custom", question="Many?", options=twenty)
    poll_id = poll_id_of(poll)
    assert "Choose…" not in labels(poll)
    assert (await add(discord, mod, poll_id, "Pick 21")).content.startswith("Added **21. Pick 21**")

    def menu_shown() -> dict | None:
        shown = discord.get_message(poll["id"])
        menus = [c for c in walk_components(shown["components"]) if c.get("placeholder") == "Choose…"]
        return shown if menus and menus[0]["options"][-1]["label"] == "21. Pick 21" else None

    shown = await discord.world.changed.wait_for(menu_shown, REFRESH_WAIT, "the poll to show a menu of 21 options")
    assert not any(label.startswith("1. Pick 1") for label in labels(shown)), "no option button is left"
    chosen = await discord.select(shown, labels(shown)["Choose…"], ["20"], user=bob)
    assert chosen.content == "Your vote: **21. Pick 21**."
    assert (await configured.polls.counts(poll_id))[0][20] == 1
