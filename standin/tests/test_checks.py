"""The limit checks on their own: each documented rule, at and just past its limit."""

from __future__ import annotations

from typing import Any

import pytest

from standin.check_commands import check_autocomplete, check_command_list
from standin.check_components import check_message_components, check_modal
from standin.check_message import check_edit, check_message, check_new_message
from standin.limits import utf16_len
from standin.problems import Problems, error_body, format_path

V2 = 1 << 15


def where(problems: Problems) -> set[str]:
    return {format_path(problem.path) for problem in problems}


def button(custom_id: str, **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "Go", "custom_id": custom_id, **extra}


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def select(custom_id: str = "pick", count: int = 2, **extra: Any) -> dict[str, Any]:
    options = [{"label": f"Option {n}", "value": f"v{n}"} for n in range(count)]
    return {"type": 3, "custom_id": custom_id, "options": options, **extra}


def test_lengths_are_counted_in_utf16_units() -> None:
    assert utf16_len("abc") == 3 and utf16_len("😢") == 2
    assert not check_message({"content": "😢" * 1000})
    assert where(check_message({"content": "😢" * 1000 + "!"})) == {"content"}


def test_embed_limits() -> None:
    assert where(check_message({"embeds": [{}] * 11})) == {"embeds"}
    embed = {
        "title": "t" * 257,
        "description": "d" * 4097,
        "color": 0x1000000,
        "fields": [{"name": " ", "value": "v"}, {"name": "n", "value": "v" * 1025}],
        "footer": {"text": "f" * 2049},
        "author": {"name": "a" * 257},
    }
    assert where(check_message({"embeds": [embed]})) == {
        "embeds[0].title",
        "embeds[0].description",
        "embeds[0].color",
        "embeds[0].fields[0].name",
        "embeds[0].fields[1].value",
        "embeds[0].footer.text",
        "embeds[0].author.name",
        "embeds",
    }
    assert where(check_message({"embeds": [{"fields": [{"name": "n"}] * 26}]})) >= {"embeds[0].fields"}
    at_limit = [{"description": "d" * 4000}, {"description": "d" * 2000}]
    assert not check_message({"embeds": at_limit})
    over = check_message({"embeds": at_limit + [{"title": "!"}]})
    assert [p.code for p in over] == ["MESSAGE_EMBED_TOTAL_TEXT_TOO_LONG"]


def test_empty_messages() -> None:
    assert check_new_message({"content": " "}, 0)[0].json_code == 50006
    assert not check_new_message({"content": ""}, 1)  # a file alone is fine
    assert not check_new_message({"embeds": [{"title": "t"}]}, 0)
    existing = {"content": "hi", "embeds": [], "components": [], "attachments": []}
    assert check_edit(existing, {"content": None}, 0)[0].json_code == 50006
    assert not check_edit(existing, {"embeds": []}, 0)


def test_allowed_mentions() -> None:
    assert not check_message({"content": "x", "allowed_mentions": {"parse": ["users"], "roles": ["1"]}})
    conflict = check_message({"content": "x", "allowed_mentions": {"parse": ["users"], "users": ["1"]}})
    assert [p.code for p in conflict] == ["MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE"]
    assert where(check_message({"allowed_mentions": {"parse": ["here"], "extra": 1}})) == {
        "allowed_mentions.parse[0]",
        "allowed_mentions.extra",
    }


def test_classic_component_layout() -> None:
    assert not check_message_components([row(*[button(f"b{n}") for n in range(5)]), row(select())], v2=False)
    assert where(check_message_components([row(button("b"))] * 6, v2=False)) >= {"components"}
    assert where(check_message_components([row(*[button(f"b{n}") for n in range(6)])], v2=False)) == {
        "components[0].components"
    }
    assert where(check_message_components([row(select(), button("b"))], v2=False)) == {"components[0].components"}
    assert where(check_message_components([button("b")], v2=False)) == {"components[0]"}
    duplicate = check_message_components([row(button("same")), row(button("same"))], v2=False)
    assert [p.code for p in duplicate] == ["COMPONENT_CUSTOM_ID_DUPLICATED"]


def test_buttons() -> None:
    link = {"type": 2, "style": 5, "label": "Docs", "url": "https://example.com"}
    assert not check_message_components([row(link)], v2=False)
    assert where(check_message_components([row({**link, "custom_id": "x"})], v2=False)) == {
        "components[0].components[0].custom_id"
    }
    assert where(check_message_components([row({"type": 2, "style": 5, "label": "x"})], v2=False)) == {
        "components[0].components[0].url"
    }
    assert where(check_message_components([row({"type": 2, "style": 1, "label": "x"})], v2=False)) == {
        "components[0].components[0].custom_id"
    }
    assert where(check_message_components([row(button("b", label="l" * 81))], v2=False)) == {
        "components[0].components[0].label"
    }
    assert where(check_message_components([row(button("b", label=None))], v2=False)) == {"components[0].components[0]"}
    assert where(check_message_components([row(button("c" * 101))], v2=False)) == {
        "components[0].components[0].custom_id"
    }


def test_select_menus() -> None:
    base = "components[0].components[0]"
    assert where(check_message_components([row(select(count=26))], v2=False)) == {f"{base}.options"}
    assert where(check_message_components([row(select(max_values=3))], v2=False)) == {f"{base}.max_values"}
    assert where(check_message_components([row(select(min_values=2, max_values=1))], v2=False)) == {
        f"{base}.min_values"
    }
    assert where(check_message_components([row(select(placeholder="p" * 151))], v2=False)) == {f"{base}.placeholder"}
    options = [{"label": "l" * 101, "value": "v", "description": "d" * 101}, {"label": "x", "value": "v"}]
    assert where(check_message_components([row({"type": 3, "custom_id": "s", "options": options})], v2=False)) == {
        f"{base}.options[0].label",
        f"{base}.options[0].description",
        f"{base}.options[1].value",
    }
    assert not check_message_components([row({"type": 5, "custom_id": "users", "max_values": 25})], v2=False)


def test_components_v2() -> None:
    text = {"type": 10, "content": "hello"}
    container = {"type": 17, "components": [text, row(button("b"))]}
    assert not check_message({"flags": V2, "components": [container]})
    assert where(check_message({"flags": V2, "content": "x", "components": [text]})) == {"content"}
    assert where(check_message({"flags": V2, "components": [{"type": 10, "content": "t" * 2001}] * 2})) == {
        "components"
    }
    assert where(check_message({"flags": V2, "components": [text] * 41})) == {"components"}
    section = {"type": 9, "components": [text] * 4, "accessory": {"type": 11, "media": {"url": "https://x"}}}
    assert where(check_message({"flags": V2, "components": [section]})) == {"components[0].components"}


def test_modals() -> None:
    text_input = {"type": 4, "custom_id": "a", "style": 1, "label": "Answer"}
    labelled = {"type": 18, "label": "Answer", "component": {**text_input, "custom_id": "b", "label": None}}
    assert not check_modal({"title": "Form", "custom_id": "m", "components": [row(text_input), labelled]})
    bad = {
        "title": "t" * 46,
        "custom_id": "m",
        "components": [row({**text_input, "label": "l" * 46, "min_length": 10, "max_length": 5})] * 6,
    }
    assert where(check_modal(bad)) >= {
        "title",
        "components",
        "components[0].components[0].label",
        "components[0].components[0].min_length",
    }
    assert where(check_modal({"title": "T", "custom_id": "m", "components": [row(text_input, text_input)]})) >= {
        "components[0].components"
    }
    assert where(check_modal({"title": "T", "custom_id": "m", "components": [row({**text_input, "label": None})]})) == {
        "components[0].components[0].label"
    }


def test_autocomplete_answers() -> None:
    choices = [{"name": f"n{n}", "value": f"v{n}"} for n in range(25)]
    assert not check_autocomplete({"choices": choices}, 3)
    assert where(check_autocomplete({"choices": choices + choices[:1]}, 3)) == {"data.choices"}
    assert where(check_autocomplete({"choices": [{"name": "n" * 101, "value": "v" * 101}]}, 3)) == {
        "data.choices[0].name",
        "data.choices[0].value",
    }
    assert where(check_autocomplete({"choices": [{"name": "one", "value": "1"}]}, 4)) == {"data.choices[0].value"}


def command(name: str = "entry", **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": "Does things", "type": 1, **extra}


def option(name: str, kind: int = 3, **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": "An option", "type": kind, **extra}


@pytest.mark.parametrize("name", ["entry", "sad-list", "top_10", "it's", "सूची", "รายการ", "ñandú"])
def test_valid_command_names(name: str) -> None:
    assert not check_command_list([command(name)])


@pytest.mark.parametrize("name", ["Entry", "two words", "emoji😢", "", "n" * 33, "dot.name"])
def test_invalid_command_names(name: str) -> None:
    assert where(check_command_list([command(name)])) == {"[0].name"}


def test_command_definitions() -> None:
    assert where(check_command_list([command(description="d" * 101)])) == {"[0].description"}
    assert where(check_command_list([command(options=[option(f"o{n}") for n in range(26)])])) == {"[0].options"}
    ordering = [option("a"), option("b", required=True)]
    assert where(check_command_list([command(options=ordering)])) == {"[0].options[1].required"}
    mixed = [option("sub", 1), option("plain")]
    assert where(check_command_list([command(options=mixed)])) == {"[0].options"}
    nested = [option("group", 2, options=[option("inner", 2)])]
    assert where(check_command_list([command(options=nested)])) >= {"[0].options[0].options"}
    choices = [{"name": f"c{n}", "value": "v"} for n in range(26)]
    assert where(check_command_list([command(options=[option("o", choices=choices)])])) == {"[0].options[0].choices"}
    both = option("o", choices=choices[:2], autocomplete=True)
    assert where(check_command_list([command(options=[both])])) == {"[0].options[0].autocomplete"}
    assert where(check_command_list([{"name": "Report User", "type": 2, "description": "no"}])) == {"[0].description"}
    assert not check_command_list([{"name": "Report User", "type": 2}])


def test_command_totals_and_scope_counts() -> None:
    wordy = [option(f"o{n}", description="d" * 100, choices=[{"name": "c" * 100, "value": "v"}]) for n in range(25)]
    assert [p.code for p in check_command_list([command(options=wordy)])] == ["APPLICATION_COMMAND_TOO_LARGE"]
    assert [p.code for p in check_command_list([command(f"c{n}") for n in range(101)])] == [
        "APPLICATION_COMMANDS_TOO_MANY"
    ]
    assert [p.code for p in check_command_list([{"name": f"U{n}", "type": 2} for n in range(16)])] == [
        "APPLICATION_COMMANDS_TOO_MANY"
    ]
    assert [p.code for p in check_command_list([command(), command()])] == ["APPLICATION_COMMAND_NAME_DUPLICATED"]


def test_error_body_nests_like_discord() -> None:
    body = error_body(check_message({"embeds": [{"title": "t" * 300}]}))
    assert body["code"] == 50035
    assert body["errors"]["embeds"]["0"]["title"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
