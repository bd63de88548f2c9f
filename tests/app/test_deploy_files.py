"""The container and service files keep the promises the README makes for them. (No container
engine runs in the test environment: these read the files the way an operator reviews them.)"""

import configparser
import fnmatch
import json
import re

import yaml

from bot.settings import load_settings
from tests.app.test_packaging import SOURCES
from tests.conftest import REPO


def dockerfile() -> list[str]:
    text = (REPO / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def instructions(name: str) -> list[str]:
    return [line.split(None, 1)[1] for line in dockerfile() if line.split(None, 1)[0] == name]


def test_the_image_is_multi_stage_on_a_slim_python_and_runs_as_a_non_root_user():
    bases = instructions("FROM")
    assert len(bases) >= 2 and all(re.match(r"python:3\.1[1-9]-slim\b", base) for base in bases)
    final_stage = dockerfile()[max(i for i, line in enumerate(dockerfile()) if line.startswith("FROM")) :]
    users = [line.split()[1] for line in final_stage if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert "--from=build" in " ".join(instructions("COPY"))


def test_the_image_keeps_its_state_on_one_volume_and_checks_health_on_the_endpoint():
    assert instructions("VOLUME") == ['["/data"]']
    env = dict(re.findall(r"(\w+)=(\S+)", " ".join(instructions("ENV"))))
    assert env["NAMIDA_DATABASE"].startswith("/data/")
    program, *_ = healthcheck_command()
    assert program == "python"  # the base image's interpreter: the check needs nothing installed
    settings = load_settings({k: v for k, v in env.items() if k.startswith("NAMIDA_")}, require_token=False)
    assert settings.http_port == int(env["NAMIDA_HTTP_PORT"])  # the settings the image sets are valid


def healthcheck_command() -> list[str]:
    """The HEALTHCHECK's command, in exec form (tests/e2e/polls/test_operations.py runs it)."""
    (health,) = instructions("HEALTHCHECK")
    return json.loads(health.split(" CMD ", 1)[1])


def test_the_build_stage_copies_what_the_wheel_is_built_from_and_every_copy_exists():
    stage = [line.split()[1:] for line in dockerfile() if line.startswith("COPY ") and "--from=" not in line]
    sources = {source.rstrip("/") for *sources, _target in stage for source in sources}
    assert set(SOURCES) <= sources  # what tests/app/test_packaging.py builds the wheel from
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    for source in sources:
        assert (REPO / source).exists(), f"the Dockerfile copies {source}, which is not in the repository"
        assert not [p for p in ignored if fnmatch.fnmatch(source, p)], f".dockerignore leaves {source} out"


def test_the_image_installs_a_cjk_font_and_the_fast_extra():
    run = " ".join(instructions("RUN"))
    assert "fonts-noto-cjk" in run and "namida[fast]" in run


def test_compose_restarts_keeps_the_volume_and_bounds_the_logs():
    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    service = compose["services"]["namida"]
    assert service["restart"] in ("unless-stopped", "always", "on-failure")
    assert "namida-data:/data" in service["volumes"] and "namida-data" in compose["volumes"]
    assert service["logging"]["options"]["max-size"] and service["logging"]["options"]["max-file"]
    assert all(port.startswith("127.0.0.1:") for port in service.get("ports", []))  # metrics stay local


def test_compose_offers_postgresql_that_the_readme_url_reaches():
    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    postgres = compose["services"]["postgres"]
    assert postgres["profiles"] == ["postgresql"]  # SQLite stays the default: `docker compose up -d`
    assert postgres["restart"] in ("unless-stopped", "always", "on-failure")
    assert "postgres-data:/var/lib/postgresql/data" in postgres["volumes"] and "postgres-data" in compose["volumes"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert postgres["logging"]["options"]["max-size"]
    assert "ports" not in postgres  # reachable only from the compose network
    waits = compose["services"]["namida"]["depends_on"]["postgres"]
    assert waits == {"condition": "service_healthy", "required": False}
    user, database = postgres["environment"]["POSTGRES_USER"], postgres["environment"]["POSTGRES_DB"]
    url = f"postgresql://{user}:<the same password>@postgres:5432/{database}"
    assert url in (REPO / "compose.yaml").read_text(encoding="utf-8")
    assert load_settings({"NAMIDA_DATABASE": url.replace("<the same password>", "pw")}, require_token=False).database


def test_the_systemd_unit_restarts_on_failure_and_is_hardened():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(REPO / "docs" / "deploy" / "namida.service", encoding="utf-8")
    service = unit["Service"]
    assert service["Restart"] == "on-failure" and int(service["TimeoutStopSec"]) >= 10
    assert service["EnvironmentFile"] and service["User"] != "root"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert service["PrivateTmp"] == "yes"
    data = service["ReadWritePaths"]
    assert service["WorkingDirectory"] == data and f"NAMIDA_DATABASE={data}/" in service["Environment"]


def test_the_example_env_file_names_only_real_settings():
    names = re.findall(r"^#?\s*([A-Z_]+)=", (REPO / ".env.example").read_text(encoding="utf-8"), flags=re.MULTILINE)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "DISCORD_TOKEN" in names and all(f"| `{name}` |" in readme for name in names)


def test_the_systemd_units_install_commands_make_what_the_unit_uses():
    path = REPO / "docs" / "deploy" / "namida.service"
    commands = [line.removeprefix("#").strip() for line in path.read_text(encoding="utf-8").splitlines()[1:4]]
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(path, encoding="utf-8")
    service = unit["Service"]
    user, venv, env_file = commands
    assert f"--home-dir {service['ReadWritePaths']} --create-home {service['User']}" in user
    venv_dir = service["ExecStart"].removesuffix("/bin/namida")
    assert f"python3 -m venv {venv_dir} " in venv and f"{venv_dir}/bin/pip install" in venv
    assert " @ " not in venv  # pip takes a local checkout as a path, not as a `name @ path` requirement
    assert "install -D " in env_file and env_file.endswith(f" .env {service['EnvironmentFile']}")
