"""What the commands that send share (``set``, ``apply``, ``revert``): their flags, the
question before a PUT, and how a submit (``tui.session.submit``) is told on the terminal.

``diff`` uses the refusal of files too: it says what ``apply`` would do.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tui.cli.common import API_FAILURE, CHANGED_ON_SERVER, DECLINED, USAGE, CliError, Io, say
from tui.fields.paths import PathError
from tui.fields.presentation import value_text
from tui.session.changes import ABSENT, FieldChange
from tui.terminal_text import json_for_terminal

if TYPE_CHECKING:
    from tui.api.results import EditResult
    from tui.session.body import BodyMode
    from tui.session.conflict import ConflictReport
    from tui.session.edit import EditSession
    from tui.session.file_plan import FilePlan
    from tui.session.remote import GroupService
    from tui.session.submit import Submitted


def add_send_flags(parser: argparse.ArgumentParser, bodies: str = "the PUT body") -> None:
    """``--dry-run`` and ``--yes``: the same for every command that sends (set, apply, revert)."""
    parser.add_argument(
        "--dry-run", action="store_true", help=f"print {bodies} on stdout and send nothing"
    )
    parser.add_argument(
        "--yes", "-y", action="store_true", help="send without asking (needed without a terminal)"
    )


def refuse_without_confirmation(args: argparse.Namespace, io: Io, bodies: str = "the body") -> None:
    """Without --dry-run and --yes, sending needs a terminal to ask on."""
    is_terminal = bool(getattr(io.stdin, "isatty", lambda: False)())
    if not (args.dry_run or args.yes or is_terminal):
        raise CliError(
            "stdin is not a terminal, so tgedit cannot ask before sending; "
            f"pass --yes to send, or --dry-run to print {bodies} and send nothing"
        )


def change_lines(changes: list[FieldChange]) -> list[str]:
    return [say(f"  {c.path_text}: {_shown(c.before)} → {_shown(c.after)}") for c in changes]


def _shown(value: Any) -> str:
    return "(absent)" if value is ABSENT else value_text(value)


def confirm(io: Io, group_id: int | str, url: str) -> bool:
    """Ask before a PUT; anything but yes says "Nothing sent." (the caller exits DECLINED)."""
    io.stderr.write(say(f"Send these changes to target group {group_id} at {url}? [y/N] "))
    io.stderr.flush()
    answer = io.stdin.readline()
    if answer.strip().lower() in ("y", "yes"):
        return True
    io.err("Nothing sent.")
    return False


def conflict_error(report: ConflictReport, group_id: int) -> CliError:
    moved = f"lastUpdatedOn {report.expected or '?'} → {report.actual or '?'}"
    details = [
        f"  {c.path_text}: {_shown(c.before)} → {_shown(c.after)}" for c in report.server_changes
    ]
    if report.clashes:
        details.append("  you also changed: " + ", ".join(report.clashes))
    what = "What changed there:" if details else "No field that tgedit shows changed."
    return CliError(
        f"target group {group_id} changed on the server since it was fetched ({moved}), "
        f"so nothing was sent; run the command again to apply it to the new version. {what}",
        CHANGED_ON_SERVER,
        details,
    )


def problems_error(plans: list[FilePlan]) -> CliError | None:
    """Every problem of every file (apply sends nothing then), or None."""
    details = [f"  {p.source}: {problem}" for p in plans for problem in p.problems]
    if not details:
        return None
    return CliError(f"{len(details)} problem(s) in the files, so nothing was sent:", USAGE, details)


def unsent(args: argparse.Namespace, io: Io, session: EditSession, mode: BodyMode) -> int | None:
    """The exit code when nothing is to be sent: no change, or ``--dry-run`` (the body is
    printed); None when the changes are to be sent. A target whose expression does not
    parse, or disagrees with its expressionJson, is never sent, printed or not."""
    from tui.session.expression_sync import unsendable_targets

    problems = unsendable_targets(session)
    if problems:
        details = [f"  {problem}" for problem in problems]
        raise CliError("nothing was sent: a target may not be sent as it is:", USAGE, details)
    if not session.has_changes:
        io.err(f"Nothing to send: target group {session.group_id} already has those values.")
        return 0
    if args.dry_run:
        # The same JSON value, with nothing a terminal could obey (a full body holds
        # server text).
        io.out(json_for_terminal(session.body_text(mode)))
        return 0
    return None


async def send_session(
    args: argparse.Namespace, io: Io, service: GroupService, session: EditSession, mode: BodyMode
) -> int:
    """The end of ``set`` and ``revert``: the body (``--dry-run``), or the changes, the
    confirmation, the submit (re-check, PUT, audit entry), the report."""
    group_id = session.group_id
    done = unsent(args, io, session, mode)
    if done is not None:
        return done
    if not args.yes:  # with --yes the same list is printed once, after it worked
        io.err(f"Changes to target group {group_id} ({mode} body):")
        io.err("\n".join(change_lines(session.changes())))
        if not confirm(io, group_id, service.base_url or "?"):
            return DECLINED
    submitted = await submit_and_warn(io, service, session, mode, recheck=True)
    if submitted.conflict is not None:
        raise conflict_error(submitted.conflict, group_id)
    if submitted.error is not None:
        raise submitted.error  # main says what failed (exit 1)
    assert submitted.result is not None  # one of the three, always
    report_result(submitted.result, session, io)
    return 0


async def submit_and_warn(
    io: Io, service: GroupService, session: EditSession, mode: BodyMode, *, recheck: bool
) -> Submitted:
    """``tui.session.submit`` for a command, to the audit log of this machine; a gap in
    the log is a warning on stderr, the rest is the caller's to tell."""
    from tui.session.audit import AuditLog
    from tui.session.lock import GroupBusy
    from tui.session.submit import NotRecorded, submit

    submitted = await submit(
        service, session, mode, audit=AuditLog(), recheck=recheck, waiting=io.err
    )
    if submitted.audit_gap is not None:  # the PUT happened either way: say the trail has a gap
        io.err(say(f"warning: {submitted.audit_gap.text}"))
    if isinstance(submitted.error, GroupBusy | NotRecorded):  # nothing was sent
        raise CliError(str(submitted.error), API_FAILURE)
    return submitted


def report_result(result: EditResult, session: EditSession, io: Io) -> None:
    """What ``set`` and ``revert`` say after the PUT: each change, and what the server
    made of it when that differs from what was sent."""
    from tui.fields.paths import resolve

    io.out(f"Updated target group {session.group_id}:")
    io.out("\n".join(change_lines(session.changes())))
    for change in session.changes():
        try:
            now = resolve(result.group, change.path)
        except PathError:
            continue
        if now != change.after:
            io.err(say(f"note: the server now shows {change.path_text} = {value_text(now)}"))
    for warning in result.warnings or []:
        io.err(say(f"warning from the server: {warning}"))
