"""Approve, Reject and Merge act on the version of a nomination the moderator was shown: an edit
by its author in between refuses the decision and shows the moderator the new version."""

from __future__ import annotations

import pytest

from standin import Callback
from tests.e2e.exposure import exposures, list_leaks
from tests.e2e.nominating import approve, button, form_fields, nominate

EDITED_MOMENT = "Ushio's last snow"


async def edit_moment(discord, author, number: int, moment: str) -> None:
    opened = await discord.slash("nominations edit", {"id": number}, user=author)
    field = form_fields(opened.modal)["The moment (hidden as a spoiler)"]
    saved = await discord.submit_modal(opened.modal["custom_id"], {field: moment}, user=author)
    assert "earlier versions are kept" in saved.content


def review_ids(message) -> list[str]:
    return [c["custom_id"] for row in message["components"] for c in row["components"] if "nomrev" in c["custom_id"]]


def assert_new_version_shown(result, moment: str) -> None:
    assert result.type == Callback.UPDATE_MESSAGE and result.ephemeral
    assert "was edited by its author after you opened it, so I did nothing" in result.content
    assert moment in result.embeds[0]["description"]
    assert result.embeds[0]["author"]["name"] == "Edited by its author (1 edit(s))"
    assert all(":r2:" in custom_id for custom_id in review_ids(result.message))


async def test_a_click_on_an_edited_nomination_shows_the_new_version_to_decide_again(
    discord, configured, alice, mod, top_list
):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    queue = await discord.slash("nominations review", user=mod)
    assert all(":r1:" in custom_id and len(custom_id) <= 100 for custom_id in review_ids(queue.message))
    await edit_moment(discord, alice, 1, EDITED_MOMENT)

    stale = dict(queue.message)
    for label in ("Approve…", "Reject…", "Merge into…"):
        click = discord._builder.component(stale, button(stale, label), mod, None)
        refused = await discord.inject(click)
        assert_new_version_shown(refused, EDITED_MOMENT)
    assert (await configured.nominations.by_number(discord.guild.id, 1)).status.value == "pending"

    _, done = await approve(discord, refused.message, mod)
    assert done.content.startswith("**Nomination #1 · Clannad** was approved.")
    assert exposures(discord, EDITED_MOMENT, may_see={alice.id}) == []
    assert list_leaks(discord, top_list) == []


@pytest.mark.parametrize("label", ["Approve…", "Reject…", "Merge into…"])
async def test_an_edit_while_the_form_is_open_refuses_its_submit(discord, configured, alice, bob, mod, label):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    await nominate(discord, bob, "Kanon", moment="Ayu's wish", fmt="tv")
    queue = await discord.slash("nominations review", user=mod)
    form = await discord.click(queue.message, button(queue.message, label), user=mod)
    assert ":r1:" in form.modal["custom_id"] and len(form.modal["custom_id"]) <= 100
    await edit_moment(discord, alice, 1, EDITED_MOMENT)

    fields = form_fields(form.modal)
    values = {
        "Reject…": {fields.get("Why isn't it accepted?"): "Not a contained scene."},
        "Merge into…": {fields.get("Merge into nomination number"): "2"},
    }.get(label, {})
    refused = await discord.submit_modal(form.modal["custom_id"], values, user=mod)
    assert_new_version_shown(refused, EDITED_MOMENT)
    nomination = await configured.nominations.by_number(discord.guild.id, 1)
    assert (nomination.status.value, nomination.public_show, nomination.revision) == ("pending", None, 2)
    assert exposures(discord, "Clannad", may_see={alice.id}) == []
    assert exposures(discord, EDITED_MOMENT, may_see={alice.id}) == []


async def test_review_buttons_from_before_revisions_get_the_stale_answer(discord, configured, alice, mod):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    queue = await discord.slash("nominations review", user=mod)
    nomination = await configured.nominations.by_number(discord.guild.id, 1)
    old = dict(queue.message)
    legacy = {"type": 2, "style": 3, "label": "Approve", "custom_id": f"nomrev:{nomination.id}:approve"}
    old["components"] = [{"type": 1, "components": [legacy]}]
    stale = await discord.inject(discord._builder.component(old, f"nomrev:{nomination.id}:approve", mod, None))
    assert stale.ephemeral and "Run the command again to get a fresh one" in stale.content
    assert (await configured.nominations.by_number(discord.guild.id, 1)).status.value == "pending"
