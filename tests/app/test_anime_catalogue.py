"""The catalogue in the running bot: optional, indexed in the background, rebuilt when stale."""

import asyncio
import json
import logging
import shutil

import pytest

from bench.catalogue import generated_catalogue
from bot.anime_catalogue import AnimeCatalogue
from bot.settings import load_settings
from bot.storage.anime_index import index_path
from tests.domain.test_anime import FIXTURE


@pytest.fixture
def catalogue_file(tmp_path):
    path = tmp_path / "anime-offline-database.json"
    shutil.copyfile(FIXTURE, path)
    return path


async def test_no_catalogue_file_means_every_query_answers_not_ready(tmp_path, caplog):
    catalogue = AnimeCatalogue(tmp_path / "anime-offline-database.json")
    caplog.set_level(logging.INFO, "bot.anime_catalogue")
    catalogue.start()
    try:
        assert await catalogue.wait_ready() is False
        assert await catalogue.search("clannad") is None and await catalogue.exact("clannad") is None
        assert catalogue.facts is None
        assert "No anime catalogue at" in caplog.text
    finally:
        await catalogue.close()


async def test_queries_answer_not_ready_until_the_background_build_ends(catalogue_file):
    catalogue = AnimeCatalogue(catalogue_file)
    catalogue.start()  # returns at once: the index is built in another process
    try:
        assert await catalogue.search("clannad") is None
        assert await catalogue.wait_ready() is True
        found = await catalogue.search("clanad aftr story")
        assert found is not None and found[0].title == "Clannad: After Story"
        assert [a.title for a in await catalogue.exact("CLANNAD ~AFTER STORY~") or []] == ["Clannad: After Story"]
        anime = await catalogue.by_key("https://myanimelist.net/anime/4181")
        assert anime is not None and anime.title == "Clannad: After Story"
        assert catalogue.facts is not None and catalogue.facts.count == 51
        assert index_path(catalogue_file).is_file()
    finally:
        await catalogue.close()


async def test_a_changed_catalogue_file_gets_its_index_rebuilt(catalogue_file):
    first = AnimeCatalogue(catalogue_file)
    first.start()
    assert await first.wait_ready()
    await first.close()
    document = json.loads(catalogue_file.read_text(encoding="utf-8"))
    document["data"] = document["data"][:3]
    document["lastUpdate"] = "2026-12-05"
    catalogue_file.write_text(json.dumps(document), encoding="utf-8")
    second = AnimeCatalogue(catalogue_file)
    second.start()
    try:
        assert await second.wait_ready()
        assert second.facts is not None and (second.facts.count, second.facts.last_update) == (3, "2026-12-05")
    finally:
        await second.close()


async def test_a_broken_catalogue_is_logged_and_shows_stay_free_text(tmp_path, caplog):
    path = tmp_path / "anime-offline-database.json"
    path.write_text('{"data": [{"title": "x"}]}', encoding="utf-8")
    caplog.set_level(logging.INFO, "bot.anime_catalogue")
    catalogue = AnimeCatalogue(path)
    catalogue.start()
    try:
        assert await catalogue.wait_ready() is False
        assert await catalogue.search("x") is None
        assert "could not be indexed" in caplog.text and "data[0]: 'sources'" in caplog.text
    finally:
        await catalogue.close()


def test_the_catalogue_lives_beside_the_database_by_default(tmp_path):
    assert load_settings({}, require_token=False).catalogue.as_posix() == "anime-offline-database.json"
    beside = load_settings({"NAMIDA_DATABASE": str(tmp_path / "namida.db")}, require_token=False)
    assert beside.catalogue == tmp_path / "anime-offline-database.json"
    server = load_settings({"NAMIDA_DATABASE": "postgresql://namida@db/namida"}, require_token=False)
    assert server.catalogue.as_posix() == "data/anime-offline-database.json"
    chosen = load_settings({"NAMIDA_CATALOGUE": str(tmp_path / "cat.json")}, require_token=False)
    assert chosen.catalogue == tmp_path / "cat.json"


def replace_with_first(catalogue_file, count, last_update):
    """Swaps in a smaller release the way an update does: a new file renamed over the old one."""
    document = json.loads(catalogue_file.read_text(encoding="utf-8"))
    document["data"], document["lastUpdate"] = document["data"][:count], last_update
    fresh = catalogue_file.with_name("fresh.json")
    fresh.write_text(json.dumps(document), encoding="utf-8")
    fresh.replace(catalogue_file)


async def test_a_running_catalogue_switches_to_a_replaced_file(catalogue_file):
    catalogue = AnimeCatalogue(catalogue_file)
    catalogue.start()
    try:
        assert await catalogue.wait_ready()
        assert await catalogue.refresh() is False  # nothing changed: nothing rebuilt
        replace_with_first(catalogue_file, 3, "2026-12-05")
        assert [a.title for a in await catalogue.exact("Clannad: After Story") or []] == ["Clannad: After Story"]
        assert await catalogue.refresh() is True
        assert catalogue.facts is not None and (catalogue.facts.count, catalogue.facts.last_update) == (3, "2026-12-05")
        assert await catalogue.exact("Clannad: After Story") == []  # not in the first three entries
    finally:
        await catalogue.close()


async def test_a_broken_replacement_keeps_the_previous_catalogue_in_use(catalogue_file, caplog):
    catalogue = AnimeCatalogue(catalogue_file)
    catalogue.start()
    try:
        assert await catalogue.wait_ready()
        caplog.set_level(logging.INFO, "bot.anime_catalogue")
        catalogue_file.write_text('{"data": [{"title": "x"}]}', encoding="utf-8")
        assert await catalogue.refresh() is False
        assert "could not be indexed" in caplog.text and "the previous catalogue stays in use" in caplog.text
        assert catalogue.facts is not None and catalogue.facts.count == 51
        found = await catalogue.search("frieren")
        assert found is not None and found[0].title == "Sousou no Frieren"
        caplog.clear()
        assert await catalogue.refresh() is False  # the same broken file is not indexed again
        assert "Building the anime catalogue index" not in caplog.text
    finally:
        await catalogue.close()


async def test_a_catalogue_added_while_running_is_picked_up_by_the_periodic_check(tmp_path):
    path = tmp_path / "anime-offline-database.json"
    catalogue = AnimeCatalogue(path, check_seconds=0.05)
    catalogue.start()
    try:
        assert await catalogue.wait_ready() is False
        shutil.copyfile(FIXTURE, path)
        async with asyncio.timeout(60):  # a bound for a broken check, not a speed requirement
            while not catalogue.ready:  # noqa: ASYNC110 - the bot's own check is what is under test
                await asyncio.sleep(0.05)
        found = await catalogue.search("clanad aftr story")
        assert found is not None and found[0].title == "Clannad: After Story"
    finally:
        await catalogue.close()


async def test_closing_during_a_build_leaves_no_half_built_index(tmp_path):
    path = tmp_path / "anime-offline-database.json"
    path.write_text(json.dumps(generated_catalogue(20_000, seed=5), ensure_ascii=False), encoding="utf-8")
    catalogue = AnimeCatalogue(path)
    catalogue.start()
    async with asyncio.timeout(60):  # until the builder has started writing its copy
        while not list(tmp_path.glob("*.partial")):  # noqa: ASYNC110 - a file another process writes
            await asyncio.sleep(0.01)
    await catalogue.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
