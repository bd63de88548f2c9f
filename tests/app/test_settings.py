"""Settings: each missing or malformed one ends with one sentence naming the variable."""

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings, read_environment

TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GaBcDe.abcdefghijklmnopqrstuvwxyz012345"


def test_defaults(tmp_path):
    settings = load_settings({"DISCORD_TOKEN": TOKEN})
    assert settings.database.name == "namida.db"
    assert settings.lists_dir.name == "lists" and settings.lists_dir.is_dir()
    assert settings.dev_guild is None and settings.log_level == "INFO"
    assert settings.log_format == "text" and settings.answer_client == "auto"
    assert settings.http_port is None and settings.http_host == "127.0.0.1"  # no endpoint unless asked


def test_the_health_endpoint_and_json_logs_are_opt_in():
    settings = load_settings(
        {"DISCORD_TOKEN": TOKEN, "NAMIDA_HTTP_PORT": "9100", "NAMIDA_HTTP_HOST": "0.0.0.0", "NAMIDA_LOG_FORMAT": "JSON"}
    )
    assert (settings.http_host, settings.http_port, settings.log_format) == ("0.0.0.0", 9100, "json")


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "DISCORD_TOKEN is not set"),
        ({"DISCORD_TOKEN": "Bot " + TOKEN}, "DISCORD_TOKEN should be the token alone"),
        ({"DISCORD_TOKEN": "hunter2"}, "DISCORD_TOKEN does not look like a bot token"),
        ({"DISCORD_TOKEN": TOKEN, "NAMIDA_DEV_GUILD": "my server"}, "NAMIDA_DEV_GUILD must be a server id"),
        ({"DISCORD_TOKEN": TOKEN, "NAMIDA_LOG_LEVEL": "loud"}, "NAMIDA_LOG_LEVEL must be one of"),
        ({"DISCORD_TOKEN": TOKEN, "NAMIDA_LISTS": "/no/such/folder"}, "NAMIDA_LISTS points to"),
        ({"DISCORD_TOKEN": TOKEN, "NAMIDA_HTTP_PORT": "80000"}, "NAMIDA_HTTP_PORT must be a port number"),
        ({"DISCORD_TOKEN": TOKEN, "NAMIDA_HTTP_PORT": "９１００"}, "NAMIDA_HTTP_PORT must be a port number"),
        ({"DISCORD_TOKEN": TOKEN, "NAMIDA_LOG_FORMAT": "xml"}, "NAMIDA_LOG_FORMAT must be one of text, json"),
        ({"DISCORD_TOKEN": TOKEN, "NAMIDA_ANSWER_CLIENT": "curl"}, "NAMIDA_ANSWER_CLIENT must be one of"),
    ],
)
def test_bad_settings_name_the_variable(env, variable):
    with pytest.raises(SettingsError) as refused:
        load_settings(env)
    assert str(refused.value).startswith(variable)
    assert "\n" not in str(refused.value)


def test_env_file_is_read_and_the_shell_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"DISCORD_TOKEN={TOKEN}\nNAMIDA_LOG_LEVEL=debug\n")
    values = read_environment({"NAMIDA_LOG_LEVEL": "WARNING"}, env_file)
    settings = load_settings(values)
    assert settings.token == TOKEN and settings.log_level == "WARNING"


def test_token_never_appears_in_the_settings_repr():
    assert TOKEN not in repr(load_settings({"DISCORD_TOKEN": TOKEN}))


@pytest.mark.parametrize("url", ["postgresql://namida:pw-123@db:5432/namida", "postgres://namida:pw-123@db/namida"])
def test_a_postgresql_url_selects_postgresql_and_its_password_stays_out_of_the_repr(url):
    settings = load_settings({"NAMIDA_DATABASE": url}, require_token=False)
    assert settings.database == url  # a URL as given, not a path
    assert "pw-123" not in repr(settings) and "namida:***@db" in repr(settings)


def test_anything_else_is_a_sqlite_path():
    assert load_settings({"NAMIDA_DATABASE": "data/mysql://x.db"}, require_token=False).database == Path(
        "data/mysql://x.db"
    )
