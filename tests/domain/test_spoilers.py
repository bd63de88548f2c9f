"""Attacks on the spoiler module: nothing a member or a list file writes may break out of (or
into) a spoiler, render as markup, ping anyone, or overflow a limit."""

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.domain.limits import discord_len
from bot.domain.spoilers import ELLIPSIS, PLACEHOLDER, Spoiler, clean, plain, shorten, tag
from tests.markdown_model import mentions, parse

HOSTILE = [
    "||",
    "a||b",
    "||already hidden||",
    "\\",
    "ends with a backslash\\",
    "\\||",
    "`||`",
    "```\n||\n```",
    "``` code fence that never closes",
    "**bold** __underline__ ~~strike~~ *it*",
    "> quote\n>>> block quote\n# header\n-# subtext\n- item\n1. first",
    "[masked](https://example.com)",
    "@everyone @here @EVERYONE",
    "<@123456789012345678> <@&123456789012345678> <#123456789012345678>",
    "zero\u200bwidth\u200d joiner \ufeff",
    "right\u202eto\u202cleft \u2066isolate\u2069",
    "combining e\u0301\u0301\u0301",
    "emoji 👩‍👩‍👧 family",
    "control\x00\x07\x1b chars",
    "line\r\nbreaks\rhere",
    "|" * 101,
]

# Text a member could type: every character class that matters, plus ordinary words.
_PIECES = list("ab |\\`*_~>#-[]()<@&!:.\n1") + ["\u200b", "\u202e", "e\u0301", "👩‍👧", "everyone", "here"]
member_text = (
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=120).map("".join).filter(lambda t: clean(t).strip())
)


def visible(text: str) -> str:
    """What the member sees once the zero-width space that defuses mass mentions is ignored."""
    return text.replace("\u200b", "")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_stays_inside_one_spoiler(text):
    rendered = tag(text)
    parsed = parse(rendered)
    assert parsed.spoilers and len(parsed.spoilers) == 1
    assert parsed.outside == "" and not parsed.unbalanced
    assert parsed.unescaped_markup == []
    assert visible(parsed.spoilers[0]) == visible(clean(text))
    assert mentions(rendered) == []


@given(member_text, st.integers(min_value=12, max_value=400))
@settings(max_examples=400, deadline=None)
def test_truncated_spoiler_never_breaks_and_fits(text, max_len):
    rendered = tag(text, max_len)
    parsed = parse(rendered)
    assert discord_len(rendered) <= max_len
    assert len(parsed.spoilers) == 1 and parsed.outside == "" and not parsed.unbalanced
    assert parsed.unescaped_markup == []
    shown = visible(parsed.spoilers[0])
    if shown != visible(clean(text)):
        assert shown.endswith(ELLIPSIS)
        assert visible(clean(text)).startswith(shown[: -len(ELLIPSIS)])


@given(member_text, member_text)
@settings(max_examples=200, deadline=None)
def test_two_spoilers_side_by_side_stay_two(first, second):
    parsed = parse(f"{tag(first)} and {tag(second, 60)}")
    assert len(parsed.spoilers) == 2
    assert parsed.outside == " and "


@given(member_text, st.integers(min_value=4, max_value=300))
@settings(max_examples=200, deadline=None)
def test_plain_text_is_literal_and_fits(text, max_len):
    rendered = plain(text, max_len)
    parsed = parse(rendered)
    assert parsed.spoilers == [] and parsed.unescaped_markup == [] and not parsed.unbalanced
    assert discord_len(rendered) <= max_len
    assert mentions(rendered) == []


def test_truncation_keeps_combining_marks_and_emoji_whole():
    accented = "e\u0301" * 50
    shown = parse(tag(accented, 21)).spoilers[0]
    assert not shown[: -len(ELLIPSIS)].endswith("e")  # the accent stays with its letter
    family = "👩‍👩‍👧" * 10
    shown = parse(tag(family, 30)).spoilers[0]
    assert not shown[: -len(ELLIPSIS)].endswith("\u200d")


def test_empty_or_blank_text_cannot_become_a_spoiler():
    for blank in ["", "   ", "\n\t", "\x00\x07"]:
        with pytest.raises(ValueError):
            tag(blank)


def test_spoiler_value_never_formats_as_its_text():
    moment = Spoiler("Mami's Death")
    assert f"title {moment}" == f"title {PLACEHOLDER}"
    assert "Mami" not in str(moment) and "Mami" not in repr(moment) and "Mami" not in "%s" % moment  # noqa: UP031
    assert moment.reveal() == "Mami's Death"
    assert tag(moment) == "||Mami's Death||"


def test_shorten_cuts_labels_without_escaping():
    assert shorten("Honorable mention · Steins;Gate", 100) == "Honorable mention · Steins;Gate"
    label = shorten("x" * 200, 80)
    assert len(label) == 80 and label.endswith(ELLIPSIS)


def test_too_small_a_limit_is_refused_rather_than_overflowing():
    with pytest.raises(ValueError):
        tag("anything at all", 4)


@given(member_text, st.integers(min_value=20, max_value=400))
@example("@\u200be\u0301", 20)  # the member typed the break before a decomposed "é"
@settings(max_examples=200, deadline=None)
def test_code_block_shows_text_literally_and_never_closes_early(text, max_len):
    from bot.domain.spoilers import code_block

    block = code_block(text, max_len)
    assert block.startswith("```\n") and block.endswith("\n```") and discord_len(block) <= max_len
    assert "```" not in block[3:-3]
    inner = block[4:-4].replace("`\u200b", "`")
    assert "@everyone" not in inner.casefold() and "@here" not in inner.casefold()
    # A broken-up mention may itself be cut ("@\u200beveryo…"): undo the break wherever it starts one.
    # The member may have typed that break themselves ("@\u200be"), so undo it on both sides.
    inner = re.sub("@\u200b(?=[eh])", "@", inner, flags=re.IGNORECASE)
    shown = re.sub("@\u200b(?=[eh])", "@", clean(text), flags=re.IGNORECASE)
    assert inner == shown or (inner.endswith(ELLIPSIS) and shown.startswith(inner[:-1]))


def test_fair_shares_keep_short_texts_whole_and_split_the_rest():
    from bot.domain.budget import fair_shares

    assert fair_shares([10, 4000, 20], 1000, 4096) == [10, 970, 20]
    assert fair_shares([3000, 3000], 5000, 4096) == [2500, 2500]
    assert fair_shares([5000], 9000, 4096) == [4096]


def test_fair_shares_are_whole_characters():
    from bot.domain.budget import fair_shares

    assert fair_shares([5, 5, 5], 10, 100) == [3, 3, 4]
