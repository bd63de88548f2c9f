"""Helpers for server-list tests: approved nominations, a closed poll on them, and running /lists
as a moderator does."""

from __future__ import annotations

from typing import Any

from standin import StandIn, UploadedFile
from tests.e2e.nominating import approve, button, nominate, posts_in
from tests.e2e.polling import CHART_WAIT, labels, start_poll, vote

# Shows Namida's shipped list doesn't have, each with a moment only its spoiler bars may show.
MOMENTS = {
    "Toradora": "Ryuji and Taiga on the stairs",
    "Plastic Memories": "Isla's last day at work",
    "Kanon": "Ayu's final wish in the snow",
}


async def approved_nominations(discord: StandIn, mod, authors: dict[str, Any]) -> None:
    """Each author nominates their show (see MOMENTS); the moderator approves each in turn."""
    for show, author in authors.items():
        await nominate(discord, author, show, moment=MOMENTS[show], episode="12", fmt="tv")
    for _ in authors:
        queue = await discord.slash("nominations review", user=mod)
        _, done = await approve(discord, queue.message, mod)
        assert "was approved" in done.content, done.content


async def second(discord: StandIn, number: int, user) -> None:
    post = next(p for p in posts_in(discord, "nominations") if f"Nomination #{number}" in p["embeds"][0]["title"])
    result = await discord.click(post, button(post, "Second"), user=user)
    assert result.ephemeral, result.content


def poll_id_of(message: dict[str, Any]) -> int:
    return int(message["embeds"][0]["footer"]["text"].split("#")[1].split(" ")[0])


async def closed_poll(
    discord: StandIn, mod, votes: list[tuple[Any, str]], *, count: int = 3, mode: str = "single"
) -> int:
    """A poll on the approved nominations, voted as ``votes`` says (member → show), then closed."""
    poll = await start_poll(discord, mod, "nominations", count=count, mode=mode)
    for user, show in votes:
        label = next(label for label in labels(poll) if label.endswith(f"· {show}"))
        await vote(discord, poll, label, user)
    return await close_poll(discord, mod, poll)


async def close_poll(discord: StandIn, mod, poll: dict[str, Any]) -> int:
    """Closes a poll and waits for its results post; returns the poll's id."""
    poll_id = poll_id_of(poll)
    since = len(discord.requests)
    closed = await (await discord.slash("poll close", {"poll": poll_id}, user=mod)).final_message()
    assert "Closed **Poll #" in closed["content"], closed["content"]
    # The results (and their chart) are posted once the poll is closed: wait, so nothing is left running.
    channel = discord.guild.channel("polls").id
    await discord.wait_for_request("POST", rf"/channels/{channel}/messages", start=since, timeout=CHART_WAIT)
    return poll_id


def exported_file(discord: StandIn) -> UploadedFile:
    """The last list file the bot uploaded."""
    files = [f for r in discord.requests if r.files for f in r.files if f.filename.endswith(".yaml")]
    assert files, "no list file was sent"
    return files[-1]


def yaml_upload(name: str, text: str) -> UploadedFile:
    return UploadedFile("files[0]", name, "application/x-yaml", text.encode("utf-8"))
