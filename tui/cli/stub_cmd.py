"""``tgedit stub``: the stand-in API server in the foreground (``tui/stub``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui.cli import flags
from tui.cli.common import Io


def add_parser(subparsers: Any) -> None:
    stub = subparsers.add_parser(
        "stub",
        parents=[flags.general(), flags.connection(shown=False)],
        help="run the stand-in API server in the foreground",
        description=(
            "Run the stand-in target-group API on 127.0.0.1 (user demo, password demo) until "
            "interrupted; point tgedit at it with --base-url."
        ),
    )
    stub.add_argument(
        "--port", type=int, default=8765, help="the port to listen on (0: any free one)"
    )
    stub.add_argument(
        "--data", type=Path, metavar="FILE", help="groups to serve (JSON) instead of the samples"
    )
    stub.add_argument(
        "--delay-ms",
        type=_delay,
        default=0,
        metavar="MS",
        help="answer every request this many milliseconds late (a distant API)",
    )
    stub.add_argument(
        "--rate-limit",
        type=flags.positive_rate,
        metavar="N",
        help="answer 429 (Retry-After: 1) above N requests a second, as a rate-limited API",
    )
    stub.set_defaults(handler=run)


def _delay(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def run(args: argparse.Namespace, io: Io) -> int:
    from tui.stub.cli import serve_forever_cli

    data = str(args.data) if args.data is not None else None
    return serve_forever_cli(
        port=args.port,
        data_file=data,
        out=io.stdout,
        delay=args.delay_ms / 1000,
        rate_limit=args.rate_limit,
    )
