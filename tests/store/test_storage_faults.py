"""Storage faults: a damaged file is refused at start-up; a read-only or full disk mid-operation
keeps nothing half-written and says so; backups are consistent while writes go on."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest

from bot.domain.guild_settings import GuildSettings
from bot.domain.nominations import Format, check_rules, make_draft
from bot.storage.backup import BackupError, backup_database
from bot.storage.database import StorageError, StorageUnavailable, Store
from bot.storage.nominations import NominationStore

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SETTINGS = GuildSettings(1, cooldown_seconds=0, max_open_nominations=25)


def draft(moment: str, top_list):
    return check_rules(make_draft("Clannad", moment, None, "What happens.", "Why.", Format.TV), top_list, SETTINGS)


async def rows(store: Store, table: str) -> int:
    return int(await store.fetch_value(f"SELECT count(*) FROM {table}"))


async def test_a_damaged_database_is_refused_at_start_up(tmp_path):
    path = tmp_path / "namida.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE filler (x TEXT)")
        db.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(200)])
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 600] = b"\xff" * 600  # scribble over a table page
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="restore your latest backup"):
        await Store.open(path)


@pytest.mark.parametrize("fault", ["PRAGMA query_only = ON", "PRAGMA max_page_count = 1"])
async def test_a_read_only_or_full_disk_mid_operation_keeps_nothing_half_written(tmp_path, top_list, fault):
    store = await Store.open(tmp_path / "namida.db")
    nominations = NominationStore(store)
    await nominations.add_nomination(1, top_list.id, 10, draft("First", top_list), SETTINGS, NOW)
    if "max_page_count" in fault:
        fault = f"PRAGMA max_page_count = {await store.fetch_value('PRAGMA page_count')}"
    await store.set_writer_pragma(fault)

    with pytest.raises(StorageUnavailable):
        for i in range(50):  # a full disk shows once the last free page is used
            await nominations.add_nomination(1, top_list.id, 10, draft(f"Moment {i}", top_list), SETTINGS, NOW)
    assert await rows(store, "nominations") == await rows(store, "nomination_events")
    assert (await nominations.by_number(1, 1)).moment.reveal() == "First"  # reading still works
    await store.set_writer_pragma("PRAGMA query_only = OFF")
    await store.set_writer_pragma("PRAGMA max_page_count = 1073741823")
    later = await nominations.add_nomination(1, top_list.id, 10, draft("After the fault", top_list), SETTINGS, NOW)
    assert later.moment.reveal() == "After the fault"
    await store.close()


async def test_backup_is_consistent_while_writes_go_on(tmp_path, top_list):
    store = await Store.open(tmp_path / "namida.db")
    nominations = NominationStore(store)

    async def keep_writing():
        for i in range(60):
            await nominations.add_nomination(1, top_list.id, 10 + i, draft(f"Moment {i}", top_list), SETTINGS, NOW)

    writer = asyncio.create_task(keep_writing())
    await asyncio.sleep(0.05)
    await asyncio.to_thread(backup_database, tmp_path / "namida.db", tmp_path / "copy.db")
    await writer
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = copy.execute("SELECT count(*) FROM nominations").fetchone()[0]
        events = copy.execute("SELECT count(*) FROM nomination_events").fetchone()[0]
    assert 0 < saved <= 60 and saved == events  # a consistent moment, never half a nomination
    restored = await Store.open(tmp_path / "copy.db")
    assert await restored.schema_version() == await store.schema_version()
    await restored.close()
    await store.close()


def test_backup_refuses_to_overwrite_the_database_or_write_nowhere(tmp_path):
    path = tmp_path / "namida.db"
    sqlite3.connect(path).close()
    with pytest.raises(BackupError, match="different file"):
        backup_database(path, path)
    with pytest.raises(BackupError, match="does not exist"):
        backup_database(path, tmp_path / "missing" / "copy.db")
    with pytest.raises(BackupError, match="no database"):
        backup_database(tmp_path / "nope.db", tmp_path / "copy.db")
