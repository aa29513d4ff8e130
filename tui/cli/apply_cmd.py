"""``tgedit apply FILE... [--dry-run] [--yes] [--body minimal|full] [--overwrite]``.

Order of events, so that a mistake in any file costs no PUT at all: read every file
(a hostile one is one line and exit 2) → fetch each live group, up to ``--jobs`` at
once → plan each file (``tui/session/file_plan.py``) → any problem: exit 2 naming each
path → any conflict (the live group moved since the export and the file changes it):
exit 3 unless ``--overwrite`` → the plan → confirmation (or ``--yes``) → per changed
group, one at a time in file order: the re-check of ``lastUpdatedOn``, one PUT, an
audit line. The first failed PUT stops the
run with a sent / failed / not sent report (exit 1).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli import flags
from tui.cli.common import API_FAILURE, CHANGED_ON_SERVER, DECLINED, CliError, Io, connect, say
from tui.cli.group_files import read_files
from tui.cli.render import short_change_lines
from tui.cli.sending import (
    add_send_flags,
    confirm,
    conflict_error,
    problems_error,
    refuse_without_confirmation,
    submit_and_warn,
)
from tui.terminal_text import json_for_terminal

if TYPE_CHECKING:
    from tui.session.body import BodyMode
    from tui.session.file_plan import FilePlan
    from tui.session.remote import GroupService


class WholeWordsHelp(argparse.HelpFormatter):
    """Wraps the description and the example between words only: never inside a path
    such as ``target-groups/2762.json`` (argparse breaks at hyphens)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        return textwrap.fill(
            " ".join(text.split()),
            width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_on_hyphens=False,
            break_long_words=False,
        )


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "apply",
        parents=[flags.general(), flags.connection(), flags.body(), flags.jobs()],
        help="send the changes in group files (from tgedit export) to the server",
        description=(
            "Apply target group files: each file's editable fields that differ from the "
            "live group are sent, one PUT per changed group. Every file is checked first; "
            "a read-only difference or a broken rule sends nothing (exit 2), and a group "
            "changed on the server since the export sends nothing (exit 3) unless "
            "--overwrite."
        ),
        epilog="example: tgedit diff target-groups/2762.json && tgedit apply target-groups/*.json",
        formatter_class=WholeWordsHelp,
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="group files")
    add_send_flags(parser, "each PUT body")
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="send even when a group changed on the server since the file was exported",
    )
    parser.set_defaults(handler=run)


def conflicts_error(plans: list[FilePlan]) -> CliError | None:
    moved = [p for p in plans if p.conflict]
    if not moved:
        return None
    details = [
        f"  {p.source}: target group {p.group_id}: lastUpdatedOn "
        f"{p.file_last_updated_on or '?'} in the file, {p.session.last_updated_on or '?'} live"
        for p in moved
    ]
    return CliError(
        "target group(s) changed on the server since the file was exported, so nothing was "
        "sent; export again and redo the edit, or pass --overwrite to send the file's values",
        CHANGED_ON_SERVER,
        details,
    )


def run(args: argparse.Namespace, io: Io) -> int:
    from tui.session.remote import GroupService

    documents = read_files(args.files)
    settings, connection = connect(args, io)
    service = GroupService(connection)
    return asyncio.run(_run(args, io, service, documents, settings.body, settings.jobs))


async def _run(
    args: argparse.Namespace,
    io: Io,
    service: GroupService,
    documents: list[tuple[str, dict[str, Any]]],
    mode: BodyMode,
    jobs: int,
) -> int:
    from tui.session.file_plan import plan_files

    try:
        plans = await plan_files(service, documents, jobs=jobs)
        for plan in plans:
            for note in plan.notes:
                io.err(say(f"{plan.source}: {note}"))
        error = problems_error(plans) or (None if args.overwrite else conflicts_error(plans))
        if error is not None:
            raise error
        changed = [p for p in plans if p.session.has_changes]
        show = io.err if args.dry_run else io.out
        for plan in plans:
            if not plan.session.has_changes:
                show(f"{plan.group_id}: no changes")
        if not changed:
            return 0
        if args.dry_run:
            for plan in changed:
                io.err(say(f"{plan.group_id} ({plan.source}):"))
                io.err("\n".join(short_change_lines(plan.session.changes())))
                io.out(json_for_terminal(plan.session.body_text(mode)))
            return 0
        for plan in changed:
            show(say(f"{plan.group_id} ({plan.source}): {plan.session.change_count} change(s)"))
            show("\n".join(short_change_lines(plan.session.changes())))
        if not args.yes:
            refuse_without_confirmation(args, io, "the bodies")
            which = ", ".join(str(p.group_id) for p in changed)
            if not confirm(io, which, service.base_url or "?"):
                return DECLINED
        await _send_all(args, io, service, changed, mode)
    finally:
        await service.aclose()
    return 0


async def _send_all(
    args: argparse.Namespace,
    io: Io,
    service: GroupService,
    plans: list[FilePlan],
    mode: BodyMode,
) -> None:
    """One PUT per plan, in order, each after the re-check; stop at the first failure."""
    from tui.api.errors import ApiError

    sent: list[FilePlan] = []
    for position, plan in enumerate(plans):
        not_sent = plans[position + 1 :]
        submitted = await submit_and_warn(
            io, service, plan.session, mode, recheck=not args.overwrite
        )
        if submitted.conflict is not None:
            error = conflict_error(submitted.conflict, plan.group_id)
            raise CliError(
                error.message, error.code, error.details + _report(sent, None, [plan, *not_sent])
            )
        failure = submitted.error
        if isinstance(failure, ApiError):
            raise CliError(
                f"the PUT for target group {plan.group_id} failed, so the run stopped: "
                f"{failure.message}",
                API_FAILURE,
                _report(sent, (plan, failure), not_sent),
            ) from None
        if failure is not None:
            raise failure
        sent.append(plan)
        io.out(f"{plan.group_id}: sent")


def _report(
    sent: list[FilePlan],
    failed: tuple[FilePlan, Any] | None,
    not_sent: list[FilePlan],
) -> list[str]:
    lines = [f"  sent: {p.group_id} ({p.source})" for p in sent]
    if failed is not None:
        plan, error = failed
        items = "; ".join(str(item) for item in getattr(error, "errors", None) or [])
        lines.append(f"  failed: {plan.group_id} ({plan.source})" + (f": {items}" if items else ""))
    lines += [f"  not sent: {p.group_id} ({p.source})" for p in not_sent]
    return lines
