"""Logging: one line per event on stderr, and the token can never appear in one."""

from __future__ import annotations

import logging
import re
import sys

# At DEBUG these libraries log whole payloads (gateway events, SQL parameters), which carry moment
# names and members' text; DEBUG therefore applies to Namida's own loggers only.
PAYLOAD_LOGGERS = ("discord", "aiosqlite")
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
REDACTED = "[redacted]"
# Interaction and webhook tokens travel in URL paths; a library's exception message (a timed-out
# answer, say) can carry the whole URL. Whatever the token's shape, the path segment goes.
_URL_TOKENS = re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/\s'\"?]+")


class SafeFormatter(logging.Formatter):
    """Keeps a traceback on its event's line and removes secrets from the final text,
    whichever path (message, argument, exception) carried them there."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__(FORMAT)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record).replace("\n", " | ")
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return _URL_TOKENS.sub(rf"\g<1>{REDACTED}", text)


def setup_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SafeFormatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.getLevelName(level), logging.INFO))
