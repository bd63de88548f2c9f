"""Discord's documented payload limits, encoded once so renderers, validators and tests share them.

Lengths are counted in UTF-16 code units (``discord_len``): never fewer than code points, so a
text that fits by this measure fits however Discord counts.
"""

MESSAGE_CONTENT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
EMBED_TOTAL = 6000
EMBED_URL = 2048  # an embed's url and its thumbnail's

ACTION_ROWS = 5
BUTTONS_PER_ROW = 5
BUTTON_LABEL = 80
CUSTOM_ID = 100
SELECT_OPTIONS = 25
SELECT_OPTION_LABEL = 100
SELECT_OPTION_VALUE = 100
SELECT_OPTION_DESCRIPTION = 100
SELECT_PLACEHOLDER = 150

AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100

MODAL_TITLE = 45
TEXT_INPUT_LABEL = 45
TEXT_INPUT_PLACEHOLDER = 100
TEXT_INPUT_VALUE = 4000

COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100

FIRST_RESPONSE_SECONDS = 3
INTERACTION_TOKEN_SECONDS = 15 * 60


def discord_len(text: str) -> int:
    """Length as Discord's clients measure it at worst (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2
