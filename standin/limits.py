"""Discord's documented payload limits, encoded as constants.

Numbers were checked against Discord's OpenAPI spec (v10 preview) and the developer docs. Where the
two disagree the stricter, documented-for-bots value is used and the reason is noted.
"""

from __future__ import annotations

# --- messages ------------------------------------------------------------------------------
# The spec allows 4000 for channel messages (that is the Nitro limit); bots get 2000, as do
# webhooks/interaction responses in the spec.
CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_TEXT_MAX = 2048
EMBED_AUTHOR_NAME_MAX = 256
EMBED_URL_MAX = 2048
EMBED_TOTAL_MAX = 6000  # title + description + field names/values + footer text + author name, all embeds
COLOR_MAX = 0xFFFFFF
ATTACHMENTS_MAX = 10
ALLOWED_MENTION_PARSE_VALUES = frozenset({"roles", "users", "everyone"})
ALLOWED_MENTION_KEYS = frozenset({"parse", "roles", "users", "replied_user"})
ALLOWED_MENTION_IDS_MAX = 100

# --- classic components ----------------------------------------------------------------------
ACTION_ROWS_MAX = 5
ROW_BUTTONS_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
BUTTON_URL_MAX = 512
SELECT_OPTIONS_MAX = 25
SELECT_OPTION_TEXT_MAX = 100  # label, value and description
SELECT_PLACEHOLDER_MAX = 150
SELECT_VALUES_MAX = 25

# --- components v2 (message flag IS_COMPONENTS_V2) --------------------------------------------
V2_COMPONENTS_MAX = 40  # counted recursively, containers and rows included
V2_TEXT_TOTAL_MAX = 4000  # all text displays of one message together
TEXT_DISPLAY_MAX = 4000
SECTION_TEXTS_MAX = 3
MEDIA_GALLERY_ITEMS_MAX = 10
MEDIA_DESCRIPTION_MAX = 1024

# --- modals --------------------------------------------------------------------------------
MODAL_TITLE_MAX = 45
# The spec allows 40 top-level entries (labels may wrap text displays); the docs and discord.py's
# own Modal.add_item cap interactive children at 5, which is what a bot can rely on.
MODAL_COMPONENTS_MAX = 5
MODAL_LABEL_MAX = 45  # text input label, or Label component label
LABEL_DESCRIPTION_MAX = 100
TEXT_INPUT_PLACEHOLDER_MAX = 100
TEXT_INPUT_VALUE_MAX = 4000  # also the ceiling for min_length/max_length

# --- autocomplete and command choices ---------------------------------------------------------
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
# The spec says 6000 for a string choice value; the docs say 100, which is what the client shows.
CHOICE_STRING_VALUE_MAX = 100

# --- application command definitions ----------------------------------------------------------
COMMAND_NAME_MAX = 32
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25
COMMAND_TOTAL_TEXT_MAX = 4000  # names, descriptions and choice names/values of one command
STRING_OPTION_LENGTH_MAX = 6000  # min_length/max_length of a string option
CHAT_INPUT_COMMANDS_MAX = 100  # per scope (global, or one guild)
CONTEXT_MENU_COMMANDS_MAX = 15  # per scope and per type (user / message)
# Docs regex: ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$ (checked char by char in check_commands).
COMMAND_NAME_PUNCTUATION = frozenset("-_'")

# --- interaction timing -----------------------------------------------------------------------
INTERACTION_ACK_DEADLINE = 3.0  # seconds between INTERACTION_CREATE and the first callback
INTERACTION_TOKEN_LIFETIME = 15 * 60.0  # seconds a token stays valid for followups/edits
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024  # sent to the bot as attachment_size_limit


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: Discord counts astral characters (most emoji) as two."""
    return len(text.encode("utf-16-le")) // 2
