"""What a member types never names a show where others can read it without a click: until a
moderator confirms a title, the show appears only as "Nomination #N" or inside spoiler bars.
Every test scans every request the bot sent for the member's text and the list's spoilers."""

from __future__ import annotations

from datetime import UTC, datetime

from standin import Callback
from tests.e2e.exposure import exposures, list_leaks
from tests.e2e.nominating import (
    approve,
    button,
    default_of,
    echoed,
    form_fields,
    nominate,
    posts_in,
    wait_for_post,
)
from tests.e2e.polling import CHART_WAIT
from tests.e2e.surfaces import hidden_spoilers

SPOILING_SHOW = "Madoka - Mami gets beheaded by Charlotte"
SPOILING_EPISODE = "Ep 3: Mami dies"


async def test_a_spoiling_show_is_a_number_everywhere_until_a_moderator_confirms_a_title(
    discord, configured, alice, bob, mod, top_list
):
    saved = await nominate(discord, alice, SPOILING_SHOW, moment="Mami's last fight", fmt="tv", episode="3")
    assert "**Nomination #1** is saved" in saved.content
    post = await wait_for_post(discord, "nominations")
    assert post["embeds"][0]["title"] == "Nomination #1"
    assert hidden_spoilers(post)[0] == SPOILING_SHOW  # readable with a click, like the moment
    assert "📺 Episode 3" in post["embeds"][0]["description"]
    await nominate(discord, bob, "Clannad", moment="Ushio in the snow", fmt="tv")

    # What other members meet: the list, one nomination, numbers, seconding, autocomplete.
    listing = await discord.slash("nominations list", user=bob)
    assert [f["name"] for f in listing.embeds[0]["fields"]] == ["Nomination #1", "Nomination #2"]
    shown = await discord.slash("nominations show", {"id": 1}, user=bob)
    assert not shown.ephemeral and shown.embeds[0]["title"] == "Nomination #1"
    numbers = await discord.autocomplete("nominations show", {"id": ""}, user=bob)
    assert sorted(c["name"] for c in numbers) == ["Nomination #1", "Nomination #2"]
    seconded = await discord.click(post, button(post, "Second"), user=bob)
    assert "You seconded **Nomination #1**" in seconded.content
    assert await discord.autocomplete("nominate", {"show": "madoka"}, user=bob) != []
    assert exposures(discord, SPOILING_SHOW, may_see={alice.id}) == []

    # The moderator confirms a title without the spoiler; it becomes the handle everywhere.
    queue = await discord.slash("nominations review", user=mod)
    form, done = await approve(discord, queue.message, mod, title="Puella Magi **Madoka** Magica")
    assert form.modal["title"] == "Nomination #1 · approve"
    assert done.content.startswith("**Nomination #1 · Puella Magi Madoka Magica** was approved.")
    await approve(discord, done.message, mod)  # Clannad, as typed
    await configured.refresher.flush()
    assert discord.get_message(post["id"])["embeds"][0]["title"] == "Nomination #1 · Puella Magi Madoka Magica"

    since = len(discord.requests)
    started = await discord.slash("poll nominations", {"count": 2}, user=mod)
    await started.final_message()
    poll = await wait_for_post(discord, "general", since=since)
    labels = [c["label"] for row in poll["components"] for c in row["components"]]
    assert {"1. Nomination #1 · Puella Magi Madoka Magica", "2. Nomination #2 · Clannad"} <= set(labels)
    closed = await discord.slash("poll close", {"poll": 1}, user=mod)
    assert "posted its results" in (await closed.final_message(CHART_WAIT))["content"]
    exported = await discord.slash("poll export", {"poll": 1}, user=mod)
    assert "Totals only" in exported.content

    assert exposures(discord, SPOILING_SHOW, may_see={alice.id}) == []
    assert exposures(discord, "Mami's last fight", may_see={alice.id}) == []
    assert list_leaks(discord, top_list) == []


async def test_a_show_on_the_list_is_shown_by_the_lists_own_title(discord, configured, alice, bob, top_list):
    await nominate(discord, alice, "puella magi madoka magica", moment="Mami's last fight")
    post = await wait_for_post(discord, "nominations")
    assert post["embeds"][0]["title"] == "Nomination #1 · Madoka Magica"
    fields = {f["name"]: f["value"] for f in post["embeds"][0]["fields"]}
    assert fields["Already on the list"] == "as **\\#10 · Madoka Magica**"
    assert exposures(discord, "puella magi madoka magica", may_see={alice.id}) == []
    assert list_leaks(discord, top_list) == []


async def test_with_show_titles_as_spoilers_no_surface_names_the_show(discord, configured, alice, bob, mod, top_list):
    await configured.guild_settings.update(
        discord.guild.id, datetime.now(UTC), show_titles_are_spoilers=True
    )
    saved = await nominate(discord, alice, "Madoka Magica", moment="Mami's last fight")
    assert "already on the list as **#10**" in saved.content
    post = await wait_for_post(discord, "nominations")
    fields = {f["name"]: f["value"] for f in post["embeds"][0]["fields"]}
    assert post["embeds"][0]["title"] == "Nomination #1"
    assert fields["Already on the list"] == "as **\\#10**"
    assert hidden_spoilers(post)[0] == "Madoka Magica"
    queue = await discord.slash("nominations review", user=mod)
    await approve(discord, queue.message, mod)
    await discord.slash("nominations list", user=bob)
    await discord.autocomplete("nominations show", {"id": ""}, user=bob)
    assert exposures(discord, "Madoka", may_see={alice.id}) == []
    assert list_leaks(discord, top_list) == []


async def test_show_autocomplete_offers_only_list_titles_and_approved_shows(
    discord, configured, alice, bob, mod, top_list
):
    await nominate(discord, alice, SPOILING_SHOW, moment="Mami's last fight", fmt="tv")
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    assert await discord.autocomplete("nominate", {"show": "clan"}, user=bob) == []
    mami = await discord.autocomplete("nominate", {"show": "mami"}, user=bob)
    assert mami == []
    madoka = [c["name"] for c in await discord.autocomplete("nominate", {"show": "madoka"}, user=bob)]
    assert madoka[0] == "Madoka Magica" and len(madoka) == len(top_list.entry("madoka-magica").titles)

    queue = await discord.slash("nominations review", user=mod)
    _, next_one = await approve(discord, queue.message, mod, title="Madoka Magica")
    await approve(discord, next_one.message, mod, title="Clannad")
    assert [c["name"] for c in await discord.autocomplete("nominate", {"show": "clan"}, user=bob)] == ["Clannad"]
    filtered = await discord.autocomplete("nominations list", {"show": "clan"}, user=bob)
    assert [c["value"] for c in filtered] == ["Clannad"]
    assert exposures(discord, SPOILING_SHOW, may_see={alice.id}) == []


async def test_an_episode_that_is_not_a_number_is_refused_with_the_text_given_back(discord, configured, alice):
    refused = await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv", episode=SPOILING_EPISODE)
    assert refused.ephemeral and "must be a number like `12`" in refused.content
    assert SPOILING_EPISODE in echoed(refused) and "Ushio in the snow" in echoed(refused)
    assert posts_in(discord, "nominations") == []

    saved = await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv", episode="S2E5")
    assert saved.ephemeral and "is saved" in saved.content
    post = await wait_for_post(discord, "nominations")
    assert "📺 Season 2, episode 5" in post["embeds"][0]["description"]
    assert exposures(discord, SPOILING_EPISODE, may_see={alice.id}) == []


async def test_an_episode_typed_before_episodes_were_checked_stays_behind_a_bar(discord, configured, alice, bob):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv", episode="12")
    nomination = await configured.nominations.by_number(discord.guild.id, 1)
    async with configured.store.transaction() as db:
        await db.execute("UPDATE nominations SET episode = ? WHERE id = ?", (SPOILING_EPISODE, nomination.id))
    shown = await discord.slash("nominations show", {"id": 1}, user=bob)
    assert SPOILING_EPISODE in hidden_spoilers(shown.message)
    assert exposures(discord, SPOILING_EPISODE, may_see={alice.id}) == []


async def test_a_confirmed_title_is_checked_and_made_inert(discord, configured, alice, mod):
    await nominate(discord, alice, "@everyone ||Madoka||", moment="Mami's last fight", fmt="tv")
    queue = await discord.slash("nominations review", user=mod)
    form = await discord.click(queue.message, button(queue.message, "Approve…"), user=mod)
    assert default_of(form.modal, "Public show title") == "@\u200beveryone Madoka"
    field = form_fields(form.modal)["Public show title"]
    empty = await discord.submit_modal(form.modal["custom_id"], {field: "|| **"}, user=mod)
    assert empty.ephemeral and "can't be empty" in empty.content
    assert (await configured.nominations.by_number(discord.guild.id, 1)).status.value == "pending"

    again = await discord.click(queue.message, button(queue.message, "Approve…"), user=mod)
    field = form_fields(again.modal)["Public show title"]
    done = await discord.submit_modal(again.modal["custom_id"], {field: "<@1> `Madoka`"}, user=mod)
    assert done.type == Callback.UPDATE_MESSAGE
    assert (await configured.nominations.by_number(discord.guild.id, 1)).public_show == "@1 Madoka"


async def test_the_list_filter_finds_a_show_with_a_long_title_across_pages(discord, configured, alice, bob):
    long_title = "Ano Hi Mita Hana no Namae o Bokutachi wa Mada Shiranai"
    await configured.guild_settings.update(discord.guild.id, datetime.now(UTC), max_open_nominations=25)
    for i in range(6):
        await nominate(discord, alice if i % 2 else bob, long_title, moment=f"Moment {i}")
    await nominate(discord, alice, "AnoHana", moment="Another moment")
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")

    first = await discord.slash("nominations list", {"show": long_title}, user=alice)
    names = [f["name"] for f in first.embeds[0]["fields"]]
    assert len(names) == 5 and set(names) <= {f"Nomination #{n} · AnoHana" for n in range(1, 8)}
    assert "Page 1 of 2 · 7 nomination(s)" in first.embeds[0]["footer"]["text"]  # any of its titles
    second = await discord.click(first.message, button(first.message, "Next ▶"), user=alice)
    assert len(second.embeds[0]["fields"]) == 2 and "7 nomination(s)" in second.embeds[0]["footer"]["text"]
    assert all(len(c["custom_id"]) <= 100 for row in first.components for c in row["components"])
