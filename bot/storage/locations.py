"""Where the database is: a PostgreSQL URL, or else the path of a SQLite file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


def is_postgresql(database: str | Path) -> bool:
    return isinstance(database, str) and database.startswith(POSTGRESQL_SCHEMES)


def shown(database: str | Path) -> str:
    """The database for logs and messages: a URL's password never appears."""
    if not is_postgresql(database):
        return str(database)
    parts = urlsplit(str(database))
    if parts.password is None:
        return str(database)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
