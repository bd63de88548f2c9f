"""Exact renderings of the spoiler module's edges: what a member sees when text is cut, made inert
for a title or label, or shown in a code block."""

import pytest

from bot.domain.spoilers import PLACEHOLDER, Spoiler, clean, code_block, escape, inert, plain, shorten, tag

ZWSP = "\u200b"


def test_backticks_in_a_code_block_each_get_a_zero_width_space_so_the_block_never_closes():
    assert code_block("a```b") == f"```\na`{ZWSP}`{ZWSP}`{ZWSP}b\n```"
    assert code_block("plain") == "```\nplain\n```"


def test_a_long_code_block_is_cut_inside_the_fence_to_the_limit():
    assert code_block("x" * 50, 20) == "```\n" + "x" * 11 + "…\n```"
    assert code_block("x" * 12, 20) == "```\n" + "x" * 12 + "\n```"


def test_a_cut_code_block_never_leaves_a_backtick_without_its_guard():
    assert code_block("ab`" + "c" * 40, 14) == f"```\nab`{ZWSP}c…\n```"


def test_inert_text_drops_markup_and_squeezes_the_space_left_behind():
    assert inert("**Mami** || dies\n#1 [link] <@1> _x_ ~y~ `z` \\") == "Mami dies 1 link @1 x y z"


def test_inert_text_defuses_mass_mentions_without_a_backslash():
    assert inert("hi @everyone and @HERE") == f"hi @{ZWSP}everyone and @{ZWSP}HERE"


@pytest.mark.parametrize(("max_len", "shown"), [(10, "x" * 9 + "…"), (99, "x" * 98 + "…"), (100, "x" * 100)])
def test_inert_text_for_titles_and_labels_is_cut_to_its_limit(max_len, shown):
    assert inert("x" * 100, max_len) == shown


def test_inert_text_is_measured_after_markup_is_dropped():
    assert inert("**" * 20 + "Madoka", 6) == "Madoka"


def test_plain_text_escapes_every_markup_character():
    assert plain("*_~`|>#-[]<\\") == "\\*\\_\\~\\`\\|\\>\\#\\-\\[\\]\\<\\\\"
    assert plain("nothing to see") == "nothing to see"


def test_a_numbered_line_is_not_turned_into_a_list():
    assert escape("1. a\n  22. b\nno 3. here") == "1\\. a\n  22\\. b\nno 3. here"


def test_mass_mentions_in_escaped_text_cannot_ping():
    assert escape("@everyone @Here") == f"@{ZWSP}everyone @{ZWSP}Here"


def test_clean_keeps_tabs_and_newlines_and_drops_controls_and_overrides():
    assert clean("a\r\nb\rc\u202ed\x00e\tf\u2066g\x7fh") == "a\nb\ncde\tfgh"


@pytest.mark.parametrize(
    ("text", "max_len", "shown"),
    [
        ("Mami's death", 100, "||Mami's death||"),
        ("Mami's death", 16, "||Mami's death||"),
        ("Mami's death", 15, "||Mami's dea…||"),
        ("a||b", 100, "||a\\|\\|b||"),
        ("word " * 10, 14, "||word word…||"),  # trailing space before the ellipsis is dropped
    ],
)
def test_a_spoiler_is_cut_inside_its_bars_to_the_limit(text, max_len, shown):
    assert tag(text, max_len) == shown


def test_a_cut_never_splits_an_escape_from_its_character():
    assert tag("ab|cd", 7) == "||ab…||"
    assert tag("ab|cd", 9) == "||ab\\|…||"


def test_a_cut_never_parts_a_letter_from_its_combining_accent():
    assert tag("e\u0301" * 10, 12) == "||" + "e\u0301" * 3 + "…||"
    assert shorten("cafe\u0301 au lait", 5) == "caf…"


def test_a_cut_never_parts_an_emoji_from_its_variation_selector_or_joiner():
    assert shorten("I \u2764\ufe0f anime", 5) == "I \u2764\ufe0f…"
    assert shorten("I \u2764\ufe0f anime", 4) == "I…"
    family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
    assert shorten(f"{family} fam", 8) == "…"
    assert shorten(f"{family} fam", 9) == f"{family}…"


def test_text_that_fits_exactly_is_not_cut():
    assert shorten("x" * 80, 80) == "x" * 80
    assert shorten("x" * 81, 80) == "x" * 79 + "…"


def test_the_smallest_limit_that_fits_an_ellipsis_shows_only_the_ellipsis():
    assert tag("anything", 5) == "||…||"
    with pytest.raises(ValueError, match="max_len 4 is too small to show anything"):
        tag("anything", 4)


def test_a_spoiler_refuses_anything_but_text():
    with pytest.raises(TypeError, match="Spoiler text must be a string"):
        Spoiler(42)


def test_spoilers_compare_by_their_hidden_text_and_never_show_it():
    assert Spoiler("a") == Spoiler("a") and Spoiler("a") != Spoiler("b") and Spoiler("a") != "a"
    assert hash(Spoiler("a")) == hash(Spoiler("a")) and len({Spoiler("a"), Spoiler("a"), Spoiler("b")}) == 2
    assert repr(Spoiler("Mami")) == f"Spoiler({PLACEHOLDER})" and str(Spoiler("Mami")) == PLACEHOLDER
    assert f"{Spoiler('Mami'):>20}" == PLACEHOLDER


def test_plain_and_tag_accept_a_spoiler_value():
    assert plain(Spoiler("*x*")) == "\\*x\\*" and tag(Spoiler("x")) == "||x||"
