"""A plain (non-editable) install, as pipx or a container build makes it, carries everything Namida
reads at run time and works from any folder."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SHIPPED_LISTS

SOURCES = ("pyproject.toml", "README.md", "bot", "cogs", "data")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Built from a copy: building in place would leave build/ and egg-info in the checkout.
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", out, source],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("namida-*.whl")
    return built


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_carries_the_shipped_lists_and_every_migration(wheel):
    names = wheel_names(wheel)
    for path in SHIPPED_LISTS.glob("*.yaml"):
        assert f"bot/shipped_lists/{path.name}" in names
    for engine in ("sqlite", "postgresql"):
        shipped = list((REPO / "bot" / "storage" / "migrations" / engine).glob("*.sql"))
        assert shipped
        for path in shipped:
            assert f"bot/storage/migrations/{engine}/{path.name}" in names


def test_the_wheel_carries_every_python_module(wheel):
    names = wheel_names(wheel)
    missing = [
        str(path.relative_to(REPO))
        for top in ("bot", "cogs")
        for path in (REPO / top).rglob("*.py")
        if str(path.relative_to(REPO)) not in names
    ]
    assert not missing, f"add their packages to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_namida_check_works_from_a_plain_install_in_any_folder(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", target, wheel],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "NAMIDA_"))}
    env["PYTHONPATH"] = str(target)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import bot, sys; print(bot.__file__); sys.argv = ['namida', 'check']; "
            "from bot.__main__ import main; sys.exit(main())",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=elsewhere,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(str(target))  # the installed copy, not the checkout
    assert "OK: 1 list(s), 16 entries" in result.stdout
