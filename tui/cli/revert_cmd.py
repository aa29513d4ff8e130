"""``tgedit revert ENTRY [--dry-run] [--yes] [--overwrite]``: undo a PUT from the audit log.

Sends the PUT that sets every field the entry changed back to its ``before`` value.
A field that no longer holds the entry's ``after`` value was changed since: exit 3,
listing them, unless ``--overwrite``. The rest is ``set``'s: the confirmation (or
``--yes``), ``--dry-run``, the re-check before the PUT and the audit line.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

from tui.cli import flags
from tui.cli.common import CHANGED_ON_SERVER, CliError, Io, connect, say
from tui.cli.render import change_value_text, value_text
from tui.cli.sending import add_send_flags, refuse_without_confirmation, send_session
from tui.fields.paths import FieldPath, PathError, parse_path

if TYPE_CHECKING:
    from tui.session.body import BodyMode
    from tui.session.remote import GroupService


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "revert",
        parents=[flags.general(), flags.connection(), flags.body()],
        help="put back the fields an audit entry changed (see tgedit history)",
        description=(
            "Undo a PUT: set every field that audit entry changed back to its value before. "
            "Refused (exit 3) when one of them has changed since, unless --overwrite."
        ),
        epilog="example: tgedit history 2762 --limit 1, then tgedit revert <its id>",
    )
    parser.add_argument("entry", metavar="ENTRY", help="the audit entry's id (or its start)")
    add_send_flags(parser)
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="revert even the fields that changed again since that entry",
    )
    parser.set_defaults(handler=run)


def entry_changes(entry: dict[str, Any]) -> list[tuple[FieldPath, Any, Any]]:
    """The (path, before, after) of an entry; CliError when it cannot be reverted."""
    name = value_text(entry.get("id"))
    if entry.get("outcome") == "refused":
        raise CliError(
            f"audit entry {name} was refused by the server, so there is nothing to revert"
        )
    items = entry.get("changes")
    if not isinstance(items, list) or not items:
        raise CliError(
            f"audit entry {name} does not list the values before its change (it was written "
            "by an older tgedit), so tgedit cannot revert it; use tgedit set"
        )
    changes = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            raise CliError(f"audit entry {name} holds a change tgedit cannot read")
        try:
            path = parse_path(item["path"])
        except PathError as error:
            raise CliError(f"audit entry {name}: {error}") from None
        changes.append((path, item.get("before"), item.get("after")))
    return changes


def run(args: argparse.Namespace, io: Io) -> int:
    from tui.session.audit import AuditLog
    from tui.session.remote import GroupService

    try:
        entry = AuditLog().find(args.entry)
    except KeyError as error:
        raise CliError(say(str(error.args[0]))) from None
    changes = entry_changes(entry)
    group_id = entry.get("groupId")
    if isinstance(group_id, bool) or not isinstance(group_id, int):
        raise CliError(f"audit entry {value_text(entry.get('id'))} names no target group")
    refuse_without_confirmation(args, io)
    settings, connection = connect(args, io)
    service = GroupService(connection)
    where = entry.get("baseUrl")
    if isinstance(where, str) and where and service.base_url and where != service.base_url:
        raise CliError(
            f"audit entry {value_text(entry['id'])} was sent to {value_text(where)}, but this "
            f"connection is {service.base_url}; connect to the same server to revert it"
        )
    return asyncio.run(_run(args, io, service, group_id, changes, settings.body))


async def _run(
    args: argparse.Namespace,
    io: Io,
    service: GroupService,
    group_id: int,
    changes: list[tuple[FieldPath, Any, Any]],
    mode: BodyMode,
) -> int:
    from tui.fields.paths import format_path
    from tui.session.changes import EditRefused
    from tui.session.compare import same
    from tui.session.edit import EditSession

    try:
        session = EditSession((await service.fetch(group_id)).group)
        # A field back at its value before the entry needs nothing; one at neither value
        # was changed by someone (or something) since.
        moved = [
            (path, after, session.original_value(path))
            for path, before, after in changes
            if not same(session.original_value(path), after)
            and not same(session.original_value(path), before)
        ]
        if moved and not args.overwrite:
            raise CliError(
                f"{len(moved)} field(s) of target group {group_id} changed since that entry, "
                "so nothing was sent; pass --overwrite to put them back anyway",
                CHANGED_ON_SERVER,
                [
                    say(
                        f"  {format_path(p)}: now {change_value_text(now)} (the entry set {change_value_text(a)})"
                    )
                    for p, a, now in moved
                ],
            )
        try:
            session.set_many([(path, before) for path, before, _ in changes])
        except EditRefused as error:
            raise CliError(error.message) from None
        return await send_session(args, io, service, session, mode)
    finally:
        await service.aclose()
