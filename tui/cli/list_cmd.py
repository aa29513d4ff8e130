"""``tgedit list [--json] [--active-only] [--where PATH=VALUE|PATH~REGEX]... [--jobs N]``:
the target groups, one aligned line each; with ``--where``, the groups whose fields meet
every condition (``tui/fields/where.py``), each with the fields that do, the groups
fetched up to ``--jobs`` at once and told in the list's order."""

from __future__ import annotations

import argparse
import asyncio
import unicodedata
from typing import TYPE_CHECKING, Any

from tui.cli import flags
from tui.cli.common import CliError, Io, connect, say
from tui.cli.render import safe_json
from tui.cli.style import Painter, wants_colour
from tui.fields.paths import format_path
from tui.fields.presentation import value_text
from tui.terminal_text import first_line

if TYPE_CHECKING:
    from tui.fields.where import Condition
    from tui.session.remote import GroupService

NAME_LIMIT = 40
COLUMNS = ("ID", "NAME", "ACTIVE", "DATES", "TRACKING")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "list",
        parents=[flags.general(), flags.connection(), flags.jobs()],
        help="list the target groups, one line each (--where: those whose fields match)",
        description=(
            "List the target groups: id, name, active, fromDate → toDate, trackingType. "
            "With --where, fetch every group and print those whose fields meet each "
            "condition, with the paths that do."
        ),
        epilog=(
            "examples: tgedit list --where 'targets[*].expression~discount' · "
            "tgedit list --where 'periods[*].periodStatus=RUNNING' --json"
        ),
    )
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    parser.add_argument(
        "--active-only", action="store_true", help="only the groups that are active"
    )
    parser.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="PATH=VALUE|PATH~REGEX",
        help="a field path ([*]: every element) equal to VALUE, or searched by REGEX; "
        "repeat for all of several",
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

    conditions = _conditions(args.where)
    settings, connection = connect(args, io)
    service = GroupService(connection)
    if conditions:
        return asyncio.run(_where(args, io, service, conditions, settings.jobs))

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


def _conditions(texts: list[str]) -> list[Condition]:
    from tui.fields.where import ConditionError, parse_condition

    try:
        return [parse_condition(text) for text in texts]
    except ConditionError as error:
        raise CliError(say(f"--where: {error}")) from None


async def _where(
    args: argparse.Namespace,
    io: Io,
    service: GroupService,
    conditions: list[Condition],
    jobs: int,
) -> int:
    from tui.cli.progress import Progress
    from tui.cli.render import change_value_text
    from tui.session.many import each_in_order

    found: list[dict[str, Any]] = []
    try:
        listed = await service.list_groups(active_only=args.active_only)
        group_ids = [int(group["id"]) for group in listed]
        with Progress(io, "Reading", len(group_ids)) as progress:

            async def fetch(group_id: int) -> dict[str, Any]:
                return (await service.fetch(group_id)).group

            def take(group_id: int, group: dict[str, Any]) -> None:
                progress.advance()
                matched = [condition.matches(group) for condition in conditions]
                if not all(matched):
                    return
                fields = [(format_path(path), value) for each in matched for path, value in each]
                found.append({"id": group_id, "name": group.get("name"), "fields": fields})
                if not args.json:
                    progress.out(say(f"{group_id}  {first_line(group.get('name') or '—', 80)}"))
                    progress.out(
                        "\n".join(
                            say(f"  {path}: {change_value_text(value)}") for path, value in fields
                        )
                    )

            await each_in_order(group_ids, fetch, take, jobs=jobs)
    finally:
        await service.aclose()
    if args.json:
        io.out(
            safe_json(
                [
                    {
                        "id": entry["id"],
                        "name": entry["name"],
                        "matches": [{"path": p, "value": v} for p, v in entry["fields"]],
                    }
                    for entry in found
                ]
            )
        )
    io.err(f"{len(found)} of {len(group_ids)} target groups match")
    return 0
