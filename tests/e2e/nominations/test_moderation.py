"""Moderators review nominations; members without the right are refused on every path."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from standin import Callback, InteractionRefused
from tests.e2e.harness import running_namida
from tests.e2e.nominating import approve, button, default_of, echoed, form_fields, nominate, posts_in, wait_for_post
from tests.stored import last_reason


async def two_pending(discord, alice, bob):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    await nominate(discord, bob, "Your Lie in April", moment="The letter", fmt="tv")


async def dms_to(discord, user) -> list[str]:
    """The DMs the bot tried to send ``user`` once it has tried (a closed DM is refused by Discord)."""
    opened = await discord.wait_for_request("POST", "/users/@me/channels")
    channel = discord.world.dm_channels[user.id]
    attempt = await discord.wait_for_request(
        "POST", rf"/channels/{channel}/messages", start=discord.requests.index(opened)
    )
    return [m["content"] for m in discord.messages_in(channel)] if attempt.status == 200 else []


async def test_review_approves_the_oldest_and_shows_the_next(discord, configured, alice, bob, mod):
    await two_pending(discord, alice, bob)
    queue = await discord.slash("nominations review", user=mod)
    assert queue.ephemeral and queue.embeds[0]["title"] == "Nomination #1"
    assert "||Clannad||" in queue.embeds[0]["description"]  # the member's show, behind a bar until approved

    form, approved = await approve(discord, queue.message, mod)
    assert default_of(form.modal, "Public show title") == "Clannad"
    assert approved.type == Callback.UPDATE_MESSAGE
    assert approved.content.startswith("**Nomination #1 · Clannad** was approved.")
    assert approved.embeds[0]["title"] == "Nomination #2"
    assert "Your nomination **Nomination #1 · Clannad** was approved." in (await dms_to(discord, alice))[0]
    nomination = await configured.nominations.by_number(discord.guild.id, 1)
    assert (nomination.status.value, nomination.public_show) == ("approved", "Clannad")


async def test_a_stale_double_click_on_approve_is_answered_not_applied_twice(discord, configured, alice, mod):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    queue = await discord.slash("nominations review", user=mod)
    stale = dict(queue.message)
    await approve(discord, queue.message, mod)
    again = await discord.inject(discord._builder.component(stale, button(stale, "Approve…"), mod, None))
    assert again.ephemeral and "is approved, so it can't be approved now" in again.content


async def test_reject_asks_for_a_reason_and_tells_the_author_even_with_dms_closed(discord, configured, alice, bob, mod):
    await two_pending(discord, alice, bob)
    discord.world.closed_dms.add(alice.id)
    queue = await discord.slash("nominations review", user=mod)
    form = await discord.click(queue.message, button(queue.message, "Reject…"), user=mod)
    assert form.type == Callback.MODAL
    reason_field = form_fields(form.modal)["Why isn't it accepted?"]

    done = await discord.submit_modal(form.modal["custom_id"], {reason_field: "It's a film scene, sorry."}, user=mod)
    assert done.content.startswith("**Nomination #1** was not accepted.")
    assert (
        await last_reason(configured.store, (await configured.nominations.by_number(discord.guild.id, 1)).id)
        == "It's a film scene, sorry."
    )
    assert await dms_to(discord, alice) == []  # closed DMs: no error, nothing lost


async def test_merge_moves_seconds_and_nobody_counts_twice(discord, configured, alice, bob, mod):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    await nominate(discord, bob, "Clannad", moment="Tomoya and Ushio in a field of snow")
    fan, both = discord.member("fan"), discord.member("both")
    first, second = posts_in(discord, "nominations")[:2]
    await discord.click(first, button(first, "Second"), user=both)
    await discord.click(second, button(second, "Second"), user=both)
    await discord.click(second, button(second, "Second"), user=fan)

    await configured.nominations.change_status(
        (await configured.nominations.by_number(discord.guild.id, 1)).id,
        status=_approved(),
        actor_id=mod.id,
        now=datetime.now(UTC),
    )
    queue = await discord.slash("nominations review", user=mod)
    assert queue.embeds[0]["title"] == "Nomination #2"
    form = await discord.click(queue.message, button(queue.message, "Merge into…"), user=mod)
    target_field = form_fields(form.modal)["Merge into nomination number"]
    done = await discord.submit_modal(form.modal["custom_id"], {target_field: "#1"}, user=mod)

    assert "was merged into **Nomination #1**" in done.content
    target = await configured.nominations.by_number(discord.guild.id, 1)
    assert target.seconds == 3  # both, fan, and bob (the merged nomination's author)
    source = await configured.nominations.by_number(discord.guild.id, 2)
    assert source.status.value == "merged" and source.merged_into == target.id


def _approved():
    from bot.domain.nominations import Status

    return Status.APPROVED


async def test_a_member_without_the_right_is_refused_on_every_moderator_path(discord, configured, alice, bob, mod):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    with pytest.raises(InteractionRefused):  # Discord hides /settings from them by default
        await discord.slash("settings show", user=bob)
    discord.world.opened_commands.add("settings")  # a server opened it to everyone under Integrations

    refused = [
        await discord.slash("nominations review", user=bob),
        await discord.slash("settings show", user=bob),
        await discord.slash("settings set", {"cooldown_seconds": 0}, user=bob),
        await discord.slash("settings clear", {"setting": "review_channel"}, user=bob),
    ]
    queue = await discord.slash("nominations review", user=mod)
    # The moderator's private queue, clicked by someone else (a forged click): refused as not theirs.
    foreign = [await discord.click(queue.message, button(queue.message, label), user=bob)
               for label in ("Approve…", "Reject…", "Merge into…")]  # fmt: skip
    for result in refused:
        assert result.ephemeral and "Only moderators can do that" in result.content
    for result in foreign:
        assert result.ephemeral and "only works on the private message it was made for" in result.content
    assert (await configured.nominations.by_number(discord.guild.id, 1)).status.value == "pending"


async def test_the_moderator_role_counts_and_losing_it_mid_form_is_refused(discord, configured, alice):
    helper = discord.member("helper", roles=["Helpers"])
    await configured.guild_settings.update(
        discord.guild.id, datetime.now(UTC), moderator_role_id=discord.guild.role("Helpers").id
    )
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    queue = await discord.slash("nominations review", user=helper)
    form = await discord.click(queue.message, button(queue.message, "Reject…"), user=helper)

    await configured.guild_settings.update(discord.guild.id, datetime.now(UTC), moderator_role_id=None)
    field = form_fields(form.modal)["Why isn't it accepted?"]
    refused = await discord.submit_modal(form.modal["custom_id"], {field: "no"}, user=helper)
    assert refused.ephemeral and "Only moderators" in refused.content


async def test_buttons_and_forms_after_a_restart(discord, configured, settings, alice, bob, mod):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    post = await wait_for_post(discord, "nominations")
    opened = await discord.slash("nominate", {"show": "Kanon"}, user=bob)
    await configured.close()

    async with running_namida(discord, settings):
        seconded = await discord.click(post, button(post, "Second"), user=bob)
        assert "You seconded **Nomination #1**" in seconded.content
        fields = form_fields(opened.modal)
        typed = {fields["The moment (hidden as a spoiler)"]: "Ayu's wish", fields["What happens"]: "She says goodbye."}
        typed |= {fields["Why it moved you"]: "Because.", fields["What kind of show is it?"]: ["tv"]}
        expired = await discord.submit_modal(opened.modal["custom_id"], typed, user=bob)
        assert expired.ephemeral and "That form expired" in expired.content
        assert "Ayu's wish" in echoed(expired) and "She says goodbye." in echoed(expired)


async def test_a_hostile_rejection_reason_reaches_the_author_defused(discord, configured, alice, mod):
    await nominate(discord, alice, "Clannad", moment="Ushio in the snow", fmt="tv")
    queue = await discord.slash("nominations review", user=mod)
    form = await discord.click(queue.message, button(queue.message, "Reject…"), user=mod)
    field = form_fields(form.modal)["Why isn't it accepted?"]
    await discord.submit_modal(form.modal["custom_id"], {field: "@everyone ||not|| **a** `film`"}, user=mod)
    (dm,) = await dms_to(discord, alice)
    assert "@everyone" not in dm and "@\u200beveryone" in dm
    assert "\\|\\|not\\|\\|" in dm and "\\*\\*a\\*\\*" in dm
