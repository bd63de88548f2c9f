"""Nominations that know their catalogue entry, on both engines: one show however spelled."""

import asyncio
from datetime import UTC, datetime

import pytest

from bot.domain.anime import Anime, AnimeType
from bot.domain.guild_settings import GuildSettings
from bot.domain.nominations import AlreadyNominated, Format, check_rules, make_draft
from bot.storage.nominations import NominationStore

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
GUILD, ALICE, BOB = 1001, 11, 22
FREE = GuildSettings(GUILD, max_open_nominations=25, cooldown_seconds=0)
AFTER_STORY = Anime(
    "https://myanimelist.net/anime/4181", "Clannad: After Story",
    ("CLANNAD ~AFTER STORY~", "クラナド アフターストーリー"),
    AnimeType.TV, 24, 2008, None, ("https://myanimelist.net/anime/4181", "https://anilist.co/anime/4181"),
)  # fmt: skip
ASSASSINATION = Anime(
    "https://anidb.net/anime/10185", "Ansatsu Kyoushitsu", ("暗殺教室",), AnimeType.TV, 22, 2015, None,
    ("https://anidb.net/anime/10185", "https://myanimelist.net/anime/24833"),
)  # fmt: skip


@pytest.fixture
def noms(database):
    return NominationStore(database)


@pytest.fixture
def submit(noms, top_list):
    async def submit(author, show, moment, anime=None):
        draft = make_draft(show, moment, None, "What happens.", "Why.", Format.TV)
        return await noms.add_nomination(
            GUILD, top_list.id, author, check_rules(draft, top_list, FREE, anime), FREE, T0
        )

    return submit


async def test_the_catalogue_key_is_stored_and_read_back(submit):
    stored = await submit(ALICE, "CLANNAD ~AFTER STORY~", "Ushio in the snow", AFTER_STORY)
    assert stored.catalogue_key == "https://myanimelist.net/anime/4181" and stored.show == "CLANNAD ~AFTER STORY~"
    free = await submit(ALICE, "A show nobody catalogued", "The end")
    assert free.catalogue_key is None


async def test_one_entry_two_spellings_same_moment_is_a_duplicate(submit):
    first = await submit(ALICE, "CLANNAD ~AFTER STORY~", "Ushio in the snow", AFTER_STORY)
    with pytest.raises(AlreadyNominated) as refused:
        await submit(BOB, "クラナド アフターストーリー", "Ushio in the snow!", AFTER_STORY)
    assert refused.value.existing == first


async def test_two_spellings_submitted_at_once_are_stored_once(noms, submit):
    results = await asyncio.gather(
        submit(ALICE, "CLANNAD ~AFTER STORY~", "Ushio in the snow", AFTER_STORY),
        submit(BOB, "クラナド アフターストーリー", "Ushio in the snow", AFTER_STORY),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["AlreadyNominated", "Nomination"]
    _, total = await noms.page(GUILD, status=None, show_keys=None, author_id=None, offset=0, limit=10)
    assert total == 1


async def test_a_list_show_named_by_its_catalogue_source_is_on_the_list(submit):
    # The list names Assassination Classroom by its myanimelist page; this entry's key is another source.
    stored = await submit(ALICE, "暗殺教室", "The last lesson", ASSASSINATION)
    assert stored.represented_by == "assassination-classroom" and stored.public_show == "Assassination Classroom"
    with pytest.raises(AlreadyNominated):
        await submit(BOB, "Assassination Classroom", "The last lesson")  # the list's spelling, no catalogue


async def test_the_show_filter_finds_a_catalogue_entry_by_its_key(noms, submit):
    await submit(ALICE, "CLANNAD ~AFTER STORY~", "Ushio in the snow", AFTER_STORY)
    await submit(BOB, "クラナド アフターストーリー", "The wheat field", AFTER_STORY)
    await submit(BOB, "Clannad", "The dango song")
    rows, total = await noms.page(
        GUILD, status=None, show_keys=["clannadafterstory"], author_id=None, offset=0, limit=10,
        catalogue_keys=[AFTER_STORY.key],
    )  # fmt: skip
    assert total == 2 and {r.moment.reveal() for r in rows} == {"Ushio in the snow", "The wheat field"}
