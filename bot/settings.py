"""Settings from the environment (and an optional ``.env`` file), validated once at start-up."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dotenv import dotenv_values

from bot.domain.errors import NamidaError
from bot.shards import Shards, ShardSettingError, load_shards
from bot.storage.locations import is_postgresql, shown

# Package data (data/lists in the source tree), so a plain `pip install` finds it from any folder.
SHIPPED_LISTS = Path(str(resources.files("bot.shipped_lists")))
TOKEN_HELP = (
    "create an application at https://discord.com/developers/applications, open Bot, "
    "press Reset Token and put the token in DISCORD_TOKEN (or in a .env file)"
)
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{16,}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
ANSWER_CLIENTS = ("auto", "pyreqwest", "aiohttp")  # see bot/answer_clients.py
CATALOGUE_NAME = "anime-offline-database.json"
SERVER_DATA_DIR = Path("data")  # the catalogue's home when the database is a server, not a file


class SettingsError(NamidaError):
    """A missing or malformed setting; the message is one sentence naming the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None
    database: Path | str  # a SQLite file, or a PostgreSQL URL (str)
    lists_dir: Path
    dev_guild: int | None
    log_level: str
    log_format: str = "text"
    http_host: str = "127.0.0.1"
    http_port: int | None = None  # the health and metrics endpoints are off unless a port is set
    answer_client: str = "auto"
    catalogue: Path = Path(CATALOGUE_NAME)  # the anime-offline-database file; optional
    shards: Shards = field(default_factory=Shards)

    def __repr__(self) -> str:  # the token must never reach a log line or traceback
        return (
            f"Settings(token={'set' if self.token else 'unset'}, database={shown(self.database)}, "
            f"lists_dir={self.lists_dir}, dev_guild={self.dev_guild}, log_level={self.log_level}, "
            f"log_format={self.log_format}, http={self.http_host}:{self.http_port}, "
            f"answer_client={self.answer_client}, catalogue={self.catalogue}, shards={self.shards.describe()})"
        )


def read_environment(environ: Mapping[str, str], env_file: Path | None = Path(".env")) -> dict[str, str]:
    """The process environment over the ``.env`` file: a variable set in the shell wins."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(environ)
    return values


def load_settings(env: Mapping[str, str], *, require_token: bool = True) -> Settings:
    database = env.get("NAMIDA_DATABASE", "").strip() or "namida.db"
    return Settings(
        token=_token(env.get("DISCORD_TOKEN", "").strip(), require_token),
        database=database if is_postgresql(database) else Path(database),
        lists_dir=_lists_dir(env.get("NAMIDA_LISTS", "").strip()),
        dev_guild=_guild(env.get("NAMIDA_DEV_GUILD", "").strip()),
        log_level=_log_level(env.get("NAMIDA_LOG_LEVEL", "").strip()),
        log_format=_choice("NAMIDA_LOG_FORMAT", env.get("NAMIDA_LOG_FORMAT", "").strip().lower(), LOG_FORMATS),
        http_host=env.get("NAMIDA_HTTP_HOST", "").strip() or "127.0.0.1",
        http_port=_port(env.get("NAMIDA_HTTP_PORT", "").strip()),
        answer_client=_choice(
            "NAMIDA_ANSWER_CLIENT", env.get("NAMIDA_ANSWER_CLIENT", "").strip().lower(), ANSWER_CLIENTS
        ),
        catalogue=_catalogue(env.get("NAMIDA_CATALOGUE", "").strip(), database),
        shards=_shards(env.get("NAMIDA_SHARD_COUNT", "").strip(), env.get("NAMIDA_SHARDS", "").strip()),
    )


def _catalogue(raw: str, database: str) -> Path:
    """Beside the database file by default; a database server has no "beside", so then the
    working directory's data folder."""
    if raw:
        return Path(raw)
    if is_postgresql(database):
        return SERVER_DATA_DIR / CATALOGUE_NAME
    return Path(database).parent / CATALOGUE_NAME


def _shards(count_raw: str, ids_raw: str) -> Shards:
    try:
        return load_shards(count_raw, ids_raw)
    except ShardSettingError as error:
        raise SettingsError(str(error)) from None


def _token(token: str, required: bool) -> str | None:
    if not token:
        if required:
            raise SettingsError(f"DISCORD_TOKEN is not set: {TOKEN_HELP}.")
        return None
    if token.lower().startswith("bot "):
        raise SettingsError("DISCORD_TOKEN should be the token alone, without the 'Bot ' prefix.")
    if not _TOKEN_SHAPE.match(token):
        raise SettingsError(
            f"DISCORD_TOKEN does not look like a bot token (three dot-separated parts); copy it again: {TOKEN_HELP}."
        )
    return token


def _lists_dir(raw: str) -> Path:
    folder = Path(raw) if raw else SHIPPED_LISTS
    if not folder.is_dir():
        raise SettingsError(
            f"NAMIDA_LISTS points to {folder}, which is not a folder; set it to a folder of list files."
        )
    return folder


def _guild(raw: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or not 17 <= len(raw) <= 20:
        raise SettingsError(
            "NAMIDA_DEV_GUILD must be a server id (17 to 20 digits; right-click the server with "
            "Developer Mode on and choose Copy Server ID), or left unset."
        )
    return int(raw)


def _log_level(raw: str) -> str:
    level = (raw or "INFO").upper()
    if level not in _LOG_LEVELS:
        raise SettingsError(f"NAMIDA_LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)} (got {raw!r}).")
    return level


def _choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    if not raw:
        return choices[0]
    if raw not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)} (got {raw!r}).")
    return raw


def _port(raw: str) -> int | None:
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 65535:
        raise SettingsError(f"NAMIDA_HTTP_PORT must be a port number from 1 to 65535, or left unset (got {raw!r}).")
    return int(raw)
