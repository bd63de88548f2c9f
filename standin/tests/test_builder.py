"""INTERACTION_CREATE payload shapes for paths the tiny bot does not exercise."""

from __future__ import annotations

import pytest

from standin import InteractionRefused, StandIn
from standin.interactions import InteractionBuilder
from standin.state import InteractionState, ShownModal

TAG = {
    "name": "tag",
    "description": "Tags",
    "options": [
        {
            "name": "admin",
            "description": "Admin",
            "type": 2,
            "options": [
                {
                    "name": "add",
                    "description": "Add",
                    "type": 1,
                    "options": [
                        {"name": "who", "description": "Member", "type": 6, "required": True},
                        {"name": "where", "description": "Channel", "type": 7},
                        {"name": "role", "description": "Role", "type": 8},
                        {"name": "count", "description": "How many", "type": 4, "autocomplete": True},
                        {
                            "name": "mood",
                            "description": "Mood",
                            "type": 3,
                            "choices": [{"name": "Sad", "value": "sad"}],
                        },
                    ],
                },
            ],
        },
    ],
}


@pytest.fixture
def offline() -> StandIn:
    """A stand-in that is never started: enough to build payloads against synced commands."""
    standin = StandIn()
    standin.world.store_commands(None, [TAG])
    return standin


def test_subcommand_group_with_resolved_entities(offline: StandIn) -> None:
    bob, alice = offline.member("bob", roles=["Moderator"]), offline.user("alice")
    moderator = offline.guild.role("Moderator")
    values = {"who": bob, "where": offline.channel, "role": moderator, "count": 3, "mood": "sad"}
    payload = InteractionBuilder(offline.world).command(
        ["tag", "admin", "add"], values, alice, offline.guild, offline.channel.id
    )

    group = payload["data"]["options"][0]
    assert (group["name"], group["type"], group["options"][0]["name"]) == ("admin", 2, "add")
    assert [o["value"] for o in group["options"][0]["options"]] == [
        str(bob.id),
        str(offline.channel.id),
        str(moderator.id),
        3,
        "sad",
    ]
    resolved = payload["data"]["resolved"]
    assert resolved["members"][str(bob.id)]["roles"] == [str(moderator.id)]
    assert set(resolved) == {"users", "members", "channels", "roles"}
    assert payload["member"]["user"]["id"] == str(alice.id) and payload["guild_id"] == str(offline.guild.id)


def test_client_side_rules(offline: StandIn) -> None:
    builder, alice = InteractionBuilder(offline.world), offline.user("alice")
    where = (alice, offline.guild, offline.channel.id)
    with pytest.raises(InteractionRefused, match="choices"):
        builder.command(["tag", "admin", "add"], {"who": alice, "mood": "happy"}, *where)
    with pytest.raises(InteractionRefused, match="needs a subcommand"):
        builder.command(["tag", "admin"], {}, *where)
    with pytest.raises(InteractionRefused, match="autocomplete"):
        builder.command(["tag", "admin", "add"], {"mood": "s"}, *where, focused="mood")
    typing = builder.command(["tag", "admin", "add"], {"count": 4}, *where, focused="count")
    assert typing["type"] == 4
    assert typing["data"]["options"][0]["options"][0]["options"] == [
        {"name": "count", "type": 4, "value": "4", "focused": True}
    ]


def test_user_select_values_are_resolved(offline: StandIn) -> None:
    bob, alice = offline.user("bob"), offline.user("alice")
    body = {"components": [{"type": 1, "components": [{"type": 5, "custom_id": "who", "max_values": 2}]}]}
    message = offline.world.create_message(offline.channel.id, body, [])
    payload = InteractionBuilder(offline.world).component(message, "who", alice, [bob])
    assert payload["data"] == {
        "custom_id": "who",
        "component_type": 5,
        "values": [str(bob.id)],
        "resolved": payload["data"]["resolved"],
    }
    assert str(bob.id) in payload["data"]["resolved"]["users"]
    assert payload["message"]["components"][0]["components"][0]["id"] == 2  # Discord numbers components
    with pytest.raises(InteractionRefused, match="no component"):
        InteractionBuilder(offline.world).component(message, "nope", alice, None)


def test_modal_submit_mirrors_the_shown_modal(offline: StandIn) -> None:
    alice, bob = offline.user("alice"), offline.user("bob")
    opener = InteractionState(
        InteractionBuilder(offline.world).command(
            ["tag", "admin", "add"], {"who": alice}, alice, offline.guild, offline.channel.id
        ),
        0.0,
    )
    select = {
        "type": 3,
        "custom_id": "pick",
        "options": [{"label": "A", "value": "a", "default": True}],
        "id": 2,
    }
    modal = {
        "custom_id": "form",
        "title": "Form",
        "components": [
            {"type": 18, "id": 1, "label": "Pick", "component": select},
            {"type": 10, "id": 3, "content": "Read this"},
        ],
    }
    offline.world.modals[(alice.id, "form")] = ShownModal(modal, opener)
    builder = InteractionBuilder(offline.world)

    payload = builder.modal_submit("form", {}, alice, None)
    assert payload["data"]["components"] == [
        {"type": 18, "id": 1, "component": {"type": 3, "id": 2, "custom_id": "pick", "values": ["a"]}},
        {"type": 10, "id": 3},
    ]
    with pytest.raises(InteractionRefused, match="never showed bob"):
        builder.modal_submit("form", {}, bob, None)
    with pytest.raises(InteractionRefused, match="no fields"):
        builder.modal_submit("form", {"other": "x"}, alice, None)
