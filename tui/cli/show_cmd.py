"""``tgedit show ID [--json]``: one target group as a tree, or as the JSON received."""

from __future__ import annotations

import argparse
from typing import Any

from tui.api.replies import raw_member
from tui.cli import flags
from tui.cli.common import Io, connect, say
from tui.cli.render import legend, render_group, safe_json
from tui.cli.style import Painter, wants_colour
from tui.session.draft import DraftError, DraftStore
from tui.session.edit import EditSession
from tui.session.restore import restore_draft
from tui.terminal_text import json_for_terminal, visible


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "show",
        parents=[flags.general(), flags.connection()],
        help="print a target group as a tree (or as JSON) and exit",
        description=(
            "Print a target group as a tree: read-only fields marked ⊘ (and dim on a "
            "terminal), editable ones plain, and the changes of an unsent draft marked ●."
        ),
    )
    parser.add_argument("group_id", type=flags.group_id, metavar="ID", help="the target group's id")
    parser.add_argument(
        "--json", action="store_true", help="print the group's JSON as the server sent it"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, io: Io) -> int:
    from tui.api.client import fetch_group

    _, connection = connect(args, io)
    fetched = fetch_group(connection, args.group_id)
    if args.json:
        # The bytes of ``data`` as the server sent them (not re-indented); only characters
        # a terminal could obey are written as \uNNNN, which is still the same JSON value.
        raw = raw_member(fetched.text, "data")
        io.out(json_for_terminal(raw) if raw is not None else safe_json(fetched.group))
        return 0
    session = EditSession(fetched.group)
    note = _apply_draft(session, connection.base_url, io)
    painter = Painter(wants_colour(io.stdout, io.env))
    lines = render_group(session, painter)
    if note:
        lines.insert(1, painter.changed(note))
    lines.extend(painter.changed(line) for line in _expression_warnings(session))
    io.out("\n".join(lines))
    io.out(painter.dim(legend(session.group_id, session)))
    for warning in fetched.warnings or []:
        io.err(say(f"warning from the server: {warning}"))
    return 0


def _expression_warnings(session: EditSession) -> list[str]:
    """A line for each target whose expression and expressionJson disagree (the editor
    flags them too; no command sends such a target)."""
    from tui.session.expression_sync import disagreeing_targets

    return [
        f"⚠ targets[{target}]: expression and expressionJson disagree: they describe"
        " different rules"
        for target in disagreeing_targets(session)
    ]


def _apply_draft(session: EditSession, base_url: str, io: Io) -> str | None:
    """Lay an unsent draft of the editor over the group, so ``show`` tells the truth."""
    try:
        draft = DraftStore().load(base_url, session.group_id)
    except DraftError as error:
        io.err(say(f"warning: {error}"))
        return None
    except OSError:  # an unreadable state folder must not stop a read-only command
        return None
    if draft is None:
        return None
    report = restore_draft(session, draft)
    count = len(report.applied)
    note = (
        f"An unsent draft (saved {visible(draft.saved_at)}) changes {count} field"
        f"{'' if count == 1 else 's'}, marked ●; continue it with: tgedit edit {session.group_id}"
    )
    if report.server_moved:
        note += " (the group changed on the server since the draft was made)"
    return note
