"""The ``tgedit`` command: the parser, the dispatch, and the one place errors become exit codes.

Exit codes (design.md): 0 success, 1 API or network failure, 2 usage or validation
error, 3 the group changed on the server since it was loaded, 4 (diff only) a
difference found, 5 the question before sending was answered no, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import sys
from importlib import import_module

from tui import __version__
from tui.api.redaction import forget_all, redact
from tui.cli import flags
from tui.cli.common import (
    API_FAILURE,
    INTERRUPTED,
    USAGE,
    CliError,
    Io,
    say,
)
from tui.config.file import ConfigError
from tui.model.errors import ModelError

log = logging.getLogger("tui.cli")

EPILOG = """\
connection: flags, then environment variables, then a [profiles.NAME] table of
$XDG_CONFIG_HOME/tgedit/config.toml (chosen by --profile, TGEDIT_PROFILE or
default_profile). Credentials: a token, or an OAuth client key and secret, or a
username and password (password_command in a profile runs a command for it).

exit codes: 0 success, 1 API or network failure, 2 usage or validation error,
3 the group changed on the server since it was loaded, 4 (diff only) a
difference found, 5 you answered no when asked to send (nothing sent).

try it without a server: tgedit demo"""


# In the order of design.md: try it, edit, look, script, look back, serve.
COMMANDS = (
    "demo",
    "edit",
    "show",
    "list",
    "set",
    "history",
    "export",
    "diff",
    "apply",
    "revert",
    "stub",
)
# The commands that run the editor, which turns the collector on at its first frame.
EDITOR_COMMANDS = ("demo", "edit")
# Options that end a run before a command is read: every command's help must be there.
_WHOLE_PARSER = frozenset({"-h", "--help", "--version"})


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; with ``argv``, only the command it names is built in full.

    A command's module imports what its run needs (the editor's, the session's); ``tgedit
    edit`` must not pay for ``apply``'s. The others stand as bare names, enough for
    argparse to tell which command ``argv`` gives (``parse_args`` checks that guess).
    """
    chosen = _named_command(argv) if argv is not None else None
    parser = argparse.ArgumentParser(
        prog="tgedit",
        description="View and edit Capillary loyalty target groups (milestones).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[flags.general(), flags.connection()],
    )
    parser.add_argument("--version", action="version", version=f"tgedit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        if chosen is None or name == chosen:
            import_module(f"tui.cli.{name}_cmd").add_parser(subparsers)
        else:
            subparsers.add_parser(name, add_help=False)
    return parser


def _named_command(argv: list[str]) -> str | None:
    """The first word of ``argv`` that names a command; None when help is asked first."""
    for word in argv:
        if word in _WHOLE_PARSER:
            return None
        if word in COMMANDS:
            return word
    return None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    words = sys.argv[1:] if argv is None else list(argv)
    guess = _named_command(words)
    if guess is not None:
        parser = build_parser(words)
        known, _ = parser.parse_known_args(words)
        if known.command == guess:  # the guess was the command, not an option's value
            return parser.parse_args(words)
    return build_parser().parse_args(words)


def main(argv: list[str] | None = None, io: Io | None = None) -> int:
    return _run(argv, io or Io())


def _run(argv: list[str] | None, io: Io) -> int:
    # Secrets are this run's only: a caller that runs several commands in one process (the
    # tests do) must not have one run's password redacted out of the next run's words.
    forget_all()
    try:
        args = parse_args(argv)
    except SystemExit as done:  # --help, --version, or a usage error argparse printed
        gc.enable()
        return done.code if isinstance(done.code, int) else USAGE
    if args.command not in EDITOR_COMMANDS:
        gc.enable()  # paused by tui.cli.entry for the editor's start only
    if getattr(args, "debug", False):
        start_debug_log(io)
    log.debug("command %s", args.command)
    try:
        code: int = args.handler(args, io)
        return code
    except CliError as error:
        return fail(io, error.message, error.code, error.details)
    except ConfigError as error:
        return fail(io, str(error), USAGE)
    except ModelError as error:
        return fail(io, f"the server's reply has an unexpected shape: {error}", API_FAILURE)
    except KeyboardInterrupt:
        io.err("\ntgedit: interrupted; nothing more was sent")
        return INTERRUPTED
    except BrokenPipeError:  # `tgedit list | head`: the reader has all it wanted
        # Python flushes stdout again at exit; point it at /dev/null so that flush is quiet.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        from tui.api.errors import ApiError

        if isinstance(error, ApiError):
            headline, *details = error.lines()
            return fail(io, headline, API_FAILURE, details)
        if isinstance(error, OSError):
            where = f" ({error.filename})" if error.filename else ""
            return fail(io, f"{error.strerror or error}{where}", API_FAILURE)
        log.exception("unexpected error")
        hint = "" if getattr(args, "debug", False) else " (run again with --debug to log details)"
        return fail(io, f"unexpected error: {type(error).__name__}: {error}{hint}", API_FAILURE)


def fail(io: Io, message: str, code: int, details: list[str] | None = None) -> int:
    log.debug("exit %d: %s", code, message)
    io.err(say(f"tgedit: {message}"))
    for line in details or []:
        io.err(say(line if line.startswith("  ") else f"  {line}"))
    return code


class _ScrubbingFormatter(logging.Formatter):
    """Remove every known secret from a log line (tracebacks included) as it is written."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def start_debug_log(io: Io) -> None:
    from tui.session.draft import default_state_dir
    from tui.user_dirs import private_dir

    path = default_state_dir() / "debug.log"
    try:
        private_dir(path.parent)
        # Created readable by this user only: a debug log holds group contents and URLs.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        path.chmod(0o600)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError as error:
        io.err(say(f"tgedit: cannot write the debug log {path}: {error.strerror}"))
        return
    handler.setFormatter(_ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name, level in (("tui", logging.DEBUG), ("tgedit", logging.DEBUG), ("httpx", logging.INFO)):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        for old in [h for h in logger.handlers if isinstance(h.formatter, _ScrubbingFormatter)]:
            logger.removeHandler(old)  # main() may run more than once in one process
            old.close()
        logger.addHandler(handler)
    io.err(say(f"tgedit: logging to {path}"))


if __name__ == "__main__":
    sys.exit(main())
