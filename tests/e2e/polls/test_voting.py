"""Members vote: each mode, changing and removing a vote, hidden results, anonymity, roles."""

from __future__ import annotations

import asyncio
import csv
import io
import logging

from standin import Callback
from tests.e2e.polling import CHART_WAIT, labels, start_poll, tally_lines, vote
from tests.e2e.surfaces import unhideable_texts


async def flushed(discord, namida, message):
    await namida.refresher.flush()
    return discord.get_message(message["id"])


async def test_honorable_poll_offers_the_six_shows_and_counts_changes_and_removals(discord, configured, mod, top_list):
    poll = await start_poll(discord, mod, "honorable")
    assert poll["embeds"][0]["title"] == "Which honorable mention deserved a top-10 slot?"
    shown = list(labels(poll))
    assert shown[:6] == [f"{i + 1}. {e.show}" for i, e in enumerate(top_list.honorable)] and shown[6] == "My vote"
    moments = [e.moment.reveal() for e in top_list.entries]
    assert not [t for t in unhideable_texts(poll) + [tally_lines(poll)] if any(m in t for m in moments)]

    voters = [discord.member(f"v{i}") for i in range(4)]
    first = await vote(discord, poll, "4. Steins;Gate", voters[0])
    assert first.ephemeral and first.content == "Your vote: **4. Steins;Gate**."
    await asyncio.gather(*(vote(discord, poll, "2. AnoHana", v) for v in voters[1:]))
    changed = await vote(discord, poll, "2. AnoHana", voters[0])
    assert changed.content == "Your vote: **2. AnoHana**."
    removed = await vote(discord, poll, "2. AnoHana", voters[3])
    assert removed.content == "You have no vote in this poll now."
    mine = await vote(discord, poll, "My vote", voters[1])
    assert mine.ephemeral and mine.content == "Your vote: **2. AnoHana**."

    message = await flushed(discord, configured, poll)
    assert "**2. AnoHana**\n`████████████` 3 · 100.0%" in tally_lines(message)
    assert "**3** ballot(s)" in tally_lines(message)


async def test_a_vote_is_answered_once_without_asking_discord_to_send_the_answer_back(
    discord, configured, mod, alice, caplog
):
    poll = await start_poll(discord, mod, "custom", question="Quick?", options="Yes; No")
    since = len(discord.requests)
    with caplog.at_level(logging.WARNING):
        answered = await vote(discord, poll, "2. No", alice)
    assert answered.ephemeral and answered.content == "Your vote: **2. No**."
    callbacks = [r for r in discord.requests[since:] if r.path.endswith("/callback")]
    assert [(r.status, r.query) for r in callbacks] == [(204, {})]
    assert callbacks[0].json["data"]["allowed_mentions"] == {"parse": []}
    assert not caplog.records


async def test_approval_poll_takes_up_to_max_choices(discord, configured, mod, alice):
    poll = await start_poll(
        discord,
        mod,
        "custom",
        question="Best rainy-day rewatch?",
        options="Clannad; Kanon; Air; Toradora",
        mode="approval",
        max_choices=2,
    )
    await vote(discord, poll, "1. Clannad", alice)
    both = await vote(discord, poll, "3. Air", alice)
    assert both.content == "Your vote: **1. Clannad**, **3. Air**."
    refused = await vote(discord, poll, "4. Toradora", alice)
    assert refused.ephemeral and "You can pick at most 2 options" in refused.content
    removed = await vote(discord, poll, "1. Clannad", alice)
    assert removed.content == "Your vote: **3. Air**."


async def test_ranked_poll_ballot_is_built_privately_and_counted_by_runoff(discord, configured, mod):
    poll = await start_poll(discord, mod, "custom", question="Rank them", options="A; B; C", mode="ranked")
    rankings = {"x1": "AC", "x2": "AC", "x3": "BC", "x4": "BC", "x5": "CB"}
    for name, order in rankings.items():
        member = discord.member(name)
        step = await vote(discord, poll, "Vote", member)
        assert step.ephemeral and "Rank the options" in step.content
        for letter in order:
            menu = labels(step.message)
            pick = next(cid for label, cid in menu.items() if label.startswith("Your choice number"))
            await discord.select(step.message, pick, [str("ABC".index(letter))], user=member)
        cast = await discord.click(
            step.message, labels(discord.get_message(step.message["id"]))["Cast my ballot"], user=member
        )
        assert cast.type == Callback.UPDATE_MESSAGE and cast.content.startswith("Your vote: **")

    poll_id = int(poll["embeds"][0]["footer"]["text"].split("#")[1].split(" ")[0])
    closed = await discord.slash("poll close", {"poll": poll_id}, user=mod)
    await closed.final_message(CHART_WAIT)
    results = [
        m
        for m in discord.messages_in(discord.guild.channel("polls"))
        if m["embeds"] and m["embeds"][0]["title"].startswith("Results")
    ][-1]
    embed = results["embeds"][0]
    assert embed["description"].startswith("🏆 **2. B** wins.")  # C is out first; its ballot moves to B
    assert [f["name"] for f in embed["fields"]] == ["Round 1", "Round 2"]
    assert results["attachments"][0]["filename"] == f"poll-{poll_id}-results.png"


async def test_hidden_results_leak_nowhere_before_close(discord, configured, mod, alice, bob):
    poll = await start_poll(discord, mod, "custom", question="Secret?", options="Yes; No", hide_results=True)
    poll_id = int(poll["embeds"][0]["footer"]["text"].split("#")[1].split(" ")[0])
    await vote(discord, poll, "1. Yes", alice)
    await vote(discord, poll, "2. No", bob)

    message = await flushed(discord, configured, poll)
    assert "Results are hidden until the poll closes" in tally_lines(message) and "%" not in tally_lines(message)
    mine = await vote(discord, message, "My vote", alice)
    assert mine.content == "Your vote: **1. Yes**." and "No" not in mine.content
    results = await discord.slash("poll results", {"poll": poll_id}, user=alice)
    assert results.ephemeral and "hides its results until it closes" in results.content
    export = await discord.slash("poll export", {"poll": poll_id}, user=mod)
    assert export.ephemeral and "exports included" in export.content and not export.message.get("attachments")

    await (await discord.slash("poll close", {"poll": poll_id}, user=mod)).final_message(CHART_WAIT)
    final = await flushed(discord, configured, poll)
    assert "1 · 50.0%" in tally_lines(final)


async def test_anonymous_export_has_totals_only_and_open_export_has_ballots(discord, configured, mod, alice):
    secret = await start_poll(discord, mod, "custom", question="Q1", options="Yes; No")
    public = await start_poll(discord, mod, "custom", question="Q2", options="Yes; No", anonymous=False)
    for message in (secret, public):
        await vote(discord, message, "1. Yes", alice)

    def rows(result):
        upload = [r for r in discord.requests if r.files][-1].files[0]
        assert upload.filename.endswith("-results.csv")
        return list(csv.reader(io.StringIO(upload.data.decode())))

    anonymous = await discord.slash("poll export", {"poll": 1}, user=mod)
    assert "Totals only" in anonymous.content
    assert any(r[1:3] == ["Yes", "1"] for r in rows(anonymous))
    assert str(alice.id) not in "".join(",".join(r) for r in rows(anonymous))

    named = await discord.slash("poll export", {"poll": 2}, user=mod)
    assert "each member's ballot" in named.content
    assert str(alice.id) in "".join(",".join(r) for r in rows(named))


async def test_only_members_with_the_role_may_vote(discord, configured, mod, alice):
    voter = discord.member("voter", roles=["Voters"])
    poll = await start_poll(
        discord, mod, "custom", question="Members only?", options="Yes; No", role=discord.guild.role("Voters")
    )
    refused = await vote(discord, poll, "1. Yes", alice)
    assert refused.ephemeral and "Only members with the" in refused.content
    accepted = await vote(discord, poll, "1. Yes", voter)
    assert accepted.content == "Your vote: **1. Yes**."


async def test_a_burst_of_clicks_produces_a_handful_of_edits_and_the_final_tally(discord, configured, mod):
    poll = await start_poll(discord, mod, "custom", question="Burst", options="Yes; No")
    since = len(discord.requests)
    # 250 at once: enough to need batching, few enough that a busy 2-core CI runner still answers
    # every click inside Discord's 3 s (the stand-in fails the test on any late first response).
    members = [discord.member(f"m{i}") for i in range(250)]
    results = await asyncio.gather(
        *(vote(discord, poll, "1. Yes" if i % 5 else "2. No", m) for i, m in enumerate(members))
    )
    assert all(r.ephemeral and r.content.startswith("Your vote") for r in results)

    final = await flushed(discord, configured, poll)
    edits = [r for r in discord.requests[since:] if r.method == "PATCH" and r.path.endswith(str(poll["id"]))]
    assert len(edits) <= 5
    assert "**250** ballot(s)" in tally_lines(final) and "200 · 80.0%" in tally_lines(final)


async def test_a_poll_with_more_options_than_buttons_uses_a_menu(discord, configured, mod, alice):
    options = "; ".join(f"Show {i}" for i in range(1, 26))
    poll = await start_poll(
        discord, mod, "custom", question="25 shows", options=options, mode="approval", max_choices=3
    )
    menu = next(c for row in poll["components"] for c in row["components"] if c["type"] == 3)
    assert len(menu["options"]) == 25 and menu["max_values"] == 3
    picked = await discord.select(poll, menu["custom_id"], ["0", "24"], user=alice)
    assert picked.content == "Your vote: **1. Show 1**, **25. Show 25**."
    cleared = await discord.select(poll, menu["custom_id"], [], user=alice)
    assert cleared.content == "You have no vote in this poll now."
