"""Sync application commands only when their definition changed (or when asked to)."""

from __future__ import annotations

import hashlib
import json
import logging

import discord
from discord import app_commands

from bot.storage.engine import Database

log = logging.getLogger(__name__)


def command_digest(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> str:
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


async def sync_commands_if_changed(
    tree: app_commands.CommandTree, store: Database, dev_guild: int | None, *, force: bool = False
) -> bool:
    """Returns whether a sync was sent. A dev guild gets a copy of every command, instantly."""
    guild = discord.Object(dev_guild) if dev_guild else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    digest = command_digest(tree, guild)
    scope = f"{tree.client.application_id}:{dev_guild or 'global'}"
    if not force and await store.command_sync_digest(scope) == digest:
        log.info("Application commands unchanged; not syncing (start with --sync to force)")
        return False
    synced = await tree.sync(guild=guild)
    await store.remember_command_sync(scope, digest)
    log.info("Synced %d application commands to %s", len(synced), f"guild {dev_guild}" if guild else "all servers")
    return True
