"""``python -m bot`` as a server owner runs it: clear sentences, never a traceback."""

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO


def run_cli(*args, env=None, cwd=None):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "NAMIDA_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=base | (env or {}),
        cwd=cwd or REPO,
    )


def test_check_validates_the_shipped_list_offline_without_a_token(tmp_path):
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "10 ranked entries, 6 honorable mentions" in result.stdout
    assert "OK: 1 list(s), 16 entries" in result.stdout


def test_check_says_where_health_and_metrics_are_served(tmp_path):
    assert "Health and metrics: off (set NAMIDA_HTTP_PORT" in run_cli("check", cwd=tmp_path).stdout
    served = run_cli("check", env={"NAMIDA_HTTP_PORT": "9100", "NAMIDA_HTTP_HOST": "0.0.0.0"}, cwd=tmp_path)
    assert "Health and metrics: http://0.0.0.0:9100/healthz and /metrics" in served.stdout
    refused = run_cli("check", env={"NAMIDA_HTTP_PORT": "http"}, cwd=tmp_path)
    assert refused.returncode == 1 and "NAMIDA_HTTP_PORT must be a port number" in refused.stderr


def test_check_names_file_entry_and_key_and_fails(lists_copy, tmp_path):
    path = lists_copy / "top10-sad-anime-moments.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("why_it_hits:", "why_it_hurts:", 1), encoding="utf-8")
    result = run_cli("check", env={"NAMIDA_LISTS": str(lists_copy)}, cwd=tmp_path)
    assert result.returncode == 1
    assert "top10-sad-anime-moments.yaml: ranked[0] (Madoka Magica), key 'why_it_hurts'" in result.stderr
    assert "key 'why_it_hits': is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_running_without_a_token_says_where_to_get_one(tmp_path):
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("namida: DISCORD_TOKEN is not set")
    assert "discord.com/developers/applications" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "namida.db").exists()


def test_a_newer_database_is_refused_with_a_sentence(tmp_path):
    import sqlite3

    with sqlite3.connect(tmp_path / "namida.db") as db:
        db.execute("PRAGMA user_version = 99")
    token = "MTAwMDAwMDAwMDAwMDAwMDAx.GaBcDe.abcdefghijklmnopqrstuvwxyz012345"
    result = run_cli(env={"DISCORD_TOKEN": token}, cwd=tmp_path)
    assert result.returncode == 1
    assert "newer than this Namida knows" in result.stderr
    assert "Traceback" not in result.stderr
    assert token not in result.stderr


def test_backup_command_writes_a_checked_copy(tmp_path):
    import sqlite3

    with sqlite3.connect(tmp_path / "namida.db") as db:
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (42)")
    result = run_cli("backup", str(tmp_path / "copy.db"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Backed up namida.db to ")
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("SELECT x FROM t").fetchone() == (42,)


def test_backup_without_a_database_says_so(tmp_path):
    result = run_cli("backup", str(tmp_path / "copy.db"), cwd=tmp_path)
    assert result.returncode == 1 and "There is no database at namida.db" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_damaged_database_stops_start_up_with_a_sentence(tmp_path):
    (tmp_path / "namida.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    token = "MTAwMDAwMDAwMDAwMDAwMDAx.GaBcDe.abcdefghijklmnopqrstuvwxyz012345"
    result = run_cli(env={"DISCORD_TOKEN": token}, cwd=tmp_path)
    assert result.returncode == 1
    assert "namida.db" in result.stderr and "Traceback" not in result.stderr
    assert "backup" in result.stderr


def test_a_read_only_database_stops_start_up_with_a_sentence(tmp_path):
    import shutil
    import subprocess

    path = tmp_path / "namida.db"
    path.write_bytes(b"")
    # As root, permissions don't stop writes; the immutable attribute does (where the filesystem has it).
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("this filesystem cannot make a file immutable")
    try:
        token = "MTAwMDAwMDAwMDAwMDAwMDAx.GaBcDe.abcdefghijklmnopqrstuvwxyz012345"
        result = run_cli(env={"DISCORD_TOKEN": token}, cwd=tmp_path)
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)
    assert result.returncode == 1
    assert "can't be written (a read-only file or folder)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_native_crash_leaves_a_stack_trace(tmp_path):
    # What an operator finds in the log after a segfault in a C extension: Python's fault handler
    # report naming the crashed thread, instead of a silent exit. (Nothing here enables it but Namida.)
    crash = "import ctypes; from bot.__main__ import main; main(['check']); ctypes.string_at(0)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "NAMIDA_", "PYTHONFAULTHANDLER"))}
    result = subprocess.run(
        [sys.executable, "-c", crash], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path
    )
    assert result.returncode != 0
    assert "Fatal Python error: Segmentation fault" in result.stderr
    assert 'File "<string>", line 1 in <module>' in result.stderr
