"""``namida catalogue update`` against a local HTTP server: only a whole, valid file replaces the old one."""

import json
import os
import pty
import stat
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.storage.anime_index import AnimeIndex, index_path, stamp
from tests.app.test_cli import run_cli
from tests.conftest import REPO
from tests.domain.test_anime import FIXTURE

GOOD = FIXTURE.read_bytes()
OLD = json.dumps({"lastUpdate": "2026-01-01", "data": json.loads(GOOD)["data"][:2]}).encode()


class Release(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/missing.json":
            self.send_error(404, "Not Found")
            return
        if self.path == "/cut-off.json":  # the connection drops before the promised length
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD)))
            self.end_headers()
            self.wfile.write(GOOD[: len(GOOD) // 2])
            self.close_connection = True
            return
        body = {
            "/good.json": GOOD,
            "/truncated.json": GOOD[: len(GOOD) // 2],  # a truncated file, served as if whole
            "/page.html": b"<html><body>Moved</body></html>",
            "/not-a-catalogue.json": b'{"data": [{"title": "Clannad"}]}',
        }[self.path]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Release)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def target(tmp_path):
    path = tmp_path / "anime-offline-database.json"
    path.write_bytes(OLD)
    return path


def update(server, target, name):
    return run_cli("catalogue", "update", "--url", f"{server}/{name}", env={"NAMIDA_CATALOGUE": str(target)})


def test_a_good_release_replaces_the_file_and_is_indexed(server, target):
    result = update(server, target, "good.json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Updated {target}: 51 entries, last updated 2026-11-28;")
    assert target.read_bytes() == GOOD
    index = AnimeIndex(index_path(target))
    try:
        assert index.facts.count == 51 and index.search("frieren")[0].title == "Sousou no Frieren"
        assert index.stamp == stamp(target)  # a running bot finds the index ready: nothing to rebuild
    finally:
        index.close()
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask  # not a temporary file's 0600
    assert "a running Namida switches to it within a minute" in result.stdout
    assert result.stderr == ""  # no progress line when stderr is not a terminal
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".download")] == []


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("missing.json", "failed with HTTP 404 Not Found"),
        ("truncated.json", "is not a JSON file (a truncated download?)"),
        ("cut-off.json", "stopped before the end of the file"),
        ("page.html", "is not a JSON file"),
        ("not-a-catalogue.json", "is not an anime-offline-database catalogue (data[0]: 'sources' must be"),
    ],
)
def test_a_failed_or_broken_download_leaves_the_old_file(server, target, name, sentence):
    result = update(server, target, name)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("namida: ") and sentence in lines[0], result.stderr
    assert lines[0].endswith(f"; {target} is unchanged.")
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no partial file left behind


def test_an_unreachable_server_is_one_sentence(target):
    result = run_cli("catalogue", "update", "--url", "http://127.0.0.1:9/x.json", env={"NAMIDA_CATALOGUE": str(target)})
    assert result.returncode == 1 and "failed (" in result.stderr and "Traceback" not in result.stderr
    assert target.read_bytes() == OLD


def test_progress_is_drawn_on_a_terminal_stream(server, target):
    import io

    from bot.catalogue_file import update_catalogue

    terminal = io.StringIO()
    parsed = update_catalogue(target, f"{server}/good.json", terminal)
    assert len(parsed.anime) == 51
    drawn = terminal.getvalue()
    assert drawn.startswith("\rDownloading the catalogue: ") and drawn.endswith("MB (100 %)\n")


def test_an_index_that_cannot_be_written_leaves_the_old_file(server, target):
    index_path(target).mkdir()  # something in the way of the index: the swap fails
    result = update(server, target, "good.json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"namida: The new catalogue could not be saved beside {target} (")
    assert lines[0].endswith(f"; {target} is unchanged.")
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in target.parent.iterdir()) == sorted([target.name, index_path(target).name])


def test_a_folder_that_cannot_be_written_is_one_sentence(server, target):
    target.parent.chmod(0o500)
    try:
        if os.access(target.parent, os.W_OK):
            pytest.skip("running as a user that can write anywhere")
        result = update(server, target, "good.json")
    finally:
        target.parent.chmod(0o700)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"namida: The catalogue cannot be written in {target.parent} (Permission denied)."
    assert target.read_bytes() == OLD


def test_the_command_draws_progress_when_its_stderr_is_a_terminal(server, target):
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "NAMIDA_"))}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "catalogue", "update", "--url", f"{server}/good.json"],
            stdout=subprocess.PIPE, stderr=follower, env=env | {"NAMIDA_CATALOGUE": str(target)}, cwd=REPO,
            timeout=60, check=False,
        )  # fmt: skip
        os.close(follower)
        drawn = b""
        while chunk := _read_or_nothing(leader):
            drawn += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0 and target.read_bytes() == GOOD
    assert b"\rDownloading the catalogue: " in drawn and b"MB (100 %)" in drawn


def _read_or_nothing(fd: int) -> bytes:
    try:
        return os.read(fd, 4096)
    except OSError:  # the terminal's other end is closed: everything was read
        return b""


def test_a_missing_data_folder_is_created(server, tmp_path):
    """With a PostgreSQL database the catalogue's default home is a data folder that may not exist yet."""
    env = {"NAMIDA_DATABASE": "postgresql://namida@db.invalid/namida"}
    result = run_cli("catalogue", "update", "--url", f"{server}/good.json", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "anime-offline-database.json").read_bytes() == GOOD
