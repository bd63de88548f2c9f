"""Limit checks for application command definitions (bulk overwrite) and autocomplete answers."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

from . import limits as L
from .problems import Path, Problems
from .protocol import CommandType, OptionType

SUB_TYPES = frozenset({OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP})
CHOICE_TYPES = {OptionType.STRING: (str,), OptionType.INTEGER: (int,), OptionType.NUMBER: (int, float)}
PER_SCOPE_MAX = {
    CommandType.CHAT_INPUT: L.CHAT_INPUT_COMMANDS_MAX,
    CommandType.USER: L.CONTEXT_MENU_COMMANDS_MAX,
    CommandType.MESSAGE: L.CONTEXT_MENU_COMMANDS_MAX,
}


def check_command_list(commands: Any) -> Problems:
    """Check one scope's full command list, as sent to PUT .../commands."""
    problems = Problems()
    if not isinstance(commands, list):
        problems.add((), "body must be an array of commands")
        return problems
    for index, command in enumerate(commands):
        _check_command(problems, (index,), command)
    keys = [(c.get("type", 1), c.get("name")) for c in commands if isinstance(c, dict)]
    for (kind, name), seen in Counter(keys).items():
        if seen > 1:
            problems.add(
                (),
                f"{seen} commands of type {kind} are named {name!r}",
                "APPLICATION_COMMAND_NAME_DUPLICATED",
            )
    for kind, high in PER_SCOPE_MAX.items():
        count = sum(1 for key in keys if key[0] == kind)
        if count > high:
            problems.add(
                (),
                f"{count} commands of type {kind} exceed the per-scope maximum of {high}",
                "APPLICATION_COMMANDS_TOO_MANY",
            )
    return problems


def check_autocomplete(data: Any, option_type: int) -> Problems:
    problems = Problems()
    if not isinstance(data, dict):
        problems.add(("data",), "autocomplete data must be an object")
        return problems
    choices = problems.count(("data", "choices"), data.get("choices"), high=L.CHOICES_MAX)
    _check_choices(problems, ("data", "choices"), choices, option_type)
    return problems


def valid_name_char(char: str) -> bool:
    if char in L.COMMAND_NAME_PUNCTUATION or unicodedata.category(char)[0] in "LN":
        return True
    # \p{sc=Deva} and \p{sc=Thai} also admit their combining vowel signs
    return "\u0900" <= char <= "\u097f" or "\u0e00" <= char <= "\u0e7f"


def _check_name(problems: Problems, path: Path, name: Any, *, chat_input: bool) -> int:
    size = problems.text(path, name, low=1, high=L.COMMAND_NAME_MAX, required=True)
    if chat_input and isinstance(name, str):
        bad = sorted({c for c in name if not valid_name_char(c)})
        if bad:
            problems.add(
                path,
                f"{name!r} has characters outside Discord's name regex: {bad}",
                "APPLICATION_COMMAND_INVALID_NAME",
            )
        if name != name.lower():
            problems.add(path, f"{name!r} must be lowercase", "APPLICATION_COMMAND_INVALID_NAME")
    return size


def _check_command(problems: Problems, path: Path, command: Any) -> None:
    if not isinstance(command, dict):
        problems.add(path, "command must be an object")
        return
    kind = command.get("type", CommandType.CHAT_INPUT)
    if kind not in PER_SCOPE_MAX:
        problems.add(path + ("type",), f"unsupported command type {kind!r}")
        return
    chat_input = kind == CommandType.CHAT_INPUT
    total = _check_name(problems, path + ("name",), command.get("name"), chat_input=chat_input)
    if chat_input:
        total += problems.text(
            path + ("description",),
            command.get("description"),
            low=1,
            high=L.COMMAND_DESCRIPTION_MAX,
            required=True,
        )
        total += _check_options(problems, path + ("options",), command.get("options"), level="command")
    else:
        if command.get("description"):
            problems.add(path + ("description",), "user/message commands cannot have a description")
        if command.get("options"):
            problems.add(path + ("options",), "user/message commands cannot have options")
    if total > L.COMMAND_TOTAL_TEXT_MAX:
        problems.add(
            path,
            f"names, descriptions and choices total {total} characters, over {L.COMMAND_TOTAL_TEXT_MAX}",
            "APPLICATION_COMMAND_TOO_LARGE",
        )


def _check_options(problems: Problems, path: Path, options: Any, *, level: str) -> int:
    """level is 'command', 'group' or 'subcommand'; returns the text size for the 4000 total."""
    options = problems.count(path, options, high=L.COMMAND_OPTIONS_MAX)
    dicts = [o for o in options if isinstance(o, dict)]
    if len(dicts) != len(options):
        problems.add(path, "every option must be an object")
    kinds = [o.get("type") for o in dicts]
    subs = [k in SUB_TYPES for k in kinds]
    if level == "command" and any(subs) and not all(subs):
        problems.add(path, "subcommands/groups cannot be mixed with plain options")
    if level == "group" and any(k != OptionType.SUB_COMMAND for k in kinds):
        problems.add(path, "a subcommand group may only contain subcommands")
    if level == "subcommand" and any(subs):
        problems.add(path, "a subcommand cannot contain subcommands or groups")
    for name, seen in Counter(o.get("name") for o in dicts).items():
        if seen > 1:
            problems.add(
                path,
                f"option name {name!r} is used {seen} times",
                "APPLICATION_COMMAND_OPTION_NAME_DUPLICATED",
            )
    total = 0
    optional_seen = False
    for index, option in enumerate(options):
        if not isinstance(option, dict):
            continue
        option_path = path + (index,)
        total += _check_name(problems, option_path + ("name",), option.get("name"), chat_input=True)
        total += problems.text(
            option_path + ("description",),
            option.get("description"),
            low=1,
            high=L.COMMAND_DESCRIPTION_MAX,
            required=True,
        )
        kind = option.get("type")
        if kind in SUB_TYPES:
            child = "group" if kind == OptionType.SUB_COMMAND_GROUP else "subcommand"
            total += _check_options(problems, option_path + ("options",), option.get("options"), level=child)
            continue
        if option.get("required"):
            if optional_seen:
                problems.add(
                    option_path + ("required",),
                    "required options must be listed before optional ones",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                )
        else:
            optional_seen = True
        total += _check_value_option(problems, option_path, option, kind)
    return total


def _check_value_option(problems: Problems, path: Path, option: dict[str, Any], kind: Any) -> int:
    if kind not in set(OptionType):
        problems.add(path + ("type",), f"unknown option type {kind!r}")
        return 0
    choices = problems.count(path + ("choices",), option.get("choices"), high=L.CHOICES_MAX)
    if choices and kind not in CHOICE_TYPES:
        problems.add(path + ("choices",), f"options of type {kind} cannot have choices")
    if choices and option.get("autocomplete"):
        problems.add(path + ("autocomplete",), "autocomplete cannot be combined with choices")
    if kind == OptionType.STRING:
        low, high = option.get("min_length"), option.get("max_length")
        problems.number(path + ("min_length",), low, low=0, high=L.STRING_OPTION_LENGTH_MAX)
        problems.number(path + ("max_length",), high, low=1, high=L.STRING_OPTION_LENGTH_MAX)
        if isinstance(low, int) and isinstance(high, int) and low > high:
            problems.add(path + ("min_length",), f"min_length {low} is greater than max_length {high}")
    return _check_choices(problems, path + ("choices",), choices, kind)


def _check_choices(problems: Problems, path: Path, choices: list[Any], option_type: Any) -> int:
    total = 0
    expected = CHOICE_TYPES.get(option_type)
    for index, choice in enumerate(choices):
        choice_path = path + (index,)
        if not isinstance(choice, dict):
            problems.add(choice_path, "choice must be an object")
            continue
        total += problems.text(
            choice_path + ("name",), choice.get("name"), low=1, high=L.CHOICE_NAME_MAX, required=True
        )
        value = choice.get("value")
        if value is None:
            problems.add(choice_path + ("value",), "This field is required", "BASE_TYPE_REQUIRED")
        elif expected and (isinstance(value, bool) or not isinstance(value, expected)):
            problems.add(
                choice_path + ("value",),
                f"{value!r} does not match option type {option_type}",
                "BASE_TYPE_CHOICES",
            )
        elif isinstance(value, str):
            total += problems.text(choice_path + ("value",), value, low=1, high=L.CHOICE_STRING_VALUE_MAX)
    return total
