"""Every registered component class: its id grammar is declared once, round-trips, fits Discord's
100 characters, and refuses digits that are not ASCII."""

from __future__ import annotations

import re

import discord
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.compat import compiled_template
from bot.custom_ids import CUSTOM_ID_MAX, CustomId, ascii_int, number
from bot.domain.list_files import ENTRY_KEY, LIST_ID
from cogs.entries import views as entries_views
from cogs.lists import views as lists_views

NOT_ASCII_DIGITS = ("²", "٣", "５")  # str.isdigit() says yes to the first, int() accepts the others


async def test_every_component_id_round_trips_within_discords_limit(loaded_bot):
    router, items = loaded_bot.components, loaded_bot.components.items
    assert len(items) >= 13
    for item in items:
        assert isinstance(item.ids, CustomId), item.__name__
        assert compiled_template(item).pattern == item.ids.template, item.__name__
        example = item.ids.example()
        custom_id = item.ids(**example)
        assert len(custom_id) <= CUSTOM_ID_MAX, (item.__name__, custom_id)
        routed, match = router.route(custom_id)
        assert routed is item and item.ids.parse(match) == example, item.__name__
        rebuilt = await item.from_custom_id(None, None, match)
        assert rebuilt.custom_id == custom_id, item.__name__


def dotted(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def declared_component_classes() -> set[str]:
    """Every ``DynamicItem`` class of ours that declares an id grammar, registered or not (by name:
    an extension loaded again defines its classes again)."""
    found, pending = set(), list(discord.ui.DynamicItem.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.split(".")[0] in ("bot", "cogs") and "ids" in vars(cls):
            found.add(dotted(cls))
    return found


async def test_every_declared_component_class_is_registered(loaded_bot):
    # An unregistered class still renders its buttons, but every click on them is "outdated".
    declared = declared_component_classes()
    assert {"cogs.polls.voter_pages.VoterPage", "cogs.nominations.show_choice.ShowPick"} <= declared
    assert declared - {dotted(item) for item in loaded_bot.components.items} == set()


async def test_no_component_id_accepts_a_digit_that_is_not_ascii(loaded_bot):
    router, items = loaded_bot.components, loaded_bot.components.items
    numbered = [item for item in items if any(f.parse is int for f in item.ids.fields.values())]
    assert numbered
    for item in numbered:
        custom_id = item.ids(**item.ids.example())
        for odd in NOT_ASCII_DIGITS:
            assert router.route(custom_id.replace("9", odd, 1)) is None, (item.__name__, odd)


@pytest.mark.parametrize("text", ["²", "٣", "３", "-1", " 3", "3 ", "", "1e3", "0x1"])
def test_ascii_int_refuses_everything_but_ascii_digits(text):
    assert ascii_int(text) is None


def test_ascii_int_reads_ascii_digits_and_a_declaration_checks_what_it_builds():
    assert ascii_int("0042") == 42 and ascii_int(7) is None
    vote = CustomId("poll:{poll}:v:{index}", poll=number(3), index=number(1))
    assert vote(poll=12, index=3) == "poll:12:v:3"
    with pytest.raises(ValueError, match="does not fit"):
        vote(poll=1234, index=3)
    with pytest.raises(ValueError, match="names fields"):
        CustomId("poll:{poll}", poll=number(3), index=number(1))


BOUNDARY_KEYS = ["", "a", "a" * 32, "a" * 33, "9" + "-" * 31, "9" + "-" * 32, "-a", "a-", "A", "a_b", "é"]


@given(st.one_of(st.sampled_from(BOUNDARY_KEYS), st.from_regex(r"[a-zA-Z0-9_-]{0,36}", fullmatch=True)))
def test_key_fields_accept_exactly_the_list_ids_and_entry_keys_a_list_may_have(key):
    # A key the lists allow but an id refuses would fail when its button is drawn.
    allowed = bool(LIST_ID.fullmatch(key)), bool(ENTRY_KEY.fullmatch(key))
    entry_fields = entries_views.GoToEntryButton.ids.fields
    list_field = lists_views.DeleteListButton.ids.fields["list_id"]
    accepted = (
        re.fullmatch(entry_fields["list_id"].regex, key) is not None,
        re.fullmatch(entry_fields["entry"].regex, key) is not None,
    )
    assert accepted == allowed
    assert (re.fullmatch(list_field.regex, key) is not None) == allowed[0]
