"""Limit checks for message components (classic rows and Components V2) and for modals."""

from __future__ import annotations

from typing import Any

from . import limits as L
from .problems import Path, Problems
from .protocol import AUTO_SELECT_TYPES, SELECT_TYPES, ButtonStyle
from .protocol import Component as C

V2_TOP_LEVEL = frozenset({C.ACTION_ROW, C.SECTION, C.TEXT_DISPLAY, C.MEDIA_GALLERY, C.FILE, C.SEPARATOR, C.CONTAINER})
V2_IN_CONTAINER = V2_TOP_LEVEL - {C.CONTAINER}
MODAL_TOP_LEVEL = frozenset({C.ACTION_ROW, C.LABEL, C.TEXT_DISPLAY})
LABEL_CHILDREN = frozenset({C.TEXT_INPUT}) | SELECT_TYPES


def check_message_components(components: list[Any], *, v2: bool) -> Problems:
    checker = _ComponentChecker()
    if v2:
        checker.v2_top_level(components)
    else:
        checker.classic_top_level(components)
    return checker.problems


def check_modal(data: Any) -> Problems:
    checker = _ComponentChecker()
    if not isinstance(data, dict):
        checker.problems.add((), "modal data must be an object")
        return checker.problems
    checker.problems.text(("title",), data.get("title"), low=1, high=L.MODAL_TITLE_MAX, required=True)
    checker.problems.text(("custom_id",), data.get("custom_id"), low=1, high=L.CUSTOM_ID_MAX, required=True)
    rows = checker.problems.count(("components",), data.get("components"), low=1, high=L.MODAL_COMPONENTS_MAX)
    for index, component in enumerate(rows):
        checker.modal_entry(("components", index), component)
    return checker.problems


class _ComponentChecker:
    def __init__(self) -> None:
        self.problems = Problems()
        self.seen_ids: dict[str, Path] = {}
        self.total = 0
        self.v2_text = 0

    # --- shared -------------------------------------------------------------------------------
    def custom_id(self, path: Path, value: Any) -> None:
        self.problems.text(path, value, low=1, high=L.CUSTOM_ID_MAX, required=True)
        if isinstance(value, str):
            if value in self.seen_ids:
                self.problems.add(
                    path,
                    f"custom_id {value!r} duplicates the one at {self.seen_ids[value]}",
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                )
            self.seen_ids[value] = path

    def _typed(self, path: Path, component: Any) -> int | None:
        self.total += 1
        if not isinstance(component, dict) or not isinstance(component.get("type"), int):
            self.problems.add(path, "component must be an object with an integer type")
            return None
        return component["type"]

    # --- classic ------------------------------------------------------------------------------
    def classic_top_level(self, components: list[Any]) -> None:
        self.problems.count(("components",), components, high=L.ACTION_ROWS_MAX)
        for index, row in enumerate(components):
            path: Path = ("components", index)
            kind = self._typed(path, row)
            if kind is None:
                continue
            if kind != C.ACTION_ROW:
                self.problems.add(
                    path,
                    f"top-level component type {kind} needs the IS_COMPONENTS_V2 flag",
                    "COMPONENT_LAYOUT_REQUIRES_V2",
                )
                continue
            self.action_row(path, row)

    def action_row(self, path: Path, row: dict[str, Any]) -> None:
        children = self.problems.count(path + ("components",), row.get("components"), low=1, high=L.ROW_BUTTONS_MAX)
        kinds = [child.get("type") if isinstance(child, dict) else None for child in children]
        selects = [k for k in kinds if k in SELECT_TYPES]
        if selects and len(children) != 1:
            self.problems.add(
                path + ("components",),
                "a row with a select menu must hold exactly that one select",
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            )
        for index, child in enumerate(children):
            child_path = path + ("components", index)
            kind = self._typed(child_path, child)
            if kind == C.BUTTON:
                self.button(child_path, child)
            elif kind in SELECT_TYPES:
                self.select(child_path, child)
            elif kind is not None:
                self.problems.add(child_path, f"component type {kind} is not allowed in a message action row")

    def button(self, path: Path, button: dict[str, Any]) -> None:
        style = button.get("style")
        if style not in set(ButtonStyle):
            self.problems.add(path + ("style",), f"unknown button style {style!r}")
            return
        self.problems.text(path + ("label",), button.get("label"), high=L.BUTTON_LABEL_MAX)
        if style == ButtonStyle.LINK:
            self.problems.text(path + ("url",), button.get("url"), low=1, high=L.BUTTON_URL_MAX, required=True)
            if "custom_id" in button:
                self.problems.add(path + ("custom_id",), "a link button cannot have a custom_id")
        elif style == ButtonStyle.PREMIUM:
            if not button.get("sku_id"):
                self.problems.add(path + ("sku_id",), "a premium button needs a sku_id", "BASE_TYPE_REQUIRED")
        else:
            self.custom_id(path + ("custom_id",), button.get("custom_id"))
            if "url" in button:
                self.problems.add(path + ("url",), "only link buttons may have a url")
        if style != ButtonStyle.PREMIUM and not button.get("label") and not button.get("emoji"):
            self.problems.add(path, "a button needs a label or an emoji", "BUTTON_LABEL_OR_EMOJI_REQUIRED")

    def select(self, path: Path, select: dict[str, Any]) -> None:
        p = self.problems
        self.custom_id(path + ("custom_id",), select.get("custom_id"))
        p.text(path + ("placeholder",), select.get("placeholder"), high=L.SELECT_PLACEHOLDER_MAX)
        p.number(path + ("min_values",), select.get("min_values"), low=0, high=L.SELECT_VALUES_MAX)
        p.number(path + ("max_values",), select.get("max_values"), low=1, high=L.SELECT_VALUES_MAX)
        low, high = select.get("min_values", 1), select.get("max_values", 1)
        if isinstance(low, int) and isinstance(high, int) and low > high:
            p.add(path + ("min_values",), f"min_values {low} is greater than max_values {high}")
        if select["type"] in AUTO_SELECT_TYPES:
            defaults = p.count(path + ("default_values",), select.get("default_values"), high=L.SELECT_VALUES_MAX)
            if isinstance(high, int) and len(defaults) > high:
                p.add(path + ("default_values",), f"{len(defaults)} defaults exceed max_values {high}")
            return
        options = p.count(path + ("options",), select.get("options"), low=1, high=L.SELECT_OPTIONS_MAX)
        if isinstance(high, int) and options and high > len(options):
            p.add(path + ("max_values",), f"max_values {high} exceeds the {len(options)} options")
        if isinstance(low, int) and options and low > len(options):
            p.add(path + ("min_values",), f"min_values {low} exceeds the {len(options)} options")
        self.select_options(path, options, high)

    def select_options(self, path: Path, options: list[Any], max_values: Any) -> None:
        p = self.problems
        values: set[str] = set()
        defaults = 0
        for index, option in enumerate(options):
            option_path = path + ("options", index)
            if not isinstance(option, dict):
                p.add(option_path, "option must be an object")
                continue
            p.text(
                option_path + ("label",),
                option.get("label"),
                low=1,
                high=L.SELECT_OPTION_TEXT_MAX,
                required=True,
            )
            value = option.get("value")
            p.text(option_path + ("value",), value, low=1, high=L.SELECT_OPTION_TEXT_MAX, required=True)
            p.text(option_path + ("description",), option.get("description"), high=L.SELECT_OPTION_TEXT_MAX)
            if value in values:
                p.add(
                    option_path + ("value",),
                    f"option value {value!r} is not unique",
                    "SELECT_OPTION_VALUE_DUPLICATED",
                )
            values.add(value)
            defaults += bool(option.get("default"))
        if isinstance(max_values, int) and defaults > max_values:
            p.add(path + ("options",), f"{defaults} options are default but max_values is {max_values}")

    # --- components v2 ------------------------------------------------------------------------
    def v2_top_level(self, components: list[Any]) -> None:
        self.v2_list(("components",), components, V2_TOP_LEVEL, high=L.V2_COMPONENTS_MAX)
        if self.total > L.V2_COMPONENTS_MAX:
            self.problems.add(
                ("components",),
                f"{self.total} components exceed the total of {L.V2_COMPONENTS_MAX}",
                "COMPONENT_MAX_TOTAL_COMPONENTS_EXCEEDED",
            )
        if self.v2_text > L.V2_TEXT_TOTAL_MAX:
            self.problems.add(
                ("components",),
                f"text displays total {self.v2_text} characters, over {L.V2_TEXT_TOTAL_MAX}",
                "COMPONENT_MAX_TOTAL_TEXT_EXCEEDED",
            )

    def v2_list(self, path: Path, components: Any, allowed: frozenset[int], *, high: int) -> None:
        for index, component in enumerate(self.problems.count(path, components, low=1, high=high)):
            child_path = path + (index,)
            kind = self._typed(child_path, component)
            if kind is None:
                continue
            if kind not in allowed:
                self.problems.add(child_path, f"component type {kind} is not allowed here")
            elif kind == C.ACTION_ROW:
                self.action_row(child_path, component)
            else:
                self.v2_component(child_path, kind, component)

    def v2_component(self, path: Path, kind: int, component: dict[str, Any]) -> None:
        p = self.problems
        if kind == C.TEXT_DISPLAY:
            self.v2_text += p.text(
                path + ("content",), component.get("content"), low=1, high=L.TEXT_DISPLAY_MAX, required=True
            )
        elif kind == C.CONTAINER:
            p.number(path + ("accent_color",), component.get("accent_color"), low=0, high=L.COLOR_MAX)
            self.v2_list(path + ("components",), component.get("components"), V2_IN_CONTAINER, high=L.V2_COMPONENTS_MAX)
        elif kind == C.SECTION:
            self.v2_list(
                path + ("components",),
                component.get("components"),
                frozenset({C.TEXT_DISPLAY}),
                high=L.SECTION_TEXTS_MAX,
            )
            accessory = component.get("accessory")
            kind = self._typed(path + ("accessory",), accessory)
            if kind == C.BUTTON:
                self.button(path + ("accessory",), accessory)
            elif kind == C.THUMBNAIL:
                self.media(path + ("accessory",), accessory, "media")
            elif kind is not None:
                p.add(path + ("accessory",), "a section accessory must be a button or a thumbnail")
        elif kind == C.MEDIA_GALLERY:
            items = p.count(path + ("items",), component.get("items"), low=1, high=L.MEDIA_GALLERY_ITEMS_MAX)
            for index, item in enumerate(items):
                self.media(path + ("items", index), item, "media")
        elif kind == C.FILE:
            self.media(path, component, "file")
        elif kind == C.SEPARATOR and component.get("spacing") not in (None, 1, 2):
            p.add(path + ("spacing",), f"spacing must be 1 or 2, got {component.get('spacing')!r}")

    def media(self, path: Path, holder: Any, key: str) -> None:
        if not isinstance(holder, dict):
            self.problems.add(path, "must be an object")
            return
        media = holder.get(key)
        url = media.get("url") if isinstance(media, dict) else None
        self.problems.text(path + (key, "url"), url, low=1, high=L.EMBED_URL_MAX, required=True)
        self.problems.text(path + ("description",), holder.get("description"), high=L.MEDIA_DESCRIPTION_MAX)

    # --- modals -------------------------------------------------------------------------------
    def modal_entry(self, path: Path, component: Any) -> None:
        kind = self._typed(path, component)
        if kind is None:
            return
        if kind not in MODAL_TOP_LEVEL:
            self.problems.add(path, f"component type {kind} is not allowed at the top of a modal")
        elif kind == C.TEXT_DISPLAY:
            self.problems.text(
                path + ("content",), component.get("content"), low=1, high=L.TEXT_DISPLAY_MAX, required=True
            )
        elif kind == C.ACTION_ROW:
            inputs = self.problems.count(path + ("components",), component.get("components"), low=1, high=1)
            for index, text_input in enumerate(inputs):
                child_path = path + ("components", index)
                if self._typed(child_path, text_input) != C.TEXT_INPUT:
                    self.problems.add(child_path, "a modal action row may only hold a text input")
                else:
                    self.text_input(child_path, text_input, labelled=False)
        else:
            self.label(path, component)

    def label(self, path: Path, label: dict[str, Any]) -> None:
        self.problems.text(path + ("label",), label.get("label"), low=1, high=L.MODAL_LABEL_MAX, required=True)
        self.problems.text(path + ("description",), label.get("description"), low=1, high=L.LABEL_DESCRIPTION_MAX)
        child = label.get("component")
        kind = self._typed(path + ("component",), child)
        if kind == C.TEXT_INPUT:
            self.text_input(path + ("component",), child, labelled=True)
        elif kind in SELECT_TYPES:
            self.select(path + ("component",), child)
        elif kind is not None:
            self.problems.add(path + ("component",), f"component type {kind} is not supported inside a label")

    def text_input(self, path: Path, text_input: dict[str, Any], *, labelled: bool) -> None:
        p = self.problems
        self.custom_id(path + ("custom_id",), text_input.get("custom_id"))
        if text_input.get("style") not in (1, 2):
            p.add(path + ("style",), f"text input style must be 1 or 2, got {text_input.get('style')!r}")
        # Inside a Label the label text lives on the Label; discord.py then sends label=None here.
        p.text(path + ("label",), text_input.get("label"), low=1, high=L.MODAL_LABEL_MAX, required=not labelled)
        p.text(path + ("placeholder",), text_input.get("placeholder"), high=L.TEXT_INPUT_PLACEHOLDER_MAX)
        p.text(path + ("value",), text_input.get("value"), high=L.TEXT_INPUT_VALUE_MAX)
        low, high = text_input.get("min_length"), text_input.get("max_length")
        p.number(path + ("min_length",), low, low=0, high=L.TEXT_INPUT_VALUE_MAX)
        p.number(path + ("max_length",), high, low=1, high=L.TEXT_INPUT_VALUE_MAX)
        if isinstance(low, int) and isinstance(high, int) and low > high:
            p.add(path + ("min_length",), f"min_length {low} is greater than max_length {high}")
