"""``python -m bot backup PATH``: a consistent copy of the database, even while the bot runs.

SQLite's online backup API copies pages under a read transaction, so a running bot keeps
writing (WAL) while the copy is made; the copy is checked before it replaces anything."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from bot.domain.errors import NamidaError
from bot.storage.locations import is_postgresql

USE_PG_DUMP = (
    "NAMIDA_DATABASE is a PostgreSQL database, which `namida backup` does not copy: back it up with "
    'PostgreSQL\'s own pg_dump (for example `pg_dump --format=custom --file=namida.dump "$NAMIDA_DATABASE"`).'
)


class BackupError(NamidaError):
    pass


def backup_database(source: Path | str, target: Path) -> int:
    """Copies ``source`` to ``target`` (atomically replaced); returns the copy's size in bytes."""
    if is_postgresql(source):
        raise BackupError(USE_PG_DUMP)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no database at {source} to back up (check NAMIDA_DATABASE).")
    if target.resolve() == source.resolve():
        raise BackupError("The backup must go to a different file than the database itself.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as origin, sqlite3.connect(partial) as copy:
            origin.backup(copy, pages=1024)
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"The copy did not pass SQLite's integrity check ({verdict}); nothing was replaced.")
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise BackupError(f"The backup failed ({error}); nothing was replaced.") from error
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size
