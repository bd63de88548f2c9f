"""The confirmation /lists delete asks for: two buttons on the moderator's private message. Only
ids in the custom_id; the moderator is checked again when they press it."""

from __future__ import annotations

import discord

from bot.app import Interaction
from bot.components import Components
from bot.custom_ids import CustomId, id64, one_of, slug
from bot.domain.errors import UnknownList
from bot.domain.server_lists import ServerList
from bot.permissions import guild_id_of, require_moderator
from bot.ui import FunnelledItem
from cogs.lists import render

GONE = "That list no longer exists: nothing to do."
DECISIONS = {"delete": ("Delete it", discord.ButtonStyle.danger), "keep": ("Keep it", discord.ButtonStyle.secondary)}


def delete_question(server_list: ServerList) -> dict:
    view = Components()
    for decision in DECISIONS:
        view.add_item(DeleteListButton(server_list.id, server_list.list_id, decision))
    text = (
        f"Delete {render.name(server_list)} and its {len(server_list.entries)} entries? Its buttons in old messages "
        "will stop working. This can't be undone (export it first with `/lists export` to keep a copy)."
    )
    return {"content": text, "view": view}


class DeleteListButton(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Button],
    # The row id too: a list deleted and created again under the same name is another list.
    custom_id=CustomId(
        "lists:{list_row}:{list_id}:{decision}", list_row=id64(), list_id=slug(32), decision=one_of(*DECISIONS)
    ),
):
    private_message_only = True

    def __init__(self, list_row: int, list_id: str, decision: str) -> None:
        label, style = DECISIONS[decision]
        custom_id = self.ids(list_row=list_row, list_id=list_id, decision=decision)
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id))
        self.list_row, self.list_id, self.decision = list_row, list_id, decision

    async def run(self, interaction: Interaction) -> None:
        guild_id = guild_id_of(interaction)
        bot = interaction.client
        require_moderator(interaction, await bot.guild_settings.get(guild_id))
        try:
            current = await bot.server_lists.get(guild_id, self.list_id)
            if current.id != self.list_row:
                raise UnknownList(self.list_id, [])
            if self.decision == "delete":  # a second press at once finds it gone, like a later one
                await bot.server_lists.delete(guild_id, self.list_id, self.list_row)
        except UnknownList:
            await interaction.response.edit_message(content=GONE, view=None)
            return
        done = "Kept" if self.decision == "keep" else "Deleted"
        await interaction.response.edit_message(content=f"{done} {render.name(current)}.", view=None)


DYNAMIC_ITEMS = (DeleteListButton,)
