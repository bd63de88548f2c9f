"""NAMIDA_SHARD_COUNT / NAMIDA_SHARDS: which shards a process connects and which guilds it owns."""

import pytest

from bot.settings import SettingsError, load_settings
from bot.shards import Shards, format_shard_ids, load_shards
from tests.app.test_cli import run_cli

TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GaBcDe.abcdefghijklmnopqrstuvwxyz012345"


def guild_on(shard_id: int, count: int, created_ms: int = 1_000_000) -> int:
    """A guild id created at a millisecond that lands it on the shard (Discord's rule)."""
    created_ms += (shard_id - created_ms) % count
    return created_ms << 22 | 12345


def test_unset_means_one_process_with_every_shard_and_every_guild():
    shards = load_shards("", "")
    assert shards == Shards() and not shards.sharded and shards.syncs_commands
    assert shards.owns_guild(guild_on(3, 7)) and shards.describe() == "one process, all shards"


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        ("4", "", (0, 1, 2, 3)),
        ("4", "0-3", (0, 1, 2, 3)),
        ("8", "0,2,5-7", (0, 2, 5, 6, 7)),
        ("8", " 6 , 1-2 ", (1, 2, 6)),
        ("1", "0", (0,)),
    ],
)
def test_shard_lists_and_ranges(count, ids, expected):
    assert load_shards(count, ids).ids == expected


def test_a_process_owns_exactly_the_guilds_on_its_shards():
    shards = load_shards("4", "1,3")
    assert [shards.owns_guild(guild_on(shard, 4)) for shard in range(4)] == [False, True, False, True]
    assert not shards.syncs_commands  # shard 0 runs elsewhere: that process syncs
    assert load_shards("4", "0").syncs_commands
    assert shards.describe() == "shards 1,3 of 4 in this process"


def test_shard_ids_are_written_back_as_ranges():
    assert format_shard_ids((0, 1, 2, 5, 7, 8)) == "0-2,5,7-8"
    assert format_shard_ids((4,)) == "4"


@pytest.mark.parametrize(
    ("count", "ids", "message"),
    [
        ("", "0-3", "NAMIDA_SHARDS needs NAMIDA_SHARD_COUNT"),
        ("0", "", "NAMIDA_SHARD_COUNT must be a whole number of at least 1 (got '0')"),
        ("two", "", "NAMIDA_SHARD_COUNT must be a whole number"),
        ("４", "", "NAMIDA_SHARD_COUNT must be a whole number"),
        ("4", "4", "NAMIDA_SHARDS lists shard 4, but with NAMIDA_SHARD_COUNT=4 the shards are 0 to 3"),
        ("4", "0-9", "NAMIDA_SHARDS lists shard 4, but"),
        ("4", "3-1", "NAMIDA_SHARDS has the range 3-1 backwards; write 1-3"),
        ("4", "0,,1", "NAMIDA_SHARDS must list shard ids and ranges like 0-3 or 0,2,5-7 (got '0,,1')"),
        ("4", "-1", "NAMIDA_SHARDS must list shard ids"),
        ("4", "0-1-2", "NAMIDA_SHARDS must list shard ids"),
        ("4", "0-2,2", "NAMIDA_SHARDS lists shard 2 twice"),
    ],
)
def test_bad_shard_settings_name_the_variable(count, ids, message):
    env = {"DISCORD_TOKEN": TOKEN, "NAMIDA_SHARD_COUNT": count, "NAMIDA_SHARDS": ids}
    with pytest.raises(SettingsError) as error:
        load_settings(env)
    assert message in str(error.value)


def test_check_reports_the_shards_and_refuses_bad_ones(tmp_path):
    good = run_cli("check", env={"NAMIDA_SHARD_COUNT": "4", "NAMIDA_SHARDS": "2-3"}, cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    assert "Gateway: shards 2-3 of 4 in this process" in good.stdout
    assert "Gateway: one process, all shards" in run_cli("check", cwd=tmp_path).stdout

    bad = run_cli("check", env={"NAMIDA_SHARDS": "0-1"}, cwd=tmp_path)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("namida: NAMIDA_SHARDS needs NAMIDA_SHARD_COUNT")
