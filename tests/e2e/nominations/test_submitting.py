"""Members nominate moments; the list's rules, limits and dedupe apply; others second them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from tests.e2e.nominating import (
    button,
    echoed,
    form_fields,
    nominate,
    open_form,
    posts_in,
    wait_for_post,
)
from tests.e2e.surfaces import hidden_spoilers, shown, unhideable_texts


async def test_a_nomination_is_saved_posted_with_spoilers_hidden_and_announced(discord, configured, alice):
    result = await nominate(
        discord,
        alice,
        "Clannad: After Story",
        moment="Ushio in the snow",
        fmt="tv",
        what="Tomoya carries his daughter through the snow.",
        why="I was not ready.",
        episode="Episode 18",
    )

    assert result.ephemeral and "**Nomination #1** is saved" in result.content
    post = await wait_for_post(discord, "nominations")
    embed = post["embeds"][0]
    assert embed["title"] == "Nomination #1"
    assert hidden_spoilers(post)[:4] == [
        "Clannad: After Story",  # the member's show: behind a bar until a moderator approves it
        "Ushio in the snow",
        "Tomoya carries his daughter through the snow.",
        "I was not ready.",
    ]
    assert not [t for t in unhideable_texts(post) if "Ushio" in t]
    assert {"Second", "Reveal"} <= {i["label"] for row in post["components"] for i in row["components"]}
    announcement = (await wait_for_post(discord, "mod-queue"))["content"]
    assert "Nomination #1" in announcement and "Ushio" not in announcement


async def test_the_form_shows_the_lists_rules_and_asks_the_format_only_when_unknown(
    discord, configured, alice, top_list
):
    unknown = await open_form(discord, alice, "Clannad")
    descriptions = [e.get("description") for e in unknown.modal["components"]]
    assert top_list.rules.contained_scene[:60] in " ".join(filter(None, descriptions))
    assert "What kind of show is it?" in form_fields(unknown.modal)

    on_list = await open_form(discord, alice, "steins gate")
    assert "What kind of show is it?" not in form_fields(on_list.modal)


async def test_a_movie_is_refused_quoting_the_rule_and_the_text_is_echoed(discord, configured, alice, top_list):
    result = await nominate(discord, alice, "Grave of the Fireflies", moment="Setsuko's last days", fmt="movie")

    assert result.ephemeral and top_list.rules.series_only in result.content
    typed = echoed(result)
    assert "Setsuko's last days" in typed and "Grave of the Fireflies" in typed
    assert posts_in(discord, "nominations") == []


async def test_a_show_already_on_the_list_is_accepted_and_marked_by_default(discord, configured, alice):
    result = await nominate(discord, alice, "anohana: the flower we saw that day", moment="Menma's letters")
    assert "already on the list as **Honorable mention · AnoHana**" in result.content
    fields = {f["name"]: f["value"] for f in (await wait_for_post(discord, "nominations"))["embeds"][0]["fields"]}
    assert "Honorable mention · AnoHana" in fields["Already on the list"]


async def test_a_show_already_on_the_list_is_refused_when_the_server_says_so(discord, configured, alice, top_list):
    await configured.guild_settings.update(discord.guild.id, datetime.now(UTC), allow_listed_shows=False)
    result = await nominate(discord, alice, "STEINS;GATE", moment="Mayuri's watch")
    assert result.ephemeral and "already on the list as **Honorable mention · Steins;Gate**" in result.content
    assert top_list.rules.one_per_show in result.content


async def test_the_same_moment_twice_offers_to_second_it_instead(discord, configured, alice, bob):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    again = await nominate(discord, bob, "clannad", moment="Ushio in the Snow!")

    assert again.ephemeral and "**Nomination #1** already nominates that moment" in again.content
    assert "Ushio in the Snow!" in echoed(again)
    seconded = await discord.click(again.message, button(again.message, "Second"), user=bob)
    assert "You seconded **Nomination #1** (1 second(s) now)" in seconded.content
    assert len(posts_in(discord, "nominations")) == 1


async def test_open_nominations_are_limited_per_member(discord, configured, alice):
    await configured.guild_settings.update(discord.guild.id, datetime.now(UTC), max_open_nominations=2)
    for moment in ("One", "Two"):
        await nominate(discord, alice, "Clannad", moment=f"Moment {moment}", fmt="tv")
    refused = await discord.slash("nominate", {"show": "Clannad"}, user=alice)
    assert refused.ephemeral and "You already have 2 nominations waiting for review" in refused.content


async def test_a_cooldown_separates_two_submissions(discord, configured, alice):
    await configured.guild_settings.update(discord.guild.id, datetime.now(UTC), cooldown_seconds=600)
    await nominate(discord, alice, "Clannad", moment="Moment one", fmt="tv")
    refused = await discord.slash("nominate", {"show": "Clannad"}, user=alice)
    assert refused.ephemeral and "Please wait" in refused.content and " s before nominating again" in refused.content


HOSTILE_MOMENT = "||spoiler?|| @everyone <@&1> ```"
HOSTILE_WHAT = ("**bold** __u__ ~~s~~ > quote\n# header\n`code` ||bars|| \u200b\u202e " * 20)[:1000]


async def test_hostile_text_is_stored_verbatim_and_shown_safely(discord, configured, alice, bob):
    await nominate(discord, alice, "Clannad @everyone", moment=HOSTILE_MOMENT, what=HOSTILE_WHAT, fmt="tv")
    await wait_for_post(discord, "mod-queue")

    nomination = await configured.nominations.by_number(discord.guild.id, 1)
    assert nomination.moment.reveal() == HOSTILE_MOMENT and nomination.what_happens.reveal() == HOSTILE_WHAT.strip()
    post = posts_in(discord, "nominations")[-1]
    assert "@everyone" not in " ".join(unhideable_texts(post))
    assert post["embeds"][0]["title"] == "Nomination #1"
    spoilers = hidden_spoilers(post)
    assert spoilers[:2] == ["Clannad @\u200beveryone", "||spoiler?|| @\u200beveryone <@&1> ```"]
    assert post.get("allowed_mentions", {"parse": []}).get("parse", []) == []
    revealed = await discord.click(post, button(post, "Reveal"), user=bob)
    assert revealed.ephemeral and "||spoiler?||" in shown(revealed.embeds[0]["description"])


async def test_seconds_toggle_per_member_and_survive_concurrent_double_clicks(discord, configured, alice):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    post = await wait_for_post(discord, "nominations")
    await wait_for_post(discord, "mod-queue")
    second = button(post, "Second")
    members = [discord.member(f"fan{i}") for i in range(6)]

    await asyncio.gather(*(discord.click(post, second, user=m) for m in members))
    undo = await discord.click(post, second, user=members[0])
    assert "You took back your second" in undo.content and "(5 second(s) now)" in undo.content
    double = await asyncio.gather(
        discord.click(post, second, user=members[1]), discord.click(post, second, user=members[1])
    )
    assert sorted(r.content.split("**")[0] for r in double) == ["You seconded ", "You took back your second for "]

    own = await discord.click(post, second, user=alice)
    assert own.ephemeral and "your own nomination" in own.content
    nomination = await configured.nominations.by_number(discord.guild.id, 1)
    assert nomination.seconds == 5
    await configured.refresher.flush()
    fields = {f["name"]: f["value"] for f in discord.get_message(post["id"])["embeds"][0]["fields"]}
    assert fields["Seconds"] == "5"


async def test_withdraw_by_the_author_and_refused_for_others(discord, configured, alice, bob):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    refused = await discord.slash("nominations withdraw", {"id": 1}, user=bob)
    assert refused.ephemeral and "Only moderators" in refused.content

    done = await discord.slash("nominations withdraw", {"id": 1}, user=alice)
    assert done.ephemeral and "Withdrew **Nomination #1**" in done.content
    again = await discord.slash("nominations withdraw", {"id": 1}, user=alice)
    assert again.ephemeral and "is withdrawn" in again.content


async def test_the_author_edits_a_pending_nomination_and_history_is_kept(discord, configured, alice, bob):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    refused = await discord.slash("nominations edit", {"id": 1}, user=bob)
    assert refused.ephemeral and "Only the member who nominated it" in refused.content

    opened = await discord.slash("nominations edit", {"id": 1}, user=alice)
    fields = form_fields(opened.modal)
    saved = await discord.submit_modal(
        opened.modal["custom_id"], {fields["The moment (hidden as a spoiler)"]: "Ushio's last snow"}, user=alice
    )
    assert saved.ephemeral and "(edit 1; earlier versions are kept)" in saved.content
    nomination = await configured.nominations.by_number(discord.guild.id, 1)
    assert nomination.moment.reveal() == "Ushio's last snow"


async def test_editing_into_a_near_spelling_of_another_nomination_offers_a_second(discord, configured, alice, bob):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    await nominate(discord, bob, "Clannad", moment="The town's lights", fmt="tv")
    opened = await discord.slash("nominations edit", {"id": 2}, user=bob)
    fields = form_fields(opened.modal)
    refused = await discord.submit_modal(
        opened.modal["custom_id"], {fields["The moment (hidden as a spoiler)"]: "Ushio in the snwo"}, user=bob
    )
    assert refused.ephemeral and "**Nomination #1** already nominates that moment" in refused.content
    assert any("Ushio in the snwo" in e["description"] for e in refused.embeds)  # what Bob typed comes back
    assert button(refused.message, "Second")
    unchanged = await configured.nominations.by_number(discord.guild.id, 2)
    assert unchanged.moment.reveal() == "The town's lights"


async def test_nominations_list_pages_most_seconded_first(discord, configured, alice, bob):
    await configured.guild_settings.update(discord.guild.id, datetime.now(UTC), max_open_nominations=25)
    for i in range(7):
        await nominate(discord, alice if i % 2 else bob, "Clannad", moment=f"Moment {i}", fmt="tv")
    fan = discord.member("fan")
    post = posts_in(discord, "nominations")[3]
    await discord.click(post, button(post, "Second"), user=fan)

    first = await discord.slash("nominations list", user=alice)
    assert first.ephemeral
    titles = [f["name"] for f in first.embeds[0]["fields"]]
    assert titles[0] == "Nomination #4" and len(titles) == 5
    assert "Page 1 of 2 · 7 nomination(s)" in first.embeds[0]["footer"]["text"]
    second = await discord.click(first.message, button(first.message, "Next ▶"), user=alice)
    assert [f["name"] for f in second.embeds[0]["fields"]] == ["Nomination #6", "Nomination #7"]

    mine = await discord.slash("nominations list", {"mine": True}, user=alice)
    assert len(mine.embeds[0]["fields"]) == 3


@pytest.mark.parametrize("command", ["nominate", "nominations list"])
async def test_nominations_need_a_server(discord, namida, alice, command):
    options = {"show": "Clannad"} if command == "nominate" else {}
    from standin import InteractionRefused

    with pytest.raises(InteractionRefused):
        await discord.slash(command, options, user=alice, guild=None)


async def test_a_forged_over_long_submission_is_refused_and_echoed(discord, configured, alice):
    """A modified client could send more than the form allows; the bot still refuses politely."""
    opened = await open_form(discord, alice, "Clannad")
    fields = form_fields(opened.modal)
    payload = discord._builder.modal_submit(
        opened.modal["custom_id"],
        {
            fields["The moment (hidden as a spoiler)"]: "Ushio",
            fields["What happens"]: "x",
            fields["Why it moved you"]: "y",
            fields["What kind of show is it?"]: ["tv"],
        },
        alice,
        None,
    )
    markdown = ("**so** # sad ||x|| `y` " * 200)[:4000]
    for entry in payload["data"]["components"]:
        if entry["component"]["custom_id"] == fields["What happens"]:
            entry["component"]["value"] = markdown
    result = await discord.inject(payload)

    assert result.ephemeral and "please keep it under 1000" in result.content
    assert markdown[:1000].replace("`", "`\u200b") in echoed(result)
    upload = [r for r in discord.requests if r.files][-1].files[0]
    assert upload.filename == "what-you-typed.txt" and markdown in upload.data.decode()  # nothing lost
    assert posts_in(discord, "nominations") == []


async def test_a_storage_failure_gives_the_member_their_text_back(discord, configured, alice):
    await configured.store.set_writer_pragma("PRAGMA query_only = ON")
    result = await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv", announced=False)
    assert result.ephemeral and result.content.startswith("I couldn't save that just now")
    assert "Ushio in the snow" in echoed(result)
    await configured.store.set_writer_pragma("PRAGMA query_only = OFF")
