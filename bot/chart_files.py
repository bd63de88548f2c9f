"""Kept charts: a closed poll's chart, drawn once, as a file in a ``charts`` folder in Namida's
data folder (beside the database file, or the data folder when the database is a server). The
file is named for the close it shows, so a reopened poll's next close is drawn anew; files are
read and written off the event loop, and written whole (a temporary file renamed into place), so
a reader never sees half a chart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)
FOLDER_NAME = "charts"


def charts_folder(catalogue: Path) -> Path:
    """Beside the anime catalogue file: Namida's data folder (by default beside the database
    file, or the data folder when the database is a server; see bot/settings.py)."""
    return catalogue.parent / FOLDER_NAME


class KeptCharts:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_of(self, poll_id: int, closed_at: datetime) -> Path:
        return self.folder / f"poll-{int(poll_id)}-closed-{int(closed_at.timestamp() * 1_000_000)}.png"

    async def kept(self, poll_id: int, closed_at: datetime) -> bytes | None:
        """The chart drawn for this close of the poll; None before it is drawn, or after a reopen."""
        path = self.path_of(poll_id, closed_at)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("Could not read the kept chart %s: %s", path.name, error)
            return None

    async def keep(self, poll_id: int, closed_at: datetime, png: bytes) -> None:
        try:
            await asyncio.to_thread(self._write, poll_id, self.path_of(poll_id, closed_at), png)
        except OSError as error:  # the chart still goes out; it is drawn again next time
            log.warning("Could not keep the chart of poll %s: %s", poll_id, error)

    def _write(self, poll_id: int, path: Path, png: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        partial.write_bytes(png)
        os.replace(partial, path)
        for older in self.folder.glob(f"poll-{int(poll_id)}-closed-*.png"):
            if older != path:  # an earlier close of a reopened poll
                with contextlib.suppress(OSError):
                    older.unlink()
