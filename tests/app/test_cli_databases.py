"""``namida check`` and ``namida backup`` name the database engine: the server version and schema
version on PostgreSQL, and ``pg_dump`` for its backups."""

from __future__ import annotations

from bot.storage.migrator import POSTGRESQL_MIGRATIONS_DIR, load_migrations
from tests.app.test_cli import run_cli
from tests.pg_server import SHARED


def test_check_reports_a_sqlite_file_it_has_not_created_yet(tmp_path):
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Database: SQLite at namida.db (not created yet: Namida creates it at start-up)" in result.stdout
    assert not (tmp_path / "namida.db").exists()


def test_check_reports_postgresql_its_version_and_the_schema_version(postgresql_server, tmp_path):
    url = postgresql_server.url(SHARED)
    result = run_cli("check", env={"NAMIDA_DATABASE": url}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    newest = len(load_migrations(POSTGRESQL_MIGRATIONS_DIR))
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("Database:")]
    assert line.startswith("Database: PostgreSQL 1") and line.endswith(f"at {url}, schema version {newest}")


def test_check_with_an_unreachable_postgresql_fails_with_a_sentence_hiding_the_password(tmp_path):
    url = f"postgresql://namida:s3cret-pass@/namida?host={tmp_path}"
    result = run_cli("check", env={"NAMIDA_DATABASE": url}, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("namida: Cannot connect to the PostgreSQL database postgresql://namida:***@")
    assert "s3cret-pass" not in result.stderr + result.stdout and "Traceback" not in result.stderr


def test_backup_of_postgresql_says_to_use_pg_dump_and_writes_nothing(tmp_path):
    url = "postgres://namida@db.example/namida"
    result = run_cli("backup", str(tmp_path / "copy.db"), env={"NAMIDA_DATABASE": url}, cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "pg_dump" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "copy.db").exists()
