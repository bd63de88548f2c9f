"""Server lists on a real SQLite file: creating within the limits, places written and read back,
credits that follow the nomination, refusals that change nothing, and two edits at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.domain.errors import UnknownList
from bot.domain.guild_settings import GuildSettings
from bot.domain.nominations import Format, Status, check_rules, make_draft
from bot.domain.server_lists import (
    MAX_LISTS,
    ServerListRefused,
    default_header,
    entry_from_nomination,
    moved,
    with_entry,
)
from bot.storage.nominations import NominationStore
from bot.storage.server_lists import ServerListStore

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
GUILD, OTHER_GUILD = 1001, 2002
MOD, ALICE, BOB, CAROL = 99, 11, 22, 33
FREE = GuildSettings(GUILD, max_open_nominations=25, cooldown_seconds=0)


@pytest.fixture
async def stores(database):
    """On each engine (SQLite, and PostgreSQL when its binaries are installed)."""
    return ServerListStore(database), NominationStore(database)


async def approved(noms: NominationStore, top_list, show: str, author: int = ALICE, guild: int = GUILD):
    draft = make_draft(show, f"The {show} moment", "3", "What happens.", "Why it hurts.", Format.TV)
    nomination = await noms.add_nomination(guild, top_list.id, author, check_rules(draft, top_list, FREE), FREE, NOW)
    return await noms.change_status(nomination.id, Status.APPROVED, MOD, NOW, public_show=show)


async def create(lists: ServerListStore, top_list, list_id: str = "ours", guild: int = GUILD):
    return await lists.create(guild, list_id, f"Our {list_id}", default_header("Ours", top_list), MOD, NOW,
                              ranked_places=10)  # fmt: skip


async def test_a_list_keeps_its_places_and_credits_the_nominator_and_seconders(stores, top_list):
    lists, noms = stores
    await create(lists, top_list)
    first, second = await approved(noms, top_list, "Toradora"), await approved(noms, top_list, "Plastic Memories")
    await noms.toggle_second(first.id, BOB, NOW)
    await noms.toggle_second(first.id, CAROL, NOW)
    for nomination, place in ((first, None), (second, 1)):
        made = entry_from_nomination(nomination, (), GUILD)
        await lists.change_entries(GUILD, "ours", lambda s, e=made, p=place: with_entry(s, e, p), NOW)

    stored = await lists.get(GUILD, "ours")
    assert [e.show for e in stored.entries] == ["Plastic Memories", "Toradora"]
    assert (stored.entries[1].nominated_by, stored.entries[1].seconded_by) == (ALICE, (BOB, CAROL))
    browsed = stored.top_list()
    assert [e.handle for e in browsed.entries] == ["#2 · Toradora", "#1 · Plastic Memories"]
    assert browsed.guild_id == GUILD and browsed.entries[0].moment.reveal() == "The Toradora moment"


async def test_the_same_nomination_or_show_twice_is_refused_by_the_database_too(stores, top_list):
    lists, noms = stores
    await create(lists, top_list)
    made = entry_from_nomination(await approved(noms, top_list, "Toradora"), (), GUILD)
    await lists.change_entries(GUILD, "ours", lambda s: (made,), NOW)
    with pytest.raises(ServerListRefused):
        await lists.change_entries(GUILD, "ours", lambda s: (made, made), NOW)
    assert [e.show for e in (await lists.get(GUILD, "ours")).entries] == ["Toradora"]


async def test_ids_are_unique_per_server_and_a_server_has_at_most_25_lists(stores, top_list):
    lists, _ = stores
    await create(lists, top_list, "ours")
    await create(lists, top_list, "ours", guild=OTHER_GUILD)  # another server's list of the same name
    with pytest.raises(ServerListRefused, match="already has a list called that"):
        await create(lists, top_list, "ours")
    for n in range(MAX_LISTS - 1):
        await create(lists, top_list, f"list-{n}")
    with pytest.raises(ServerListRefused, match="already has 25 lists"):
        await create(lists, top_list, "one-too-many")
    assert len(await lists.names(GUILD)) == MAX_LISTS and len(await lists.names(OTHER_GUILD)) == 1


async def test_a_list_is_found_by_id_or_name_only_in_its_own_server(stores, top_list):
    lists, _ = stores
    await create(lists, top_list, "ours")
    assert (await lists.find(GUILD, "OUR ours!")).list_id == "ours"
    assert await lists.find(OTHER_GUILD, "ours") is None
    with pytest.raises(UnknownList):
        await lists.get(OTHER_GUILD, "ours")


async def test_rename_and_delete(stores, top_list):
    lists, noms = stores
    await create(lists, top_list, "ours")
    await create(lists, top_list, "taken")
    made = entry_from_nomination(await approved(noms, top_list, "Toradora"), (), GUILD)
    await lists.change_entries(GUILD, "ours", lambda s: (made,), NOW)
    with pytest.raises(ServerListRefused, match="already has a list called that"):
        await lists.rename(GUILD, "ours", "Taken", NOW)  # its id is another list's
    with pytest.raises(ServerListRefused, match="already has a list called that"):
        await lists.rename(GUILD, "ours", "our taken!", NOW)  # another list's name
    renamed = await lists.rename(GUILD, "ours", "Sad Ten", NOW)
    assert (renamed.list_id, renamed.name, [e.show for e in renamed.entries]) == ("ours", "Sad Ten", ["Toradora"])
    assert (await lists.find(GUILD, "sad ten")).list_id == "ours"
    with pytest.raises(ServerListRefused, match="already has a list called that"):
        await lists.create(GUILD, "sad-ten", "Sad Ten", default_header("Sad Ten", top_list), MOD, NOW,
                           ranked_places=10)  # fmt: skip
    await lists.delete(GUILD, "ours")
    assert await lists.find(GUILD, "sad ten") is None
    assert await lists.store.fetch_value("SELECT count(*) FROM server_list_entries") == 0


async def test_two_moves_at_once_both_land(stores, top_list):
    lists, noms = stores
    await create(lists, top_list)
    shows = ["Toradora", "Plastic Memories", "Kanon", "Air"]
    entries = tuple([entry_from_nomination(await approved(noms, top_list, s), (), GUILD) for s in shows])
    await lists.change_entries(GUILD, "ours", lambda s: entries, NOW)
    await asyncio.gather(
        lists.change_entries(GUILD, "ours", lambda s: moved(s, 4, 1), NOW),
        lists.change_entries(GUILD, "ours", lambda s: moved(s, 4, 1), NOW),
    )
    after = await lists.get(GUILD, "ours")
    assert [e.show for e in after.entries] == ["Kanon", "Air", "Toradora", "Plastic Memories"]
