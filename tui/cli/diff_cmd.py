"""``tgedit diff FILE|ID [FILE|ID] [--json]``: what apply would change, or two groups compared.

One argument: the file's changes against the live group of its ``id`` (exactly what
``tgedit apply FILE`` would send: ``path: live → file`` lines, then the PUT body). An id
alone stands for its exported file, ``./target-groups/<id>.json``.
Two arguments (files or ids, mixed): every field that differs, read-only ones too; when
the two are different groups, targets and streaks pair by name and periods by position
(``tui/session/compare.py``). Exit 0 when nothing differs, 4 when something does.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli import flags
from tui.cli.common import DIFFERENT, OK, CliError, Io, connect, say
from tui.cli.render import change_value_text, safe_json, short_change_lines
from tui.fields import format_path
from tui.fields.terminal_text import json_for_terminal

if TYPE_CHECKING:
    from tui.session.remote import GroupService


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        parents=[flags.general(), flags.connection()],
        help="show what apply would change, or compare two target groups",
        description=(
            "With one FILE: what `tgedit apply FILE` would change on the live group "
            "(path: live → file, then the PUT body). With two (files or ids): every field "
            "that differs, read-only fields too. Exit 0: no difference; 4: different."
        ),
        epilog="examples: tgedit diff target-groups/2762.json · tgedit diff 2762 18044",
    )
    parser.add_argument("sides", nargs="+", metavar="FILE|ID", help="one file, or two sides")
    parser.add_argument(
        "--json", action="store_true", help='print a list of {"path", "left", "right"}'
    )
    parser.set_defaults(handler=run)


def _as_json(value: Any) -> Any:
    from tui.session.changes import ABSENT

    return None if value is ABSENT else value


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and not Path(text).exists()


def run(args: argparse.Namespace, io: Io) -> int:
    from tui.session.export import DEFAULT_DIR, file_name
    from tui.session.remote import GroupService

    if len(args.sides) > 2:
        raise CliError("diff compares one file with its live group, or two sides; not more")
    sides: list[str] = list(args.sides)
    if len(sides) == 1 and _is_id(sides[0]):
        sides = [str(DEFAULT_DIR / file_name(int(sides[0])))]
    files = {text: _read(text) for text in sides if not _is_id(text)}
    settings, connection = connect(args, io)
    service = GroupService(connection)
    if len(sides) == 1:
        return asyncio.run(_against_live(args, io, service, sides[0], files[sides[0]], settings))
    return asyncio.run(_two_sides(args, io, service, sides, files))


def _read(text: str) -> dict[str, Any]:
    from tui.session.export import GroupFileError, read_group_file

    try:
        return read_group_file(Path(text))
    except GroupFileError as error:
        raise CliError(str(error)) from None


async def _against_live(
    args: argparse.Namespace,
    io: Io,
    service: GroupService,
    name: str,
    document: dict[str, Any],
    settings: Any,
) -> int:
    from tui.cli.sending import problems_error
    from tui.session.file_plan import plan_files

    try:
        (plan,) = await plan_files(service, [(say(name), document)])
    finally:
        await service.aclose()
    for note in plan.notes:
        io.err(say(f"{plan.source}: {note}"))
    error = problems_error([plan])
    if error is not None:
        error.message = "apply would refuse this file: " + error.message.replace(
            ", so nothing was sent", ""
        )
        raise error
    changes = plan.session.changes()
    if args.json:
        io.out(
            safe_json([{"path": c.path_text, "left": c.before, "right": c.after} for c in changes])
        )
        return DIFFERENT if changes else OK
    if not changes:
        io.out(f"{plan.group_id}: no changes")
        return OK
    io.out("\n".join(short_change_lines(changes, indent="")))
    io.out("")
    io.out(json_for_terminal(plan.session.body_text(settings.body)))
    if plan.conflict:
        io.err(
            say(
                f"note: target group {plan.group_id} changed on the server since the file was "
                f"exported (lastUpdatedOn {plan.file_last_updated_on or '?'} → "
                f"{plan.session.last_updated_on or '?'}); apply stops unless --overwrite"
            )
        )
    return DIFFERENT


async def _two_sides(
    args: argparse.Namespace,
    io: Io,
    service: GroupService,
    sides: list[str],
    files: dict[str, dict[str, Any]],
) -> int:
    from tui.session.compare import leaf_differences

    groups: list[dict[str, Any]] = []
    try:
        for text in sides:
            groups.append(files[text] if text in files else (await service.fetch(int(text))).group)
    finally:
        await service.aclose()
    left, right = groups
    across = left.get("id") != right.get("id")
    differences = leaf_differences(left, right, across_groups=across)
    if args.json:
        io.out(
            safe_json(
                [
                    {"path": format_path(p), "left": _as_json(a), "right": _as_json(b)}
                    for p, a, b in differences
                ]
            )
        )
        return DIFFERENT if differences else OK
    labels = [
        f"target group {g.get('id')} ({change_value_text(g.get('name'))}) from {s}"
        for g, s in zip(groups, sides, strict=True)
    ]
    io.out(say(f"left:  {labels[0]}"))
    io.out(say(f"right: {labels[1]}"))
    if across:
        io.out(
            "targets and streaks pair by name, periods by position; paths name the left side's ids"
        )
    if not differences:
        io.out("no differences")
        return OK
    for path, a, b in differences:
        io.out(say(f"{format_path(path)}: {change_value_text(a)} → {change_value_text(b)}"))
    return DIFFERENT
