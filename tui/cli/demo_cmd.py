"""``tgedit demo``: the editor on the built-in stand-in server and its sample data.

The editor is imported inside the handler, so that the other commands never load Textual.
"""

from __future__ import annotations

import argparse
from typing import Any

from tui.cli import flags
from tui.cli.common import Io


def add_parser(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo",
        parents=[flags.general(), flags.connection(shown=False)],
        help="the editor on the built-in stand-in server and sample data; no credentials",
        description="Start the stand-in server on a free local port and open the editor on it.",
    )
    demo.set_defaults(handler=run)


def run(args: argparse.Namespace, io: Io) -> int:
    from tui.app.run import run_demo as demo

    return demo()
