"""The one error funnel: commands (via ``NamidaTree``) and components (via ``bot.ui``) report here.

A ``UserFacingError`` is shown to the member as is, ephemerally. Anything else is logged with its
traceback under a short error code, and the member sees an apology quoting that code.
"""

from __future__ import annotations

import io
import logging
import secrets
from typing import Any, cast

import discord
from discord import app_commands

from bot.domain import limits
from bot.domain.budget import fair_shares
from bot.domain.errors import UserFacingError
from bot.domain.spoilers import code_block

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side (error `{code}`). Please try again in a moment."
GUILD_ONLY = "That only works inside a server."


def user_message(error: BaseException) -> str | None:
    """The member-facing text for an expected failure, or None for a bug."""
    error = _unwrap(error)
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, app_commands.NoPrivateMessage):
        return GUILD_ONLY
    if isinstance(error, app_commands.MissingPermissions | app_commands.CheckFailure):
        return "You don't have permission to do that here."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return "That command has changed since your Discord app loaded it. Please try it again."
    return None


def payload_data(interaction: discord.Interaction) -> dict[str, Any]:
    """The interaction's ``data`` as Discord sent it, or empty. discord.py types it as a union of
    payload shapes, so that no key is readable from it without a check per shape."""
    return cast(dict[str, Any], interaction.data or {})


def _unwrap(error: BaseException) -> BaseException:
    while isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError) and error.__cause__:
        error = error.__cause__
    return error


async def report(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer the member ephemerally about ``error``; never raises."""
    text = user_message(error)
    if text is None:
        code = secrets.token_hex(3)
        log.error("Unexpected error %s in %s", code, _describe(interaction), exc_info=_unwrap(error))
        text = APOLOGY.format(code=code)
    else:
        log.info("Refused %s: %s", _describe(interaction), type(_unwrap(error)).__name__)
    typed = getattr(_unwrap(error), "typed", ())
    await send_ephemeral(interaction, text, **typed_text_reply(list(typed)))


async def send_ephemeral(interaction: discord.Interaction, text: str, **extra: Any) -> None:
    try:
        if interaction.type is discord.InteractionType.autocomplete:
            if not interaction.response.is_done():
                await interaction.response.autocomplete([])
        elif interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, **extra)
        else:
            await interaction.response.send_message(text, ephemeral=True, **extra)
    except discord.HTTPException as failure:
        # An expired token or an already-answered interaction: nobody left to tell but the log.
        log.warning("Could not tell the member about an error in %s: %s", _describe(interaction), failure)


def _describe(interaction: discord.Interaction) -> str:
    """Ids and the command or component id only: member text and spoilers stay out of logs."""
    what = interaction.command.qualified_name if interaction.command else None
    if what is None:
        what = payload_data(interaction).get("custom_id") or payload_data(interaction).get("name")
    return f"{interaction.type.name} {what!s} (interaction {interaction.id}, guild {interaction.guild_id})"


TYPED_FILE = "what-you-typed.txt"


def typed_text_reply(typed: list[str]) -> dict:
    """The member's own words, back to them privately and exactly, when they could not be saved:
    in code blocks, plus the whole text as a file when it is too long to show in full."""
    texts = [t for t in typed if t and t.strip()]
    if not texts:
        return {}
    room = limits.EMBED_TOTAL - 300  # titles and footer
    shares = fair_shares([limits.discord_len(code_block(t)) for t in texts], room, limits.EMBED_DESCRIPTION)
    embeds = [discord.Embed(description=code_block(t, share)) for t, share in zip(texts, shares, strict=True)]
    embeds[0].title = "What you typed (nothing was saved)"
    reply: dict = {"embeds": embeds}
    if any(code_block(t) != e.description for t, e in zip(texts, embeds, strict=True)):
        whole = "\n\n".join(texts).encode("utf-8")
        reply["file"] = discord.File(io.BytesIO(whole), filename=TYPED_FILE)
        embeds[-1].set_footer(text=f"It was too long to show in full: all of it is in {TYPED_FILE}.")
    else:
        embeds[-1].set_footer(text="Copy it and try again.")
    return reply


class NamidaTree(app_commands.CommandTree):
    """Routes every command error to ``report``."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report(interaction, error)
