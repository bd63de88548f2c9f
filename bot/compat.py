"""The only module that touches other libraries' private or undocumented internals.

Each use saves real work on a hot path and has no public equivalent in the pinned versions.
tests/app/test_compat.py checks every assumption made here, so a library upgrade that breaks one
fails there with a sentence saying which, instead of misbehaving at run time.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord.http import Route  # undocumented: the module behind discord.py's own requests

COMPILED_TEMPLATE = "__discord_ui_compiled_template__"  # set by DynamicItem.__init_subclass__
RESPONSE_TYPE = "_response_type"  # what InteractionResponse.is_done() reads


def compiled_template(item: type[discord.ui.DynamicItem[Any]]) -> re.Pattern[str]:
    """The compiled ``template=`` of a DynamicItem class, as discord.py's own dispatch uses it."""
    return getattr(item, COMPILED_TEMPLATE)


def api_base() -> str:
    """The Discord API address discord.py sends its requests to (read at each call, because the
    tests and the bench point discord.py at a local stand-in by changing it)."""
    return Route.BASE


def mark_answered(interaction: discord.Interaction, kind: discord.InteractionResponseType) -> None:
    """Tells discord.py that an interaction was answered outside it, so ``is_done()`` is True and
    nothing tries to answer a second time (Discord would refuse it with a 400)."""
    setattr(interaction.response, RESPONSE_TYPE, kind)


def silence_voice_warnings() -> None:
    """Namida has no voice features: discord.py's warnings about missing voice libraries would only
    worry the people running it."""
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
