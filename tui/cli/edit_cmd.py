"""``tgedit edit [ID | --file GROUP.json]``: the editor on a group, a list, or a saved file.

The editor is imported inside the handler, so that ``show``, ``list`` and ``set`` never
load Textual.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui.cli import flags
from tui.cli.common import CliError, Io, settings_from
from tui.config.connection import connection_for, missing_message
from tui.config.file import ConfigError


def add_parser(subparsers: Any) -> None:
    edit = subparsers.add_parser(
        "edit",
        parents=[flags.general(), flags.connection(), flags.body()],
        help="open the editor on a target group (or pick one from a list)",
        description=(
            "Open the editor. With ID, on that target group; without, on a filterable list "
            "of target groups; with --file, on a saved group (offline unless a connection "
            "is configured)."
        ),
    )
    edit.add_argument(
        "group_id", type=flags.group_id, nargs="?", metavar="ID", help="the target group's id"
    )
    edit.add_argument(
        "--file", type=Path, metavar="GROUP.json", help="a saved group (reply envelope or bare)"
    )
    edit.set_defaults(handler=run)


def run(args: argparse.Namespace, io: Io) -> int:
    if args.group_id is not None and args.file is not None:
        raise CliError("give a target group ID or --file, not both")
    settings = settings_from(args, io)
    try:
        connection = connection_for(settings)
    except ConfigError:
        # A saved group can be looked at and edited offline when no connection is
        # configured; one that is configured but refused (plain http, a bad CA bundle,
        # an unknown cluster) is an error, not a silent switch to offline.
        if args.file is None or missing_message(settings) is None:
            raise
        connection = None
    if args.file is not None:
        _check_file(args.file)
    prefetch = None
    if connection is not None and args.group_id is not None:
        # The GET runs while the editor imports (tui.session.prefetch).
        from tui.session.prefetch import Prefetch

        prefetch = Prefetch(connection, args.group_id).start()
    from tui.app.run import run_editor

    return run_editor(
        connection,
        args.group_id,
        args.file,
        body_mode=settings.body,
        keymap=dict(settings.keys) or None,
        clipboard=settings.clipboard,
        config_path=settings.config_path,
        prefetch=prefetch,
    )


def _check_file(path: Path) -> None:
    """Load the file once here so that a bad file is a one-line error, not a crash in the UI."""
    from tui.app.run import load_group_file
    from tui.model.errors import ModelError

    try:
        load_group_file(path)
    except ModelError as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"cannot read {path}: {error.strerror or error}") from None
