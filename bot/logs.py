"""Logging: one line per event on stderr (text, or one JSON object per line), and no secret can
ever appear in one."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

# At DEBUG discord.py logs whole payloads (gateway events), which carry moment
# names and members' text; DEBUG therefore applies to Namida's own loggers only.
PAYLOAD_LOGGERS = ("discord",)
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
REDACTED = "[redacted]"
# Interaction and webhook tokens travel in URL paths; a library's exception message (a timed-out
# answer, say) can carry the whole URL. Whatever the token's shape, the path segment goes.
_URL_TOKENS = re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/\s'\"?]+")


# Attributes every LogRecord has: anything else on a record came from ``extra=`` and is a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class SafeFormatter(logging.Formatter):
    """Keeps a traceback on its event's line and removes secrets from the final text,
    whichever path (message, argument, exception) carried them there."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__(FORMAT)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record).replace("\n", " | "))

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return _URL_TOKENS.sub(rf"\g<1>{REDACTED}", text)


class JsonFormatter(SafeFormatter):
    """One JSON object per line: time, level, logger, message, the record's ``extra`` fields, and
    the traceback if any. Every text is redacted like the text format before it is serialised
    (redacting the serialised line could cut an escape sequence in half)."""

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self.redact(record.getMessage()),
        }
        fields = {key: self.redact(str(value)) for key, value in vars(record).items() if key not in _STANDARD}
        if fields:
            event["fields"] = fields
        if record.exc_info:
            event["exception"] = self.redact(self.formatException(record.exc_info))
        return json.dumps(event, ensure_ascii=False)


def setup_logging(level: str, secrets: list[str], log_format: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(secrets) if log_format == "json" else SafeFormatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.getLevelName(level), logging.INFO))
