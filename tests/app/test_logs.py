"""Secrets never reach a log line, whichever path (message, argument, exception) carries them."""

from __future__ import annotations

import json
import logging

from bot.logs import REDACTED, JsonFormatter, SafeFormatter

TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GstAnd.in-standin-standin-standin-0"
INTERACTION_TOKEN = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmFiY2RlZg"


def _line(message: str, *args: object, exc: BaseException | None = None) -> str:
    record = logging.LogRecord("discord.http", logging.ERROR, __file__, 1, message, args, None)
    if exc is not None:
        record.exc_info = (type(exc), exc, exc.__traceback__)
    return SafeFormatter([TOKEN]).format(record)


def test_the_bot_token_is_redacted_from_messages_and_arguments():
    line = _line("login with %s", TOKEN)
    assert TOKEN not in line and REDACTED in line


def test_an_interaction_callback_url_in_a_timeout_loses_its_token():
    url = f"https://discord.com/api/v10/interactions/123456789012345678/{INTERACTION_TOKEN}/callback"
    try:
        raise TimeoutError(f"request to {url} timed out")
    except TimeoutError as error:
        line = _line("Answer failed", exc=error)
    assert INTERACTION_TOKEN not in line
    assert f"/interactions/123456789012345678/{REDACTED}/callback" in line


def test_a_webhook_followup_url_loses_its_token():
    line = _line("POST %s failed", f"https://discord.com/api/v10/webhooks/1000000000000000001/{INTERACTION_TOKEN}")
    assert INTERACTION_TOKEN not in line and f"/webhooks/1000000000000000001/{REDACTED}" in line


def test_ordinary_paths_are_left_alone():
    assert "/channels/1/messages/2" in _line("PATCH /channels/1/messages/2 failed")


def _json_line(message: str, *args: object, exc: BaseException | None = None, **extra: object) -> dict:
    record = logging.LogRecord("bot.answers", logging.WARNING, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    if exc is not None:
        record.exc_info = (type(exc), exc, exc.__traceback__)
    line = JsonFormatter([TOKEN]).format(record)
    assert "\n" not in line  # one event, one line
    return json.loads(line)


def test_a_json_line_has_time_level_logger_message_and_fields():
    event = _json_line("Poll %s closed", 7, poll_id=7)
    assert event["level"] == "WARNING" and event["logger"] == "bot.answers"
    assert event["message"] == "Poll 7 closed" and event["fields"] == {"poll_id": "7"}
    assert event["time"].endswith("+00:00")


def test_json_lines_are_redacted_like_text_lines_and_stay_valid_json():
    url = f'https://discord.com/api/v10/interactions/1/{INTERACTION_TOKEN}"/callback'
    try:
        raise TimeoutError(f"request to {url} timed out")
    except TimeoutError as error:
        event = _json_line("login with %s", TOKEN, exc=error, url=url)
    text = json.dumps(event)
    assert TOKEN not in text and INTERACTION_TOKEN not in text
    assert event["message"] == f"login with {REDACTED}"
    assert f"/interactions/1/{REDACTED}" in event["exception"] and "Traceback" in event["exception"]
