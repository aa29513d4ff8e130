"""``tgedit set ID PATH=VALUE...``: change fields from a script, with the editor's checks.

Order of events, so that a mistake costs no request and a conflict costs no PUT:
parse every PATH=VALUE → refuse early if no confirmation is possible → fetch the group
(only the group knows its target ids) → check each value against the field catalog →
print the body (``--dry-run``) or the changes → confirm → compare ``lastUpdatedOn``
again → PUT.
"""

from __future__ import annotations

import argparse
from typing import Any

from tui.cli import flags
from tui.cli.common import CliError, Io, connect
from tui.cli.sending import add_send_flags, refuse_without_confirmation, send_session, unsent
from tui.fields.catalog import spec_for
from tui.fields.paths import FieldPath, PathError, format_path, parse_path
from tui.fields.rules import value_from_text
from tui.session.changes import EditRefused
from tui.session.edit import EditSession

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
    parser.add_argument("group_id", type=flags.group_id, metavar="ID", help="the target group's id")
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
            f"{error.message} (an expression that does not parse is never sent)"
        ) from None


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
