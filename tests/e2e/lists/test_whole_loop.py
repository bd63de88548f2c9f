"""The community's own countdown, end to end: nominations → approval → a poll → close →
/lists publish → /list, /entry and autocomplete on the new list → /lists export → `namida check`."""

from __future__ import annotations

import asyncio
import os
import sys

from tests.conftest import REPO
from tests.e2e.listing import MOMENTS, approved_nominations, closed_poll, exported_file, second
from tests.e2e.surfaces import hidden_spoilers, leaks, shown
from tests.e2e.test_lookups import buttons


async def test_nominations_a_poll_and_publish_make_a_list_members_browse_and_export(
    discord, configured, mod, alice, bob, carol, tmp_path
):
    await approved_nominations(discord, mod, {"Toradora": alice, "Plastic Memories": bob, "Kanon": carol})
    await second(discord, 2, alice)
    await second(discord, 2, carol)
    poll_id = await closed_poll(
        discord, mod, [(alice, "Plastic Memories"), (bob, "Plastic Memories"), (carol, "Kanon"), (mod, "Kanon"),
                       (discord.member("dave"), "Plastic Memories")],
    )  # fmt: skip

    created = await discord.slash("lists create", {"name": "Our Saddest Moments"}, user=mod)
    assert created.ephemeral and "Created **Our Saddest Moments** (`our-saddest-moments`)" in created.content
    published = await discord.slash("lists publish", {"poll": poll_id, "list": "our-saddest-moments"}, user=mod)
    assert published.ephemeral and "Published Poll #" in published.content
    assert "1. #1 · Plastic Memories\n2. #2 · Kanon\n3. #3 · Toradora" in shown(published.content)
    our_list = (await configured.server_lists.get(discord.guild.id, "our-saddest-moments")).top_list()

    overview = await discord.slash("list", {"list": "our-saddest-moments"}, user=bob)
    assert not overview.ephemeral and overview.embeds[0]["title"] == "Our Saddest Moments"
    assert sorted(hidden_spoilers(overview.message)) == sorted(MOMENTS.values())
    assert leaks(overview.message, our_list) == []

    entry = await discord.slash("entry", {"query": "1", "list": "our-saddest-moments"}, user=bob)
    embed = entry.embeds[0]
    assert embed["title"] == "#1 · Plastic Memories" and embed["author"]["name"] == "Our Saddest Moments"
    description = embed["description"]
    assert MOMENTS["Plastic Memories"] in hidden_spoilers(entry.message)
    assert "Episode 12" in hidden_spoilers(entry.message)  # a member's episode is hidden too
    assert f"Nominated by <@{bob.id}> · seconded by <@{alice.id}>, <@{carol.id}>" in description
    assert entry.callback["data"]["allowed_mentions"] == {"parse": []}  # credited, never pinged
    assert leaks(entry.message, our_list) == []
    assert set(buttons(entry.message)) == {"Reveal", "◀ #2 · Kanon"}

    revealed = await discord.click(entry.message, buttons(entry.message)["Reveal"], user=carol)
    assert revealed.ephemeral and MOMENTS["Plastic Memories"] in shown(revealed.embeds[0]["description"])
    back = await discord.click(entry.message, buttons(entry.message)["◀ #2 · Kanon"], user=bob)
    assert back.embeds[0]["title"] == "#2 · Kanon"
    assert set(buttons(back.message)) == {"◀ #3 · Toradora", "Reveal", "▶ #1 · Plastic Memories"}

    lists_offered = await discord.autocomplete("entry", {"query": "1", "list": "sad"}, user=bob, focused="list")
    assert {c["value"] for c in lists_offered} == {"our-saddest-moments", "top10-sad-anime-moments"}
    entries_offered = await discord.autocomplete("entry", {"list": "our-saddest-moments", "query": ""}, user=bob)
    assert [c["name"] for c in entries_offered] == ["#3 · Toradora", "#2 · Kanon", "#1 · Plastic Memories"]

    exported = await discord.slash("lists export", {"list": "our-saddest-moments"}, user=mod)
    assert exported.ephemeral
    upload = exported_file(discord)
    assert upload.filename == "our-saddest-moments.yaml"
    folder = tmp_path / "exported"
    folder.mkdir()
    (folder / upload.filename).write_bytes(upload.data)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "NAMIDA_"))}
    env |= {"NAMIDA_LISTS": str(folder), "NAMIDA_DATABASE": str(tmp_path / "check.db"), "PYTHONPATH": str(REPO)}
    check = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(check.communicate(), timeout=60)
    assert check.returncode == 0, stderr.decode()
    assert "our-saddest-moments: Our Saddest Moments — 3 ranked entries, 0 honorable mentions" in stdout.decode()
