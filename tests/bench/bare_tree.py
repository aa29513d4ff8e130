"""The yardstick: a bare Textual app that GETs a group with urllib and shows it in a Tree.

``python bare_tree.py BASE_URL GROUP_ID USER PASSWORD``: Textual is imported, then the
group is fetched (in series, as a plain app would), then a Tree shows the group's id and
name as its root and the group's top-level fields as its nodes. Without arguments it
shows a 50-node Tree (no network). Like the editor, it quits after its first frame with
``TGEDIT_EXIT_AFTER_FIRST_FRAME=1`` and then prints ``first frame after N ms`` (from the
app's creation) on stderr with ``TGEDIT_TIMINGS=1``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
import time
import urllib.request
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Tree


def fetch(base_url: str, group_id: str, user: str, password: str) -> dict[str, Any]:
    digest = hashlib.md5(password.encode()).hexdigest()
    request = urllib.request.Request(
        f"{base_url}/v3/targetGroups/{group_id}?includePeriods=true",
        headers={
            # Capillary's Basic auth takes the password MD5-hashed.
            "Authorization": "Basic " + base64.b64encode(f"{user}:{digest}".encode()).decode(),
            "Accept": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        group = json.loads(reply.read())["data"]
    assert isinstance(group, dict)
    return group


class BareTree(App[None]):
    def __init__(self, group: dict[str, Any] | None) -> None:
        super().__init__()
        self.group = group
        self.started_at = time.perf_counter()
        self.first_frame_at: float | None = None

    def compose(self) -> ComposeResult:
        if self.group is None:
            tree: Tree[None] = Tree("bench tree")
            for number in range(50):
                tree.root.add_leaf(f"node {number}")
        else:
            tree = Tree(f"Target group {self.group.get('id')} · {self.group.get('name')}")
            for key, value in self.group.items():
                shown = f"{len(value)} items" if isinstance(value, list | dict) else repr(value)
                tree.root.add_leaf(f"{key}: {shown[:80]}")
        tree.root.expand()
        yield tree

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_frame)

    def _first_frame(self) -> None:
        self.first_frame_at = time.perf_counter()
        if os.environ.get("TGEDIT_EXIT_AFTER_FIRST_FRAME") == "1":
            self.exit()


if __name__ == "__main__":
    app = BareTree(fetch(*sys.argv[1:5]) if len(sys.argv) >= 5 else None)
    app.run()
    if os.environ.get("TGEDIT_TIMINGS") == "1" and app.first_frame_at is not None:
        print(
            f"first frame after {1000 * (app.first_frame_at - app.started_at):.0f} ms",
            file=sys.stderr,
        )
