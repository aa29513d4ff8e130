"""``tgedit diff FILE|DIR... | ID | ID ID | --sides A B [--json] [--jobs N]``.

Files (or folders, each standing for its ``*.json``), however many: each file against
the live group of its ``id``, exactly as ``tgedit apply`` would see it (``path: live →
file`` lines), the live groups fetched up to ``--jobs`` at once and told in the order of
the files. One file also shows the PUT body apply would send; several end with a count
(``3 of 200 groups differ``). An id alone stands for its exported file,
``./target-groups/<id>.json``.
Two documents against each other (``--sides A B``, files or ids, mixed; or two ids):
every field that differs, read-only ones too; when the two are different groups,
targets and streaks pair by name and periods by position (``tui/session/compare.py``).
Exit 0 when nothing differs, 4 when something does, 2 when apply would refuse a file.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli import flags
from tui.cli.common import DIFFERENT, OK, USAGE, CliError, Io, connect, say
from tui.cli.render import change_value_text, safe_json, short_change_lines
from tui.fields.paths import format_path
from tui.terminal_text import json_for_terminal

if TYPE_CHECKING:
    from tui.cli.progress import Progress
    from tui.config.settings import Settings
    from tui.session.file_plan import FilePlan
    from tui.session.remote import GroupService


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        parents=[flags.general(), flags.connection(), flags.jobs()],
        help="show what apply would change (drift of many files), or compare two groups",
        description=(
            "With files (or folders of *.json files): each file against its live group, "
            "what `tgedit apply` would change (path: live → file); one file also shows the "
            "PUT body, several end with a count. With --sides A B (files or ids), or two "
            "ids: every field that differs, read-only fields too. Exit 0: no difference; "
            "4: different; 2: apply would refuse a file."
        ),
        epilog=(
            "examples: tgedit diff target-groups/2762.json · tgedit diff target-groups/ · "
            "tgedit diff 2762 18044 · tgedit diff --sides 2762 target-groups/2762.json"
        ),
    )
    parser.add_argument(
        "args",
        nargs="+",
        metavar="FILE|DIR|ID",
        help="group files or folders of them; an id alone: ./target-groups/ID.json",
    )
    parser.add_argument(
        "--sides",
        action="store_true",
        help="compare the two given documents (files or ids) with each other",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='print JSON: a list of {"id", "file", "changes": [{"path", "left", "right"}], '
        '"problems", "changed_on_server"} (with --sides: the list of changes)',
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

    given: list[str] = list(args.args)
    ids = [text for text in given if _is_id(text)]
    if args.sides or (len(given) == 2 and len(ids) == 2):
        if len(given) != 2:
            raise CliError("--sides compares two documents (files or ids): give two")
        files = {text: _read(text) for text in given if text not in ids}
        _, connection = connect(args, io)
        return asyncio.run(_two_sides(args, io, GroupService(connection), given, files))
    if given == ids and len(ids) == 1:
        given = [str(DEFAULT_DIR / file_name(int(ids[0])))]
    elif ids:
        raise CliError(
            f"diff compares files with their live groups, and {ids[0]} is an id: give its "
            "file, or compare two documents with --sides A B (files or ids)"
        )
    from tui.cli.group_files import read_files

    paths = _files(given)
    documents = read_files(paths)
    settings, connection = connect(args, io)
    service = GroupService(connection)
    one = len(args.args) == 1 and not Path(args.args[0]).is_dir()
    return asyncio.run(_against_live(args, io, service, documents, settings, one=one))


def _files(given: list[str]) -> list[Path]:
    """The files named, each folder replaced by its ``*.json`` in name order."""
    paths: list[Path] = []
    for text in given:
        path = Path(text)
        if path.is_dir():
            inside = sorted(p for p in path.glob("*.json") if not p.name.startswith("."))
            if not inside:
                raise CliError(say(f"{text} holds no *.json file to compare"))
            paths.extend(inside)
        else:
            paths.append(path)
    return paths


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
    documents: list[tuple[str, dict[str, Any]]],
    settings: Settings,
    *,
    one: bool,
) -> int:
    from tui.cli.progress import Progress
    from tui.session.file_plan import plan_file
    from tui.session.many import each_in_order

    report: list[dict[str, Any]] = []
    differing: list[FilePlan] = []
    refused: list[FilePlan] = []
    try:
        with Progress(io, "Comparing", len(documents)) as progress:

            async def fetch(document: tuple[str, dict[str, Any]]) -> dict[str, Any]:
                return (await service.fetch(document[1]["id"])).group

            def take(document: tuple[str, dict[str, Any]], live: dict[str, Any]) -> None:
                plan = plan_file(document[0], document[1], live)
                _tell(args, io, progress, plan, settings, one=one)
                if plan.problems:
                    refused.append(plan)
                elif plan.session.has_changes:
                    differing.append(plan)
                if args.json:
                    report.append(_json_entry(plan))
                progress.advance()

            await each_in_order(documents, fetch, take, jobs=settings.jobs)
    finally:
        await service.aclose()
    if args.json:
        io.out(safe_json(report))
    elif not one:
        count = len(differing) + len(refused)
        summary = f"{count} of {len(documents)} groups differ"
        if refused:
            summary += f"; apply would refuse {len(refused)} file(s)"
        io.out(summary)
    if refused:
        if one and not args.json:
            from tui.cli.sending import problems_error

            error = problems_error(refused)
            assert error is not None  # the plan has problems
            error.message = "apply would refuse this file: " + error.message.replace(
                ", so nothing was sent", ""
            )
            raise error
        return USAGE
    return DIFFERENT if differing else OK


def _tell(
    args: argparse.Namespace,
    io: Io,
    progress: Progress,
    plan: FilePlan,
    settings: Settings,
    *,
    one: bool,
) -> None:
    """What one file amounts to: notes and the conflict on stderr, the changes on stdout."""
    for note in plan.notes:
        progress.err(say(f"{plan.source}: {note}"))
    changes = plan.session.changes()
    if plan.conflict and not plan.problems:
        progress.err(
            say(
                f"note: target group {plan.group_id} changed on the server since "
                f"{plan.source} was exported (lastUpdatedOn {plan.file_last_updated_on or '?'} "
                f"→ {plan.session.last_updated_on or '?'}); apply stops unless --overwrite"
            )
        )
    if args.json or (one and plan.problems):
        return
    if one:
        if not changes:
            progress.out(f"{plan.group_id}: no changes")
            return
        progress.out("\n".join(short_change_lines(changes, indent="")))
        progress.out("")
        progress.out(json_for_terminal(plan.session.body_text(settings.body)))
    elif plan.problems:
        progress.out(say(f"{plan.group_id} ({plan.source}): apply would refuse this file:"))
        progress.out("\n".join(say(f"  {problem}") for problem in plan.problems))
    elif changes:
        progress.out(say(f"{plan.group_id} ({plan.source}): {len(changes)} change(s)"))
        progress.out("\n".join(short_change_lines(changes)))


def _json_entry(plan: FilePlan) -> dict[str, Any]:
    return {
        "id": plan.group_id,
        "file": plan.source,
        "changes": [
            {"path": c.path_text, "left": _as_json(c.before), "right": _as_json(c.after)}
            for c in plan.session.changes()
        ],
        "problems": plan.problems,
        "changed_on_server": plan.conflict,
    }


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
