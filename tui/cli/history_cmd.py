"""``tgedit history [ID] [--json]``: the PUTs sent from this machine, newest first.

Read from the audit trail (``$XDG_STATE_HOME/tgedit/audit.jsonl``) that ``tgedit set``
and the editor append to; no connection is needed. Each entry: when, which group on
which server, what came of it (applied, refused, unknown: it may have been applied,
written before the PUT left and never settled), the HTTP status, the fields the body
changed, and the server's errors and warnings.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from tui.cli import flags
from tui.cli.common import CliError, Io, say
from tui.cli.render import safe_json
from tui.cli.style import Painter, wants_colour
from tui.fields.presentation import value_text
from tui.terminal_text import first_line

VALUE_LIMIT = 70

OUTCOME_WORDS = {
    "applied": "applied",
    "refused": "refused (nothing changed)",
    "unknown": "outcome unknown: it may have been applied",
    # Lines written before the outcomes had these names.
    "sent": "applied",
    "failed": "failed",
}


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "history",
        parents=[flags.general(), flags.connection(shown=False)],
        help="show the changes sent from this machine (the audit log), newest first",
        description=(
            "Show every PUT that tgedit sent from this machine, newest first, from the "
            "audit log in the state folder: when, to which group and server, what it "
            "changed, and what came of it. Needs no connection."
        ),
    )
    parser.add_argument(
        "group_id", type=flags.group_id, nargs="?", metavar="ID", help="only this target group"
    )
    parser.add_argument("--json", action="store_true", help="print the entries as JSON")
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="at most N entries (the newest)",
    )
    parser.set_defaults(handler=run)


def changed_fields(body: Any) -> list[tuple[str, Any]]:
    """The fields a PUT body sets, as field paths: ``name``, ``targets[3006].expression``."""
    if not isinstance(body, dict):
        return [("(body)", body)]
    fields: list[tuple[str, Any]] = []
    for key, value in body.items():
        if key == "id":
            continue
        if key == "targets" and isinstance(value, list):
            for target in value:
                if not isinstance(target, dict):
                    fields.append(("targets[?]", target))
                    continue
                where = f"targets[{value_text(target.get('id'))}]"
                fields += [(f"{where}.{k}", v) for k, v in target.items() if k != "id"]
        else:
            fields.append((key, value))
    return fields


_NO_BEFORE = object()


def changes_of(entry: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(path, after, before) of each field: from ``changes`` when the entry has them,
    else from the body (entries written before tgedit recorded the values before)."""
    items = entry.get("changes")
    if isinstance(items, list) and items and all(isinstance(i, dict) for i in items):
        return [(str(i.get("path")), i.get("after"), i.get("before")) for i in items]
    return [(path, value, _NO_BEFORE) for path, value in changed_fields(entry.get("body"))]


def _short(value: Any) -> str:
    shown = first_line(value, VALUE_LIMIT) if isinstance(value, str) else value_text(value)
    return shown if len(shown) <= VALUE_LIMIT else shown[: VALUE_LIMIT - 1] + "…"


def entry_lines(entry: dict[str, Any], painter: Painter) -> list[str]:
    outcome = str(entry.get("outcome") or "?")
    status = entry.get("status")
    answer = f"HTTP {status}" if isinstance(status, int) else "no answer"
    user = entry.get("user")
    head = (
        f"{value_text(entry.get('id') or '?')}  "
        f"{value_text(entry.get('time') or '?')}  group {value_text(entry.get('groupId'))}  "
        f"{OUTCOME_WORDS.get(outcome, value_text(outcome))} ({answer})  "
        f"{value_text(entry.get('baseUrl') or '?')}"
        + (f"  by {value_text(user)}" if isinstance(user, str) and user else "")
    )
    paint = painter.bold if outcome in ("applied", "sent") else painter.changed
    lines = [paint(say(head))]
    for path, value, before in changes_of(entry):
        was = "" if before is _NO_BEFORE else f"  (was {_short(before)})"
        lines.append(say(f"  {path} = {_short(value)}{was}"))
    for item in entry.get("errors") or []:
        lines.append(say(f"  error: {first_line(stored_item_text(item), 200)}"))
    for item in entry.get("warnings") or []:
        lines.append(say(f"  warning: {first_line(stored_item_text(item), 200)}"))
    message = entry.get("message")
    if isinstance(message, str) and message:
        lines.append(painter.dim(say(f"  {first_line(message, 400)}")))
    group_id = entry.get("groupId")
    if outcome == "unknown" and isinstance(group_id, int) and not isinstance(group_id, bool):
        lines.append(painter.dim(f"  to see what the server holds now: tgedit show {group_id}"))
    return lines


def run(args: argparse.Namespace, io: Io) -> int:
    from tui.session.audit import AuditLog

    if args.limit is not None and args.limit < 1:
        raise CliError("--limit must be 1 or more")
    audit = AuditLog()
    entries = audit.entries(args.group_id)
    if audit.unreadable_lines:  # a torn line (a kill, a full disk): skipped, and said
        io.err(
            say(
                f"warning: {audit.unreadable_lines} line(s) of the audit log {audit.path} "
                "could not be read (cut short by a full disk or a kill) and are left out"
            )
        )
    if args.limit is not None:
        entries = entries[: args.limit]
    if args.json:
        io.out(safe_json(entries))
        return 0
    if not entries:
        which = f"to target group {args.group_id} " if args.group_id is not None else ""
        io.err(say(f"No change {which}was sent from here yet (the audit log is {audit.path})."))
        return 0
    painter = Painter(wants_colour(io.stdout, io.env))
    blocks = ["\n".join(entry_lines(entry, painter)) for entry in entries]
    io.out("\n\n".join(blocks))
    return 0


def stored_item_text(item: object) -> str:
    """An error or warning item as the audit log stored it (``{"code", "message"}``), as
    ``code: message``; anything else as it came. (Read here, not through tui.api, so that
    reading the log never loads the HTTP client.)"""
    if isinstance(item, dict) and isinstance(item.get("message"), str):
        code = item.get("code")
        return f"{code}: {item['message']}" if code not in (None, "") else item["message"]
    return item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
