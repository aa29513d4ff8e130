"""``tgedit set ID PATH=VALUE...``: change fields from a script, with the editor's checks.

Order of events, so that a mistake costs no request and a conflict costs no PUT:
parse every PATH=VALUE → refuse early if no confirmation is possible → fetch the group
(only the group knows its target ids) → check each value against the field catalog →
print the body (``--dry-run``) or the changes → confirm → compare ``lastUpdatedOn``
again → PUT.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.cli import flags
from tui.cli.common import CHANGED_ON_SERVER, CliError, Io, connect, say
from tui.fields import FieldPath, PathError, format_path, parse_path, spec_for, value_from_text
from tui.fields.presentation import value_text
from tui.fields.terminal_text import json_for_terminal
from tui.session import ABSENT, BodyMode, EditRefused, EditSession, FieldChange

if TYPE_CHECKING:
    from tui.api import EditResult
    from tui.session.conflict import ConflictReport
    from tui.session.remote import GroupService

EDITABLE_HINT = (
    "the fields that may change are name, description, preferredTillId, "
    "targets[ID].description, targets[ID].expression and targets[ID].expressionJson"
)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "set",
        parents=[flags.general(), flags.connection(), flags.body()],
        help="change fields of a target group and send them",
        description=(
            "Change fields of a target group: each PATH=VALUE is checked against the "
            "field catalog before anything is sent. Paths as in the editor: name, "
            "description, preferredTillId, targets[ID].description, targets[ID].expression, "
            "targets[ID].expressionJson."
        ),
        epilog="example: tgedit set 2762 name='Summer milestone' --dry-run",
    )
    parser.add_argument("group_id", type=int, metavar="ID", help="the target group's id")
    parser.add_argument(
        "assignments", nargs="+", metavar="PATH=VALUE", help="a field path and its new value"
    )
    add_send_flags(parser)
    parser.add_argument(
        "--no-sync",
        action="store_true",
        help="do not regenerate a target's expressionJson when its expression is set",
    )
    parser.set_defaults(handler=run)


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


def parse_assignments(texts: list[str]) -> list[tuple[FieldPath, str]]:
    """``PATH=VALUE`` split at the first ``=``; every mistake is a usage error."""
    parsed: list[tuple[FieldPath, str]] = []
    seen: set[FieldPath] = set()
    for text in texts:
        left, equals, value = text.partition("=")
        if not equals:
            raise CliError(f"{text!r} is not PATH=VALUE (e.g. name='New name')")
        try:
            path = parse_path(left)
        except PathError as error:
            raise CliError(str(error)) from None
        if path in seen:
            raise CliError(f"{format_path(path)} is given twice; give each field once")
        seen.add(path)
        parsed.append((path, value))
    return parsed


def planned_values(
    session: EditSession, assignments: list[tuple[FieldPath, str]], *, sync: bool
) -> list[tuple[FieldPath, Any]]:
    """Each assignment as a checked JSON value, plus the expressionJson it implies."""
    from tui.session.expression_sync import with_companions

    planned: list[tuple[FieldPath, Any]] = []
    for path, text in assignments:
        where = format_path(path)
        if not spec_for(path).documented:
            raise CliError(f"{where} is not a field tgedit knows; {EDITABLE_HINT}")
        try:
            value = value_from_text(path, text)
        except ValueError as error:
            raise CliError(f"{where}: {error}") from None
        problem = session.check(path, value)
        if problem:
            raise CliError(problem if problem.startswith(where) else f"{where}: {problem}")
        planned.append((path, value))
    if not sync:
        return planned
    try:
        return with_companions(planned, session.original_value)
    except EditRefused as error:
        raise CliError(
            f"{error.message} (fix it, or pass --no-sync to send it without regenerating "
            "expressionJson)"
        ) from None


def change_lines(changes: list[FieldChange]) -> list[str]:
    return [say(f"  {c.path_text}: {_shown(c.before)} → {_shown(c.after)}") for c in changes]


def _shown(value: Any) -> str:
    return "(absent)" if value is ABSENT else value_text(value)


def confirm(io: Io, group_id: int | str, url: str) -> bool:
    io.stderr.write(say(f"Send these changes to target group {group_id} at {url}? [y/N] "))
    io.stderr.flush()
    answer = io.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


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


def run(args: argparse.Namespace, io: Io) -> int:
    from tui.api.client import fetch_group

    assignments = parse_assignments(args.assignments)
    refuse_without_confirmation(args, io)
    settings, connection = connect(args, io)
    fetched = fetch_group(connection, args.group_id)
    session = EditSession(fetched.group)
    try:
        session.set_many(planned_values(session, assignments, sync=not args.no_sync))
    except EditRefused as error:
        raise CliError(error.message) from None
    done = unsent(args, io, session, settings.body)
    if done is not None:
        return done
    import asyncio

    from tui.session.remote import GroupService

    service = GroupService(connection)

    async def send() -> int:
        try:
            return await send_session(args, io, service, session, settings.body)
        finally:
            await service.aclose()

    return asyncio.run(send())


def unsent(args: argparse.Namespace, io: Io, session: EditSession, mode: BodyMode) -> int | None:
    """The exit code when nothing is to be sent: no change, or ``--dry-run`` (the body is
    printed); None when the changes are to be sent."""
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
    """The end of ``set`` (and ``revert``): the body (``--dry-run``), or the changes, the
    confirmation, the re-check of ``lastUpdatedOn``, the PUT, the audit line, the report."""
    group_id = session.group_id
    done = unsent(args, io, session, mode)
    if done is not None:
        return done
    if not args.yes:  # with --yes the same list is printed once, after it worked
        io.err(f"Changes to target group {group_id} ({mode} body):")
        io.err("\n".join(change_lines(session.changes())))
        if not confirm(io, group_id, service.base_url or "?"):
            raise CliError("nothing was sent: the change was not confirmed")
    report = await service.check_conflict(session)
    if report is not None:
        raise conflict_error(report, group_id)
    result = await send_and_audit(service, session, mode, io)
    _report(result, session, io)
    return 0


async def send_and_audit(
    service: GroupService, session: EditSession, mode: BodyMode, io: Io
) -> EditResult:
    """Send the PUT and write it to the audit trail, whether it worked or not
    (``apply`` and ``revert`` send through here too)."""
    from tui.api import ApiError
    from tui.session.audit import AuditLog, from_the_put

    put = service.sent_put(session, mode)
    audit = AuditLog()
    try:
        result = await service.submit(session, mode)
    except ApiError as error:
        if from_the_put(error):
            failure = error
            _audit(io, lambda: audit.record_failure(put, failure))
        raise
    warnings = list(result.warnings or [])
    _audit(io, lambda: audit.record_success(put, status=result.status, warnings=warnings))
    return result


def _audit(io: Io, write: Callable[[], None]) -> None:
    try:
        write()
    except OSError as error:  # the PUT happened either way; say the trail has a gap
        io.err(say(f"warning: the audit log could not be written ({error.strerror})"))


def _report(result: EditResult, session: EditSession, io: Io) -> None:
    from tui.fields import resolve

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
