"""The contract behind bot/compat.py: what Namida assumes about other libraries' internals.

When an upgrade of discord.py breaks an assumption, the test names it; fix
bot/compat.py (or drop the shortcut) before raising the version bound in pyproject.toml.
"""

import inspect
from types import SimpleNamespace

import discord

from bot import compat


class Probe(discord.ui.DynamicItem[discord.ui.Button], template=r"probe:(?P<id>[0-9]+)"):
    pass


def test_a_dynamic_items_compiled_template_is_where_compat_reads_it():
    pattern = getattr(Probe, compat.COMPILED_TEMPLATE, None)
    assert pattern is not None, (
        f"discord.py {discord.__version__} no longer stores a DynamicItem's compiled template in "
        f"{compat.COMPILED_TEMPLATE}: bot/compat.compiled_template must find it elsewhere"
    )
    assert compat.compiled_template(Probe).fullmatch("probe:42")["id"] == "42"
    assert compat.compiled_template(Probe).fullmatch("probe:x") is None


def test_marking_an_interaction_answered_makes_discord_py_see_it_done():
    response = discord.InteractionResponse(SimpleNamespace())
    assert not response.is_done()
    compat.mark_answered(SimpleNamespace(response=response), discord.InteractionResponseType.channel_message)
    assert response.is_done(), (
        f"discord.py {discord.__version__}: InteractionResponse.is_done() no longer reads "
        f"{compat.RESPONSE_TYPE}: answers sent by bot/answers.py would be answered a second time"
    )
    assert response.type is discord.InteractionResponseType.channel_message


def test_the_voice_warning_flags_still_gate_discord_py_warnings():
    source = inspect.getsource(discord.client)  # Client.__init__ warns once, unless the flag is off
    for flag in ("warn_nacl", "warn_dave"):
        assert isinstance(getattr(discord.VoiceClient, flag, None), bool) and f"if VoiceClient.{flag}:" in source, (
            f"discord.py {discord.__version__} no longer reads VoiceClient.{flag}: "
            "bot/compat.silence_voice_warnings needs another way to keep the voice warnings quiet"
        )


def test_direct_answers_go_where_discord_py_sends_its_own_interaction_callbacks():
    route = discord.http.Route(
        "POST",
        "/interactions/{interaction_id}/{interaction_token}/callback",
        interaction_id=1,
        interaction_token="token",
    )
    assert route.url == f"{compat.api_base()}/interactions/1/token/callback", (
        f"discord.py {discord.__version__} no longer builds its request URLs from discord.http.Route.BASE "
        f"({route.url}): bot/compat.api_base must follow it, or votes would be answered somewhere else"
    )


PRIVATE_NAMES = ("_response_type", compat.COMPILED_TEMPLATE, "warn_nacl", "warn_dave", "discord.http")


def test_no_other_module_touches_these_internals():
    from tests.conftest import REPO

    offenders = [
        f"{path.relative_to(REPO)}: {name}"
        for top in ("bot", "cogs")
        for path in (REPO / top).rglob("*.py")
        if path.name != "compat.py"
        for name in PRIVATE_NAMES
        if name in path.read_text(encoding="utf-8")
    ]
    assert not offenders, "other libraries' internals belong in bot/compat.py only"
