"""Helpers for nomination tests: a server with the channels nominations need, and filling the form
the way a member does (by the labels they read, not by generated ids)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from standin import Callback, StandIn, make_guild
from standin.models import RoleSpec, snowflake
from standin.state import walk_components

SEND_MESSAGES = 1 << 11
FORMAT_FIELD = "What kind of show is it?"


def nominations_guild():
    guild = make_guild(
        channels=("general", "nominations", "mod-queue", "locked"),
        roles={"Moderator": ("manage_guild",), "Helpers": ()},
    )
    locked = guild.channel("locked")
    guild.channels[guild.channels.index(locked)] = replace(locked, denied_to_everyone=SEND_MESSAGES)
    guild.roles.append(RoleSpec(snowflake(), "SomeBot", position=len(guild.roles), bot_id=snowflake()))
    return guild


def form_fields(modal: dict[str, Any]) -> dict[str, str]:
    """Field label -> custom_id for a modal as the member sees it."""
    found = {}
    for entry in modal["components"]:
        if entry.get("type") == 18:  # a Label wraps one input
            found[entry["label"]] = entry["component"]["custom_id"]
        else:
            for field in walk_components([entry]):
                if field.get("custom_id"):
                    found[field.get("label") or field["custom_id"]] = field["custom_id"]
    return found


async def open_form(discord: StandIn, user, show: str, **options):
    opened = await discord.slash("nominate", {"show": show, **options}, user=user)
    assert opened.type == Callback.MODAL, opened.content
    return opened


async def nominate(
    discord: StandIn,
    user,
    show: str,
    *,
    moment: str,
    what: str = "Something heartbreaking happens.",
    why: str = "It stayed with me for days.",
    episode: str = "",
    fmt: str | None = None,
    announced: bool = True,
):
    """Open /nominate and submit the form; returns the submit's result once the bot has also
    posted an accepted nomination and announced it to the review channel."""
    opened = await open_form(discord, user, show)
    fields = form_fields(opened.modal)
    values: dict[str, Any] = {
        fields["The moment (hidden as a spoiler)"]: moment,
        fields["What happens"]: what,
        fields["Why it moved you"]: why,
        fields["Episode (optional)"]: episode,
    }
    if fmt is not None and FORMAT_FIELD in fields:  # asked only while the show's format is unknown
        values[fields[FORMAT_FIELD]] = [fmt]
    since = len(discord.requests)
    result = await discord.submit_modal(opened.modal["custom_id"], values, user=user)
    if announced and "is saved" in result.content:
        await wait_for_post(discord, "mod-queue", since=since)
    return result


def posts_in(discord: StandIn, name: str) -> list[dict[str, Any]]:
    return discord.messages_in(discord.guild.channel(name))


def button(message: dict[str, Any], label: str) -> str:
    for item in walk_components(message["components"]):
        if item.get("label") == label:
            return item["custom_id"]
    raise LookupError(f"no button {label!r} in {[i.get('label') for i in walk_components(message['components'])]}")


async def wait_for_post(discord: StandIn, name: str, *, since: int = 0) -> dict[str, Any]:
    """The next message the bot posts in channel ``name`` (request index ``since`` onwards)."""
    channel_id = discord.guild.channel(name).id
    record = await discord.wait_for_request("POST", rf"/channels/{channel_id}/messages", start=since)
    assert record.status == 200, record
    return posts_in(discord, name)[-1]


def echoed(result) -> str:
    """Everything the bot echoed back of what the member typed (one embed per field)."""
    return "\n".join(embed.get("description") or "" for embed in result.embeds)


async def approve(discord: StandIn, review: dict[str, Any], moderator, title: str | None = None):
    """Press Approve… on a review message and submit its form, confirming the pre-filled show
    title or typing ``title`` instead; returns the form and the submit's result."""
    form = await discord.click(review, button(review, "Approve…"), user=moderator)
    assert form.type == Callback.MODAL, form.content
    values = {} if title is None else {form_fields(form.modal)["Public show title"]: title}
    return form, await discord.submit_modal(form.modal["custom_id"], values, user=moderator)


def default_of(modal: dict[str, Any], label: str) -> str | None:
    """The text a form's field is pre-filled with."""
    for entry in modal["components"]:
        if entry.get("type") == 18 and entry["label"] == label:
            return entry["component"].get("value")
    raise LookupError(label)
