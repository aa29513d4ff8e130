"""``tgedit export ID... | --all [--active-only] [--dir DIR | --out FILE] [--jobs N]``:
groups as files.

Each file is the ``data`` of the group's GET reply exactly as fetched (see
``tui/session/export.py``), so it can be kept in git, reviewed, edited and applied.
Up to ``--jobs`` groups are fetched at once (``tui/session/many.py``), each file written
as its reply arrives; stdout lists them in the order given (or the list's), whatever the
order of arrival. A failure stops the run (exit 1); groups after it may be written too.
On a terminal a progress line is kept on stderr (``tui/cli/progress.py``).
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
        parents=[flags.general(), flags.connection(), flags.jobs()],
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
    settings, connection = connect(args, io)
    service = GroupService(connection)
    return asyncio.run(_run(args, io, service, settings.jobs))


async def _run(args: argparse.Namespace, io: Io, service: GroupService, jobs: int) -> int:
    from tui.cli.progress import Progress
    from tui.session.export import DEFAULT_DIR, export_text, file_name, write_group_file
    from tui.session.many import each_in_order

    folder: Path = args.dir if args.dir is not None else DEFAULT_DIR
    try:
        if args.all:
            listed = await service.list_groups(active_only=args.active_only)
            group_ids = [int(group["id"]) for group in listed]
            del listed
        else:
            group_ids = list(dict.fromkeys(args.group_ids))  # each once, in the order given
        with Progress(io, "Exporting", len(group_ids)) as progress:

            async def fetch(group_id: int) -> str:
                """The file's text for stdout (``--out -``), else the path it was written to."""
                group = (await service.fetch(group_id)).group
                if args.out == "-":
                    return export_text(group)
                path = Path(args.out) if args.out is not None else folder / file_name(group_id)
                # fsync waits for the disk: in a thread, while the other replies come in.
                await asyncio.to_thread(write_group_file, path, group)
                return str(path)

            def report(group_id: int, done: str) -> None:
                if args.out == "-":
                    io.stdout.write(done)
                else:
                    progress.out(say(done))
                progress.advance()

            await each_in_order(group_ids, fetch, report, jobs=jobs)
    finally:
        await service.aclose()
    if args.all and not group_ids:
        io.err("No target group to export.")
    return 0
