"""``tgedit list [--json] [--active-only]``: the target groups, one aligned line each."""

from __future__ import annotations

import argparse
import asyncio
import unicodedata
from typing import Any

from tui.cli import flags
from tui.cli.common import Io, connect
from tui.cli.render import safe_json
from tui.cli.style import Painter, wants_colour
from tui.fields.presentation import value_text
from tui.fields.terminal_text import first_line

NAME_LIMIT = 40
COLUMNS = ("ID", "NAME", "ACTIVE", "DATES", "TRACKING")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "list",
        parents=[flags.general(), flags.connection()],
        help="list the target groups, one line each",
        description="List the target groups: id, name, active, fromDate → toDate, trackingType.",
    )
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    parser.add_argument(
        "--active-only", action="store_true", help="only the groups that are active"
    )
    parser.set_defaults(handler=run)


def cells(text: str) -> int:
    """Terminal cells ``text`` takes: wide (CJK, emoji) characters take two."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
        for c in text
    )


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cells(text))


def row_of(group: Any) -> tuple[str, ...]:
    if not isinstance(group, dict):
        return (value_text(group), "", "", "", "")
    active = group.get("active")
    dates = f"{value_text(group.get('fromDate') or '?')} → {value_text(group.get('toDate') or '?')}"
    return (
        value_text(group.get("id")),
        first_line(group.get("name") or "—", NAME_LIMIT),
        "yes" if active is True else "no" if active is False else "?",
        dates,
        value_text(group.get("trackingType") or "—"),
    )


def format_rows(groups: list[Any], painter: Painter) -> list[str]:
    rows = [COLUMNS, *(row_of(group) for group in groups)]
    widths = [max(cells(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for number, row in enumerate(rows):
        line = "  ".join(pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip()
        lines.append(painter.bold(line) if number == 0 else line)
    return lines


def run(args: argparse.Namespace, io: Io) -> int:
    from tui.session.remote import GroupService

    _, connection = connect(args, io)
    service = GroupService(connection)

    async def fetch() -> list[dict[str, Any]]:
        try:
            return await service.list_groups(active_only=args.active_only)
        finally:
            await service.aclose()

    groups = asyncio.run(fetch())
    if args.json:
        io.out(safe_json(groups))
        return 0
    if not groups:
        io.err("No target groups" + (" are active." if args.active_only else " were found."))
        return 0
    io.out("\n".join(format_rows(groups, Painter(wants_colour(io.stdout, io.env)))))
    return 0
