"""Numbered, append-only ``.sql`` migrations, one folder per engine with the same numbers. The
schema version is ``PRAGMA user_version`` on SQLite and the ``schema_version`` table on PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.domain.errors import NamidaError

MIGRATIONS_DIR = Path(str(resources.files("bot.storage") / "migrations" / "sqlite"))
POSTGRESQL_MIGRATIONS_DIR = MIGRATIONS_DIR.parent / "postgresql"
_FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(NamidaError):
    """The database cannot be brought to the schema this code expects."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    def script(self) -> str:
        """The migration and its version bump in one transaction (executescript would otherwise
        commit between statements, so BEGIN and COMMIT are part of the script itself)."""
        return f"BEGIN IMMEDIATE;\n{self.sql}\n;PRAGMA user_version = {self.version};\nCOMMIT;"


def load_migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(folder.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if not match:
            raise MigrationError(f"migration file {path.name} must be named like 0001_name.sql")
        migrations.append(Migration(int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError(f"migrations must be numbered 1, 2, 3… without gaps (found {versions})")
    return migrations
