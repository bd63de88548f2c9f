"""A deliberately small discord.py bot that exercises every interaction path of the stand-in."""

from __future__ import annotations

import asyncio
import io
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

TITLES = ["Clannad After Story", "Anohana", "Your Lie in April", "Violet Evergarden", "Made in Abyss"]


class Reveal(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"reveal:(?P<entry>\d+)"):
    """A persistent button whose state lives in its custom_id."""

    def __init__(self, entry: int) -> None:
        super().__init__(discord.ui.Button(label="Reveal spoiler", custom_id=f"reveal:{entry}"))
        self.entry = entry

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Reveal:
        return cls(int(match["entry"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Entry {self.entry}: the dog dies", ephemeral=True)


class Feedback(discord.ui.Modal, title="Feedback"):
    """Classic shape: the text input is wrapped in an action row."""

    thoughts: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
        label="Your thoughts", custom_id="thoughts", max_length=200
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks: {self.thoughts.value}", ephemeral=True)


class Rating(discord.ui.Modal, title="Rate it"):
    """discord.py 2.6+ shape: the text input sits inside a Label component."""

    score: discord.ui.Label[Rating] = discord.ui.Label(
        text="Score", component=discord.ui.TextInput(custom_id="score", max_length=2)
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        assert isinstance(self.score.component, discord.ui.TextInput)
        await interaction.response.edit_message(content=f"Rated {self.score.component.value}", view=None)


class RateButton(discord.ui.View):
    @discord.ui.button(label="Rate", custom_id="rate")
    async def rate(self, interaction: discord.Interaction, button: discord.ui.Button[RateButton]) -> None:
        await interaction.response.send_modal(Rating())


class Mood(discord.ui.View):
    @discord.ui.select(
        custom_id="mood",
        placeholder="How sad?",
        options=[
            discord.SelectOption(label="Sad", value="sad"),
            discord.SelectOption(label="Sadder", value="sadder"),
        ],
    )
    async def mood(self, interaction: discord.Interaction, select: discord.ui.Select[Mood]) -> None:
        await interaction.response.edit_message(content=f"Mood: {select.values[0]}", view=None)


class TinyBot(commands.Bot):
    def __init__(self) -> None:
        # guild_ready_timeout: discord.py otherwise waits 2 s after the last GUILD_CREATE before on_ready
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            guild_ready_timeout=0.05,
        )
        self.waiting = asyncio.Event()  # /wait and /later set this once they are parked
        self.release = asyncio.Event()  # ...and continue when a test sets this
        self.add_dynamic_items(Reveal)
        _add_commands(self)

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def park(self) -> None:
        self.waiting.set()
        await self.release.wait()


def _add_commands(bot: TinyBot) -> None:
    tree = bot.tree

    @tree.command(description="Show one entry of the list")
    @app_commands.describe(query="Title to look up", ephemeral="Only you can see the answer")
    async def entry(interaction: discord.Interaction, query: str, ephemeral: bool = False) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(Reveal(7))
        embed = discord.Embed(title=f"Entry: {query}", description="A sad moment").set_footer(text="Top 10")
        await interaction.response.send_message(embed=embed, view=view, ephemeral=ephemeral)

    @entry.autocomplete("query")
    async def entry_titles(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if current == "many":  # one more than Discord allows
            return [app_commands.Choice(name=f"Title {n}", value=str(n)) for n in range(26)]
        matches = [title for title in TITLES if current.lower() in title.lower()]
        return [app_commands.Choice(name=title, value=title) for title in matches]

    @tree.command(description="Read back an attached file")
    async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
        text = (await file.read()).decode("utf-8")
        await interaction.response.send_message(f"{file.filename}: {len(text)} characters, {text.splitlines()[0]}")

    @tree.command(description="Think, then edit the answer in")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="done thinking")

    @tree.command(description="Think, then answer with followups")
    async def chatty(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("first")
        await interaction.followup.send("second", ephemeral=True)

    @tree.command(description="Open the feedback form")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback())

    @tree.command(description="Offer a rating button")
    async def rate(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Rate this list", view=RateButton(timeout=None))

    @tree.command(description="Pick a mood")
    async def mood(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Pick one", view=Mood(timeout=None))

    @tree.command(description="Send an embed whose title is too long")
    async def long(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=discord.Embed(title="x" * 300))

    @tree.command(description="Answer only after the test releases it")
    async def wait(interaction: discord.Interaction) -> None:
        await bot.park()
        await interaction.response.send_message("late")

    @tree.command(description="Defer, then edit only after the test releases it")
    async def later(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        await bot.park()
        await interaction.edit_original_response(content="much later")

    @tree.command(description="Moderators only")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def admin(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("admin ok", ephemeral=True)

    @tree.command(description="Post a log line with a file to this channel")
    async def post(interaction: discord.Interaction) -> None:
        assert isinstance(interaction.channel, discord.abc.Messageable)
        log = await interaction.channel.send("log line", file=discord.File(io.BytesIO(b"hello"), "notes.txt"))
        await log.edit(content="log line (edited)")
        await interaction.response.send_message("posted", ephemeral=True)
