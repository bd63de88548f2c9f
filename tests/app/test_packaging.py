"""A plain (non-editable) install, as pipx or a container build makes it, carries everything Namida
reads at run time and works from any folder."""

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SHIPPED_LISTS
from tests.e2e.harness import TOKEN, discord_standin
from tests.e2e.surfaces import unhideable_texts

SOURCES = ("pyproject.toml", "README.md", "bot", "cogs", "data")


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> tuple[Path, str]:
    """The wheel, and what the build printed (verbose, so the build backend's warnings show)."""
    # Built from a copy: building in place would leave build/ and egg-info in the checkout.
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--verbose", "--no-deps", "--no-build-isolation", "-w", out, source],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (built,) = out.glob("namida-*.whl")
    return built, result.stdout + result.stderr


@pytest.fixture(scope="module")
def wheel(build) -> Path:
    return build[0]


def test_the_build_uses_nothing_the_build_backend_deprecates(build):
    # A container build gets the newest setuptools: what it deprecates today fails that build later.
    warned = [line.strip() for line in build[1].splitlines() if "DeprecationWarning" in line]
    assert not warned, f"fix pyproject.toml: {warned}"


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


def plain_install(wheel: Path, folder: Path) -> tuple[Path, dict[str, str]]:
    """The wheel installed into ``folder``/site (its dependencies are this environment's), an empty
    folder elsewhere to run it from, and an environment that imports that installed copy."""
    target = folder / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", target, wheel],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "NAMIDA_"))}
    env["PYTHONPATH"] = str(target)
    elsewhere = folder / "elsewhere"
    elsewhere.mkdir()
    return elsewhere, env


def test_namida_check_works_from_a_plain_install_in_any_folder(wheel, tmp_path):
    elsewhere, env = plain_install(wheel, tmp_path)
    target = tmp_path / "site"
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


# What `namida` runs, with discord.py pointed at the stand-in first (as standin/launch.py does, which
# is not part of the installed package).
RUN_INSTALLED = (
    "import sys, yarl, bot; print(bot.__file__, flush=True); "
    "from discord.gateway import DiscordWebSocket; from discord.http import Route; "
    "Route.BASE = sys.argv[1]; DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2]); "
    "from bot.__main__ import main; sys.exit(main([]))"
)


async def test_namida_runs_from_a_plain_install_in_any_folder(wheel, tmp_path):
    elsewhere, env = plain_install(wheel, tmp_path)
    env["DISCORD_TOKEN"] = TOKEN
    async with discord_standin() as discord:
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-c", RUN_INSTALLED, discord.api_base, discord.gateway_url),
            cwd=elsewhere,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await discord.wait_until_ready(timeout=60)
            shown = await discord.slash("entry", {"query": "10"}, user=discord.member("alice"), timeout=10)
        finally:
            process.send_signal(signal.SIGTERM)
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    assert stdout.decode().startswith(str(tmp_path / "site"))  # the installed copy, not the checkout
    assert "#10 · Madoka Magica" in unhideable_texts(shown.message)
    assert (elsewhere / "namida.db").exists()  # migrated from the package's own migration files
