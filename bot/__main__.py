"""Command line: ``python -m bot`` runs Namida; ``python -m bot check`` validates offline."""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import os
import sys
from pathlib import Path

from bot.domain.catalog import Catalog
from bot.domain.errors import CatalogError, NamidaError
from bot.domain.list_files import load_catalog
from bot.logs import setup_logging
from bot.settings import SettingsError, load_settings, read_environment


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="namida", description="Namida, a spoiler-safe anime list bot for Discord.")
    parser.add_argument("--sync", action="store_true", help="sync slash commands even if they look unchanged")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the default)")
    sub.add_parser("check", help="validate the settings and every list file, offline, without a token")
    backup = sub.add_parser("backup", help="write a consistent copy of the database (safe while the bot runs)")
    backup.add_argument("path", type=Path, help="where to write the copy")
    migrate = sub.add_parser("migrate", help="copy the SQLite database into an empty PostgreSQL database")
    migrate.add_argument("--to", required=True, metavar="URL", help="the PostgreSQL database (postgresql://…)")
    migrate.add_argument("--from", dest="source", type=Path, help="the SQLite file (default: NAMIDA_DATABASE)")
    catalogue = sub.add_parser("catalogue", help="the anime catalogue behind show matching")
    catalogue_sub = catalogue.add_subparsers(dest="catalogue_command", required=True)
    update = catalogue_sub.add_parser("update", help="download the latest catalogue release, check it and index it")
    update.add_argument("--url", help="where to download it from (default: the project's latest release)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    faulthandler.enable()  # a native crash (a C extension, the SQLite thread) still leaves a stack trace
    args = parse_args(sys.argv[1:] if argv is None else argv)
    env = read_environment(os.environ)
    if args.command == "check":
        return check(env)
    if args.command == "backup":
        return backup(env, args.path)
    if args.command == "migrate":
        return migrate_database(env, args.source, args.to)
    if args.command == "catalogue":
        return update_catalogue(env, args.url)
    try:
        settings = load_settings(env)
        setup_logging(settings.log_level, [settings.token or ""], settings.log_format)
        from bot.runner import run, run_event_loop  # discord.py is imported only when the bot really runs

        run_event_loop(run(settings, force_sync=args.sync))
    except CatalogError as error:
        return _fail("the list files have problems:\n" + str(error))
    except NamidaError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        pass
    return 0


def check(env: dict[str, str]) -> int:
    try:
        settings = load_settings(env, require_token=False)
        catalog = load_catalog(settings.lists_dir)
    except SettingsError as error:
        return _fail(str(error))
    except CatalogError as error:
        print(
            f"namida: {len(error.problems)} problem(s) in {env.get('NAMIDA_LISTS') or 'the shipped lists'}:",
            file=sys.stderr,
        )
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    for top_list in catalog.lists:
        print(
            f"{top_list.id}: {top_list.title} — {len(top_list.ranked)} ranked entries, "
            f"{len(top_list.honorable)} honorable mentions"
        )
    try:
        line, unknown = _catalogue_check(settings.catalogue, catalog)
    except NamidaError as error:  # a broken catalogue: one sentence naming the file
        return _fail(str(error))
    print(line)
    if unknown:
        print(f"namida: {len(unknown)} list entries name a show the catalogue doesn't have:", file=sys.stderr)
        for missing in unknown:
            print(f"  {missing}", file=sys.stderr)
        return 1
    try:
        database = _database_line(settings.database)
    except NamidaError as error:  # unreachable server, unusable file: one sentence
        return _fail(str(error))
    token = "set" if settings.token else "not set (needed to run, not to check)"
    print(f"OK: {len(catalog.lists)} list(s), {catalog.entry_count} entries; DISCORD_TOKEN {token}")
    print(f"Database: {database}")
    print(f"Gateway: {settings.shards.describe()}")
    print(f"Health and metrics: {_endpoints_line(settings.http_host, settings.http_port)}")
    return 0


def _endpoints_line(host: str, port: int | None) -> str:
    if port is None:
        return "off (set NAMIDA_HTTP_PORT to serve /healthz and /metrics)"
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL
    return f"http://{shown}:{port}/healthz and /metrics"


def _database_line(database: Path | str) -> str:
    from bot.storage.opening import describe_for_check

    return asyncio.run(describe_for_check(database))


def _catalogue_check(path: Path, catalog: Catalog) -> tuple[str, list[str]]:
    """What ``check`` says about the catalogue (a missing one is a note, not a problem), and the
    list entries whose ``catalogue:`` key names no show in it, each naming the file, entry and key."""
    from bot.catalogue_file import read_catalogue

    if not path.exists():
        note = f"Catalogue: none at {path} (optional: `namida catalogue update` downloads it; shows stay free text)"
        return note, []
    parsed = read_catalogue(path)
    known = {url for anime in parsed.anime for url in anime.sources}
    unknown = [
        f"{top_list.id}.yaml: {entry.handle}: catalogue: '{entry.catalogue}' is not a source URL of any show in {path}"
        for top_list in catalog.lists
        for entry in top_list.entries
        if entry.catalogue and entry.catalogue not in known
    ]
    return f"Catalogue: {path} — {len(parsed.anime):,} entries, last updated {parsed.last_update}", unknown


def backup(env: dict[str, str], path: Path) -> int:
    from bot.storage.backup import backup_database

    try:
        settings = load_settings(env, require_token=False)
        size = backup_database(settings.database, path)
    except NamidaError as error:
        return _fail(str(error))
    print(f"Backed up {settings.database} to {path} ({size:,} bytes).")
    return 0


def migrate_database(env: dict[str, str], source: Path | None, target: str) -> int:
    from bot.storage.transfer import migrate_to_postgresql

    try:
        if source is None:
            database = load_settings(env, require_token=False).database
            if not isinstance(database, Path):
                return _fail("NAMIDA_DATABASE is already a PostgreSQL URL: name the SQLite file with --from.")
            source = database
        transfer = asyncio.run(migrate_to_postgresql(source, target, lambda line: print(line, file=sys.stderr)))
    except NamidaError as error:
        return _fail(str(error))
    print("\n".join(transfer.report()))
    return 0


def update_catalogue(env: dict[str, str], url: str | None) -> int:
    from bot.catalogue_file import DEFAULT_URL, update_catalogue

    try:
        settings = load_settings(env, require_token=False)
        progress = sys.stderr if sys.stderr.isatty() else None  # no redrawn lines in logs or pipes
        parsed = update_catalogue(settings.catalogue, url or DEFAULT_URL, progress)
    except NamidaError as error:
        return _fail(str(error))
    print(
        f"Updated {settings.catalogue}: {len(parsed.anime):,} entries, last updated {parsed.last_update}; "
        "a running Namida uses it after a restart."
    )
    return 0


def _fail(message: str) -> int:
    print(f"namida: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
