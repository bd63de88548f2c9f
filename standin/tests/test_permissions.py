"""Channel overwrites and managed roles, as Discord reports them to a bot."""

from __future__ import annotations

from dataclasses import replace

from standin import PERMISSIONS, Overwrite, StandIn, make_guild
from standin.interactions import InteractionBuilder
from standin.models import RoleSpec

VIEW, SEND = PERMISSIONS["view_channel"], PERMISSIONS["send_messages"]


def staff_only_guild():
    """#staff hides from @everyone, shows to Staff, and hides again from one Staff member."""
    guild = make_guild(channels=("general", "staff"), roles={"Staff": ()})
    staff = guild.channel("staff")
    staff_role = guild.role("Staff")
    hidden = (Overwrite(guild.id, deny=VIEW), Overwrite(staff_role.id, allow=VIEW))
    guild.channels[1] = replace(staff, overwrites=hidden)
    return guild


def test_overwrites_apply_everyone_then_roles_then_the_member() -> None:
    guild = staff_only_guild()
    standin = StandIn(guilds=[guild])
    staff_id, role_id = guild.channel("staff").id, guild.role("Staff").id
    outsider, insider = standin.member("out"), standin.member("in", roles=["Staff"])
    banned = standin.member("banned", roles=["Staff"])
    guild.channels[1] = replace(
        guild.channels[1], overwrites=(*guild.channels[1].overwrites, Overwrite(banned.id, deny=VIEW, kind=1))
    )
    assert not guild.channel_permissions(outsider, staff_id) & VIEW
    assert guild.channel_permissions(insider, staff_id) & VIEW
    assert not guild.channel_permissions(banned, staff_id) & VIEW
    assert guild.channel_permissions(outsider, guild.channel("general").id) & VIEW
    assert guild.channel_permissions(outsider, staff_id) & SEND  # only what an overwrite names changes
    assert [o["id"] for o in guild.channels[1].payload(guild.id)["permission_overwrites"]] == [
        str(guild.id),
        str(role_id),
        str(banned.id),
    ]


def test_an_interaction_carries_the_member_permissions_in_its_channel() -> None:
    guild = staff_only_guild()
    standin = StandIn(guilds=[guild])
    standin.world.store_commands(None, [{"name": "ping", "description": "Ping", "options": []}])
    outsider = standin.member("out")
    payload = InteractionBuilder(standin.world).command(["ping"], {}, outsider, guild, guild.channel("staff").id)
    assert not int(payload["member"]["permissions"]) & VIEW
    assert payload["channel"]["permissions"] == payload["member"]["permissions"]


def test_a_managed_role_says_so_and_names_its_bot() -> None:
    role = RoleSpec(1234, "SomeBot", bot_id=5678)
    assert role.payload()["managed"] is True and role.payload()["tags"] == {"bot_id": "5678"}
    assert RoleSpec(1, "Plain").payload()["managed"] is False and "tags" not in RoleSpec(1, "Plain").payload()


async def test_set_overwrites_replaces_them_in_the_channel_payload() -> None:
    guild = make_guild(channels=("general", "staff"))
    standin = StandIn(guilds=[guild])
    bot_view = Overwrite(standin.bot_user.id, allow=VIEW, kind=1)
    updated = await standin.set_overwrites("staff", Overwrite(guild.id, deny=VIEW), bot_view)
    assert guild.channel("staff") == updated
    assert not guild.channel_permissions(standin.member("alice"), updated.id) & VIEW
    assert guild.channel_permissions(standin.bot_user, updated.id) & VIEW
    overwrites = standin.world.channels[updated.id]["permission_overwrites"]
    assert [(o["id"], o["type"]) for o in overwrites] == [(str(guild.id), 0), (str(standin.bot_user.id), 1)]
