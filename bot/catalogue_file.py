"""The catalogue file on disk: ``namida check`` reads it, ``namida catalogue update`` replaces it.

An update's old file stays in place until the new one has been read, parsed and validated whole; the swap is
one ``os.replace`` within a folder, so a reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import http.client
import json
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import BinaryIO, TextIO

from bot import __version__
from bot.domain.anime import CatalogueFile, CatalogueProblem, parse_catalogue
from bot.domain.errors import NamidaError
from bot.storage.anime_index import build, index_path, stamp

DEFAULT_URL = (
    "https://github.com/manami-project/anime-offline-database/releases/latest/download/"
    "anime-offline-database-minified.json"
)
CHUNK = 256 * 1024
TIMEOUT_SECONDS = 60


class UpdateFailed(NamidaError):
    """The download or its content was unusable; one sentence, the old file untouched."""


class CatalogueUnreadable(NamidaError):
    """The catalogue file exists but is not a usable catalogue; one sentence naming the file."""


def read_catalogue(path: Path) -> CatalogueFile:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise CatalogueUnreadable(f"The catalogue {path} cannot be read ({error.strerror}).") from None
    try:
        return parse_catalogue(json.loads(content))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CatalogueUnreadable(f"The catalogue {path} is not a JSON file ({error}).") from None
    except CatalogueProblem as problem:
        raise CatalogueUnreadable(
            f"The catalogue {path} is not an anime-offline-database catalogue: {problem}."
        ) from None


def update_catalogue(target: Path, url: str = DEFAULT_URL, progress: TextIO | None = None) -> CatalogueFile:
    """Downloads ``url`` into ``target`` with its search index; ``progress`` (a terminal) gets a line
    redrawn as bytes arrive. The index is built first and the file swapped in last, so a running bot
    that notices the new file finds its index ready (a rename keeps the size and time it is keyed by)."""
    unchanged = f"{target} is unchanged"
    try:
        # Its default folder may not exist yet (the data folder, with a PostgreSQL database).
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, partial_name = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".", suffix=".download")
    except OSError as error:
        raise UpdateFailed(f"The catalogue cannot be written in {target.parent} ({error.strerror}).") from None
    partial = Path(partial_name)
    try:
        with os.fdopen(handle, "wb") as out:
            _download(url, out, progress, unchanged)
        parsed = _validated(partial.read_bytes(), url, unchanged)
        _readable_like_a_new_file(partial)
        try:
            build(parsed, stamp(partial), index_path(target))
            os.replace(partial, target)
        except OSError as error:  # IndexUnwritable included
            saved = f"The new catalogue could not be saved beside {target} ({error})"
            raise UpdateFailed(f"{saved}; {unchanged}.") from None
    finally:
        partial.unlink(missing_ok=True)
    return parsed


def _readable_like_a_new_file(path: Path) -> None:
    """A temporary file is private (0600); the catalogue gets the usual permissions of a new file."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _download(url: str, out: BinaryIO, progress: TextIO | None, unchanged: str) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": f"Namida/{__version__}"})
    expected = received = 0
    cut_off = UpdateFailed(f"The download from {url} stopped before the end of the file; {unchanged}.")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            expected = int(response.headers.get("Content-Length") or 0)
            while chunk := response.read(CHUNK):
                out.write(chunk)
                received += len(chunk)
                if progress is not None:
                    progress.write("\r" + _progress_line(received, expected))
                    progress.flush()
    except urllib.error.HTTPError as error:
        raise UpdateFailed(
            f"The download from {url} failed with HTTP {error.code} {error.reason}; {unchanged}."
        ) from None
    except http.client.IncompleteRead:
        raise cut_off from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise UpdateFailed(f"The download from {url} failed ({reason}); {unchanged}.") from None
    finally:
        if progress is not None:
            progress.write("\n")
    if expected and received != expected:
        raise cut_off


def _progress_line(received: int, expected: int) -> str:
    if expected:
        percent = received * 100 // expected
        return f"Downloading the catalogue: {received / 1e6:.1f} of {expected / 1e6:.1f} MB ({percent} %)"
    return f"Downloading the catalogue: {received / 1e6:.1f} MB"


def _validated(content: bytes, url: str, unchanged: str) -> CatalogueFile:
    try:
        return parse_catalogue(json.loads(content))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise UpdateFailed(f"What {url} sent is not a JSON file (a truncated download?); {unchanged}.") from None
    except CatalogueProblem as problem:
        raise UpdateFailed(
            f"What {url} sent is not an anime-offline-database catalogue ({problem}); {unchanged}."
        ) from None
