"""The real discord.py client against the stand-in: login, sync, and every way of answering."""

from __future__ import annotations

import pytest

from standin import Callback, InteractionRefused, MessageFlag, StandIn, UploadedFile
from standin.tests.tiny_bot import TinyBot

pytestmark = [pytest.mark.asyncio, pytest.mark.filterwarnings("error")]


async def test_login_sync_and_ready_hit_the_expected_routes(standin: StandIn, bot: TinyBot) -> None:
    login = [f"{r.method} {r.path}" for r in standin.requests[:3]]
    assert login == [
        "GET /users/@me",
        "GET /oauth2/applications/@me",
        f"PUT /applications/{standin.application_id}/commands",
    ]
    assert standin.sync_counts == {None: 1}
    names = {command["name"] for command in standin.commands()}
    assert {"entry", "slow", "feedback", "admin"} <= names
    assert all(command["id"] and command["version"] for command in standin.commands())
    assert bot.user is not None and bot.user.id == standin.bot_user.id
    assert bot.get_guild(standin.guild.id) is not None
    assert standin.gateway.identifies[0]["intents"] == bot.intents.value


async def test_slash_reply_with_embed_and_dynamic_button(standin: StandIn, bot: TinyBot) -> None:
    alice = standin.user("alice")
    result = await standin.slash("entry", {"query": "mad"}, user=alice)

    assert result.type == Callback.CHANNEL_MESSAGE
    assert not result.ephemeral
    assert result.embeds[0]["title"] == "Entry: mad"
    assert result.message is not None and result.message in standin.messages_in(standin.channel)
    assert "Reveal spoiler" in result.all_text() and "Top 10" in result.all_text()

    reveal = await standin.click(result.message, "reveal:7", user=alice)
    assert reveal.type == Callback.CHANNEL_MESSAGE
    assert reveal.ephemeral
    assert reveal.content == "Entry 7: the dog dies"
    assert reveal.message is not None and reveal.message["interaction_metadata"]["interacted_message_id"]
    standin.assert_no_violations()


async def test_an_attached_file_is_downloaded_from_the_cdn(standin: StandIn, bot: TinyBot) -> None:
    upload = UploadedFile("files[0]", "notes.yaml", "application/x-yaml", b"title: Mine\nmore: 1\n")
    result = await standin.slash("upload", {"file": upload}, user=standin.user("alice"))
    assert result.content == "notes.yaml: 20 characters, title: Mine"
    data = result.payload["data"]
    assert data["resolved"]["attachments"][data["options"][0]["value"]]["size"] == 20
    with pytest.raises(InteractionRefused, match="attach a file"):
        await standin.slash("upload", {"file": "notes.yaml"}, user=standin.user("alice"))
    standin.assert_no_violations()


async def test_ephemeral_option_and_dm(standin: StandIn, bot: TinyBot) -> None:
    alice = standin.user("alice")
    hidden = await standin.slash("entry", {"query": "x", "ephemeral": True}, user=alice)
    assert hidden.ephemeral
    in_dm = await standin.slash("entry", {"query": "dm"}, user=alice, guild=None)
    assert in_dm.payload["context"] == 1 and "user" in in_dm.payload
    assert in_dm.embeds[0]["title"] == "Entry: dm"
    standin.assert_no_violations()


async def test_autocomplete_returns_the_choices(standin: StandIn, bot: TinyBot) -> None:
    choices = await standin.autocomplete("entry", {"query": "an"}, user=standin.user("alice"))
    assert [choice["name"] for choice in choices] == ["Clannad After Story", "Anohana"]
    standin.assert_no_violations()


async def test_defer_then_edit_original(standin: StandIn, bot: TinyBot) -> None:
    result = await standin.slash("slow", user=standin.user("alice"))
    assert result.type == Callback.DEFERRED_CHANNEL_MESSAGE
    final = await result.final_message()
    assert final["content"] == "done thinking"
    assert not final["flags"] & MessageFlag.LOADING
    assert result.content == "done thinking"


async def test_first_followup_replaces_the_thinking_message(standin: StandIn, bot: TinyBot) -> None:
    result = await standin.slash("chatty", user=standin.user("alice"))
    first = await result.next_followup()
    second = await result.next_followup()
    assert result.message is not None and first["id"] == result.message["id"]
    assert (first["content"], second["content"]) == ("first", "second")
    assert result.ephemeral and result.all_text() == "first\nsecond"


async def test_modal_with_action_row(standin: StandIn, bot: TinyBot) -> None:
    alice = standin.user("alice")
    opened = await standin.slash("feedback", user=alice)
    assert opened.type == Callback.MODAL
    assert opened.modal is not None and opened.modal["title"] == "Feedback"
    assert "Your thoughts" in opened.all_text()

    submitted = await standin.submit_modal(opened.modal["custom_id"], {"thoughts": "so sad"}, user=alice)
    assert submitted.content == "Thanks: so sad" and submitted.ephemeral
    with pytest.raises(InteractionRefused):
        await standin.submit_modal(opened.modal["custom_id"], {"thoughts": "x" * 201}, user=alice)
    standin.assert_no_violations()


async def test_modal_with_label_from_a_button_updates_the_message(standin: StandIn, bot: TinyBot) -> None:
    alice = standin.user("alice")
    offer = await standin.slash("rate", user=alice)
    assert offer.message is not None
    opened = await standin.click(offer.message, "rate", user=alice)
    assert opened.modal is not None and opened.modal["components"][0]["type"] == 18  # a Label

    rated = await standin.submit_modal(opened.modal["custom_id"], {"score": "10"}, user=alice)
    assert rated.type == Callback.UPDATE_MESSAGE
    assert rated.message is not None and rated.message["id"] == offer.message["id"]
    assert offer.content == "Rated 10" and offer.components == []
    standin.assert_no_violations()


async def test_select_menu_updates_the_message(standin: StandIn, bot: TinyBot) -> None:
    alice = standin.user("alice")
    offer = await standin.slash("mood", user=alice)
    assert "How sad?" in offer.all_text() and "Sadder" in offer.all_text()
    with pytest.raises(InteractionRefused):
        await standin.select(offer.message or {}, "mood", ["happy"], user=alice)
    picked = await standin.select(offer.message or {}, "mood", ["sadder"], user=alice)
    assert picked.type == Callback.UPDATE_MESSAGE and picked.content == "Mood: sadder"
    standin.assert_no_violations()


async def test_permissions_hide_commands_like_the_client_does(standin: StandIn, bot: TinyBot) -> None:
    with pytest.raises(InteractionRefused, match="default_member_permissions"):
        await standin.slash("admin", user=standin.user("alice"))
    with pytest.raises(InteractionRefused, match="context"):
        await standin.slash("admin", user=standin.member("mod", roles=["Moderator"]), guild=None)
    moderator = await standin.slash("admin", user=standin.member("mod", roles=["Moderator"]))
    assert moderator.content == "admin ok"
    owner_like = await standin.slash("admin", user=standin.member("boss", permissions="administrator"))
    assert owner_like.accepted
    with pytest.raises(InteractionRefused, match="unknown options"):
        await standin.slash("entry", {"title": "x"}, user=standin.user("alice"))
    with pytest.raises(InteractionRefused, match="required"):
        await standin.slash("entry", {}, user=standin.user("alice"))


async def test_channel_messages_with_files(standin: StandIn, bot: TinyBot) -> None:
    result = await standin.slash("post", user=standin.user("alice"))
    assert result.content == "posted"
    log = next(m for m in standin.messages_in(standin.channel) if m["content"].startswith("log line"))
    assert log["content"] == "log line (edited)" and log["edited_timestamp"]
    assert [a["filename"] for a in log["attachments"]] == ["notes.txt"]
    upload = next(r for r in standin.requests if r.files)
    assert upload.json["content"] == "log line"
    assert (upload.files[0].filename, upload.files[0].data) == ("notes.txt", b"hello")
    assert standin.get_message(log["id"]) is log
    standin.assert_no_violations()
