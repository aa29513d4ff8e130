"""What every subcommand shares: exit codes, the one-sentence error, the connection.

A subcommand raises ``CliError`` (or lets an ``ApiError``/``ConfigError`` through) and
``main`` turns it into a message on stderr and an exit code; nobody prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from tui.config import Settings, connection_for, resolve_settings
from tui.fields.text import visible

if TYPE_CHECKING:
    from tui.api import Connection

log = logging.getLogger("tui.cli")

OK = 0
API_FAILURE = 1
USAGE = 2
CHANGED_ON_SERVER = 3
DIFFERENT = 4  # tgedit diff only: the two sides differ
INTERRUPTED = 130


class CliError(Exception):
    """A failure with its exit code; ``message`` is what the person reads."""

    def __init__(self, message: str, code: int = USAGE, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or []


@dataclass
class Io:
    """The streams and environment a command uses (tests pass their own)."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str = "") -> None:
        print(text, file=self.stderr)


def settings_from(args: argparse.Namespace, io: Io) -> Settings:
    from tui.config import SETTINGS

    flags = {name: getattr(args, name, None) for name in (*SETTINGS, "profile")}
    return resolve_settings(
        flags,
        io.env,
        config_path=getattr(args, "config", None),
        timeout=getattr(args, "timeout", None),
        body=getattr(args, "body", None),
        ca_bundle=getattr(args, "ca_bundle", None),
        allow_http=bool(getattr(args, "allow_http", False)),
    )


def connect(args: argparse.Namespace, io: Io) -> tuple[Settings, Connection]:
    settings = settings_from(args, io)
    connection = connection_for(settings)
    register_secrets(connection)
    # Which flag, variable or profile gave each setting: names only, never a value.
    log.debug("%r; settings from %s", connection, dict(settings.sources))
    return settings, connection


# Every secret in play, so that the debug log and error messages can scrub them.
SECRETS: set[str] = set()


def register_secrets(connection: Connection) -> None:
    SECRETS.update(s for s in connection.auth.secrets() if s and len(s) >= 4)


def scrub(text: str) -> str:
    for secret in SECRETS:
        text = text.replace(secret, "<redacted>")
    return text


def say(text: str) -> str:
    """Text for the terminal: secrets removed, control characters made visible."""
    return visible(scrub(text))


def error_details(error: BaseException) -> list[str]:
    """The envelope's ``code: message`` items of an API error, or its excerpt."""
    message = getattr(error, "message", "")
    # API messages often quote their first item or the excerpt: do not say it twice.
    lines = [str(item) for item in getattr(error, "errors", None) or []]
    lines = [line for line in lines if line not in message]
    excerpt = getattr(error, "excerpt", None)
    if not lines and excerpt and excerpt not in message:
        lines.append(f"the reply began: {excerpt}")
    return lines


def item_text(item: object) -> str:
    """An envelope's warning or error item as ``code: message`` (or as it came)."""
    if isinstance(item, dict) and isinstance(item.get("message"), str):
        code = item.get("code")
        return f"{code}: {item['message']}" if code not in (None, "") else item["message"]
    return item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
