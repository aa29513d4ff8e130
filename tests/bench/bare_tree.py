"""The yardstick: a bare Textual app whose one widget is a Tree of 50 nodes.

Run as a script under a terminal. Like the editor, it quits after its first frame with
``TGEDIT_EXIT_AFTER_FIRST_FRAME=1`` and then prints ``first frame after N ms`` (from
the app's creation) on stderr with ``TGEDIT_TIMINGS=1``.
"""

from __future__ import annotations

import os
import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import Tree


class BareTree(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.started_at = time.perf_counter()
        self.first_frame_at: float | None = None

    def compose(self) -> ComposeResult:
        tree: Tree[None] = Tree("bench tree")
        for number in range(50):
            tree.root.add_leaf(f"node {number}")
        tree.root.expand()
        yield tree

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_frame)

    def _first_frame(self) -> None:
        self.first_frame_at = time.perf_counter()
        if os.environ.get("TGEDIT_EXIT_AFTER_FIRST_FRAME") == "1":
            self.exit()


if __name__ == "__main__":
    app = BareTree()
    app.run()
    if os.environ.get("TGEDIT_TIMINGS") == "1" and app.first_frame_at is not None:
        print(
            f"first frame after {1000 * (app.first_frame_at - app.started_at):.0f} ms",
            file=sys.stderr,
        )
