"""Forms held in memory: one Discord refused to show is not kept, and a member has one open
nomination form at a time (a newer one replaces the older, whose text comes back if submitted)."""

from __future__ import annotations

import pytest

from bot.ui import NamidaModal
from standin import Callback
from tests.e2e.nominating import FORMAT_FIELD, echoed, form_fields, open_form
from tests.e2e.surfaces import sent_leaks

CALLBACK = r"/interactions/\d+/[^/]+/callback"


@pytest.mark.parametrize(("status", "code"), [(400, 50035), (404, 10062)])
async def test_a_form_discord_refused_to_show_is_not_kept(discord, configured, alice, top_list, status, code):
    discord.faults.fail_next("POST", CALLBACK, status=status, code=code)
    opened = await discord.slash("nominate", {"show": "Clannad"}, user=alice)
    (refused,) = [r for r in discord.requests if r.injected and r.path.endswith("/callback")]
    assert (refused.json["type"], refused.status) == (Callback.MODAL, status)
    assert opened.ephemeral and opened.content.startswith("Sorry, something went wrong")  # the form never opened
    shown = await open_form(discord, alice, "Clannad")  # the next try works, and only it is kept
    assert list(NamidaModal.live) == [shown.modal["custom_id"]]
    assert sent_leaks(discord.requests, top_list) == []


def typed(opened, moment: str) -> dict:
    fields = form_fields(opened.modal)
    return {
        fields["The moment (hidden as a spoiler)"]: moment,
        fields["What happens"]: "Something heartbreaking happens.",
        fields["Why it moved you"]: "It stayed with me for days.",
        fields[FORMAT_FIELD]: ["tv"],
    }


async def test_a_newer_nomination_form_replaces_the_older(discord, configured, alice, bob, top_list):
    older = await open_form(discord, alice, "Clannad")
    others = await open_form(discord, bob, "Clannad")
    newer = await discord.slash("nominations edit", {"id": 1}, user=alice)  # no nomination yet: refused
    assert newer.ephemeral
    newer = await open_form(discord, alice, "Clannad")
    assert set(NamidaModal.live) == {newer.modal["custom_id"], others.modal["custom_id"]}

    stale = await discord.submit_modal(older.modal["custom_id"], typed(older, "Ushio in the snow"), user=alice)
    assert stale.ephemeral and "That form expired" in stale.content and "you opened a newer one" in stale.content
    assert "Ushio in the snow" in echoed(stale)
    assert await configured.nominations.member_activity(discord.guild.id, alice.id) == (0, None)

    saved = await discord.submit_modal(newer.modal["custom_id"], typed(newer, "Nagisa's song"), user=alice)
    assert "is saved" in saved.content
    kept = await discord.submit_modal(others.modal["custom_id"], typed(others, "The dango family"), user=bob)
    assert "is saved" in kept.content  # another member's form was never touched
    assert sent_leaks(discord.requests, top_list) == []
