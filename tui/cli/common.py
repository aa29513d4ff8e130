"""What every subcommand shares: exit codes, the one-sentence error, the connection.

A subcommand raises ``CliError`` (or lets an ``ApiError``/``ConfigError`` through) and
``main`` turns it into a message on stderr and an exit code; nobody prints a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from tui.config.connection import connection_for
from tui.config.settings import Settings, resolve_settings
from tui.terminal_text import visible

if TYPE_CHECKING:
    from tui.api.connection import Connection

log = logging.getLogger("tui.cli")

OK = 0
API_FAILURE = 1
USAGE = 2
CHANGED_ON_SERVER = 3
DIFFERENT = 4  # tgedit diff only: a difference found (a file from live, or two sides)
DECLINED = 5  # the person answered no at the question before a PUT (nothing sent)
INTERRUPTED = 130


class CliError(Exception):
    """A failure with its exit code; ``message`` is what the person reads."""

    def __init__(self, message: str, code: int = USAGE, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or []


class Io:
    """The streams and environment a command uses (tests pass their own)."""

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        stdin: TextIO | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.stdout = sys.stdout if stdout is None else stdout
        self.stderr = sys.stderr if stderr is None else stderr
        self.stdin = sys.stdin if stdin is None else stdin
        self.env = os.environ if env is None else env

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str = "") -> None:
        print(text, file=self.stderr)


def settings_from(args: argparse.Namespace, io: Io) -> Settings:
    from tui.config.settings import SETTINGS

    flags = {name: getattr(args, name, None) for name in (*SETTINGS, "profile")}
    return resolve_settings(
        flags,
        io.env,
        config_path=getattr(args, "config", None),
        timeout=getattr(args, "timeout", None),
        body=getattr(args, "body", None),
        ca_bundle=getattr(args, "ca_bundle", None),
        allow_http=bool(getattr(args, "allow_http", False)),
        jobs=getattr(args, "jobs", None),
    )


def connect(args: argparse.Namespace, io: Io) -> tuple[Settings, Connection]:
    settings = settings_from(args, io)
    connection = connection_for(settings)  # its credentials register as secrets (redaction)
    # Which flag, variable or profile gave each setting: names only, never a value.
    log.debug("%r; settings from %s", connection, dict(settings.sources))
    return settings, connection


def say(text: str) -> str:
    """Text for the terminal: secrets removed (``tui.api.redaction``), control characters
    made visible."""
    from tui.api.redaction import redact

    return visible(redact(text))
