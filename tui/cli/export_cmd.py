"""``tgedit export ID... | --all [--active-only] [--dir DIR | --out FILE]``: groups as files.

Each file is the ``data`` of the group's GET reply exactly as fetched (see
``tui/session/export.py``), so it can be kept in git, reviewed, edited and applied.
stdout lists the files written, one a line; with ``--all`` on a terminal a progress
line (``n of N``) is kept on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli import flags
from tui.cli.common import CliError, Io, connect, say

if TYPE_CHECKING:
    from tui.session.remote import GroupService


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        parents=[flags.general(), flags.connection()],
        help="write target groups to files (exactly as the server sends them)",
        description=(
            "Write each target group to a file: the data of its GET reply exactly as "
            "fetched, 2-space JSON, the server's key order, a trailing newline. Edit a "
            "file, then `tgedit diff FILE` and `tgedit apply FILE`."
        ),
        epilog="example: tgedit export 2762 18044 --dir target-groups",
    )
    parser.add_argument(
        "group_ids", type=flags.group_id, nargs="*", metavar="ID", help="target group ids"
    )
    parser.add_argument(
        "--all", action="store_true", help="every target group that `tgedit list` shows"
    )
    parser.add_argument(
        "--active-only", action="store_true", help="with --all: only the active groups"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--dir",
        type=Path,
        metavar="DIR",
        help="write <id>.json files here (default: ./target-groups)",
    )
    where.add_argument("--out", metavar="FILE", help="write the one group to FILE ('-' for stdout)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, io: Io) -> int:
    from tui.session.remote import GroupService

    if args.all == bool(args.group_ids):
        raise CliError("give target group ids, or --all (not both)")
    if args.active_only and not args.all:
        raise CliError("--active-only goes with --all")
    if args.out is not None and (args.all or len(args.group_ids) != 1):
        raise CliError("--out takes one target group; use --dir for several")
    _, connection = connect(args, io)
    service = GroupService(connection)
    return asyncio.run(_run(args, io, service))


async def _run(args: argparse.Namespace, io: Io, service: GroupService) -> int:
    from tui.session.export import DEFAULT_DIR, export_text, file_name, write_group_file

    folder: Path = args.dir if args.dir is not None else DEFAULT_DIR
    progress = args.all and bool(getattr(io.stderr, "isatty", lambda: False)())
    try:
        if args.all:
            listed = await service.list_groups(active_only=args.active_only)
            group_ids = [int(group["id"]) for group in listed]
        else:
            group_ids = list(dict.fromkeys(args.group_ids))  # each once, in the order given
        for number, group_id in enumerate(group_ids, 1):
            if progress:
                io.stderr.write(
                    f"\rExporting target group {group_id}: {number} of {len(group_ids)}"
                )
                io.stderr.flush()
            group = (await service.fetch(group_id)).group
            if args.out == "-":
                io.stdout.write(export_text(group))
                continue
            path = Path(args.out) if args.out is not None else folder / file_name(group_id)
            write_group_file(path, group)
            if progress:
                io.stderr.write("\r\x1b[K")
            io.out(say(str(path)))
    finally:
        if progress:
            io.stderr.write("\r\x1b[K")
            io.stderr.flush()
        await service.aclose()
    if args.all and not group_ids:
        io.err("No target group to export.")
    return 0
