"""The bot as it starts, every extension loaded, offline: what the meta-tests inspect."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from discord.ext import commands

from bot.app import EXTENSIONS
from bot.runner import build_bot
from bot.settings import load_settings


@pytest.fixture
async def loaded_bot(tmp_path) -> AsyncIterator[commands.Bot]:
    settings = load_settings({"NAMIDA_DATABASE": str(tmp_path / "namida.db")}, require_token=False)
    bot = await build_bot(settings)
    try:
        for extension in EXTENSIONS:
            await bot.load_extension(extension)
        yield bot
    finally:
        await bot.close()
