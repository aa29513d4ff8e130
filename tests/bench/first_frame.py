"""``tgedit`` with its first frame marked: the start-up benchmarks' hook, kept out of tgedit.

    python tests/bench/first_frame.py edit 2762 --base-url … [other tgedit arguments]

Runs ``tgedit`` as its console script does, in this process. The first frame is the
first one Textual hands to its driver once the editor shows what it opened: the group
when it was named by id (the frames before it say "Fetching…"), else the first frame.
With ``TGEDIT_EXIT_AFTER_FIRST_FRAME=1`` the editor quits right after it, and with
``TGEDIT_TIMINGS=1`` ``first frame after N ms`` (from the app's creation) is printed on
stderr once it has quit, as ``bare_tree.py`` does for the yardstick.

The editor's module is patched as it is imported, not imported here first: the order
of imports is part of what is measured (the prefetched GET overlaps Textual's import).
Textual has no public "this frame was handed to the terminal" hook (its layout-refresh
signal comes before the frame is written), so the mark wraps ``App._display``;
``tests/test_textual_private.py`` checks it is still there.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
APP_MODULE = "tui.app.app"
TIMINGS_ENV = "TGEDIT_TIMINGS"
EXIT_AFTER_FIRST_FRAME_ENV = "TGEDIT_EXIT_AFTER_FIRST_FRAME"


class Mark:
    """When the app was created and when its first frame that counts was handed over."""

    started_at: float | None = None
    first_frame_at: float | None = None

    @classmethod
    def text(cls) -> str:
        if cls.started_at is None or cls.first_frame_at is None:
            return "no frame was drawn"
        return f"first frame after {1000 * (cls.first_frame_at - cls.started_at):.0f} ms"


def shows_what_it_opened(app: Any, screen: Any) -> bool:
    """Opened on an id, the frame that counts shows the fetched group."""
    return app.start_group_id is None or getattr(screen, "session", None) is not None


def mark(app_class: Any, then: Callable[[Any], None] | None) -> None:
    """Wrap ``app_class`` (TgEditApp) so that it records ``Mark``, then calls ``then(app)``."""
    created = app_class.__init__
    display = app_class._display

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        created(self, *args, **kwargs)
        Mark.started_at, Mark.first_frame_at = time.perf_counter(), None

    def _display(self: Any, screen: Any, renderable: Any) -> None:
        display(self, screen, renderable)
        handed_over = renderable is not None and not self._batch_count
        if Mark.first_frame_at is None and handed_over and shows_what_it_opened(self, screen):
            Mark.first_frame_at = time.perf_counter()
            if then is not None:
                then(self)

    app_class.__init__ = __init__
    app_class._display = _display


class _MarkOnImport:
    """A finder on sys.meta_path (it needs only find_spec) that patches the editor's
    module once it has run; importlib.abc is not imported, to keep the import budget's
    figures those of tgedit."""

    def __init__(self, then: Callable[[Any], None] | None) -> None:
        self.then = then

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != APP_MODULE:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        assert spec is not None and spec.loader is not None
        loader: Any = spec.loader
        execute = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            execute(module)
            mark(module.TgEditApp, self.then)

        loader.exec_module = exec_module
        return spec


def install(then: Callable[[Any], None] | None = None) -> None:
    """Mark the first frame of the editor once its module is imported; at that frame,
    ``then(app)`` if given."""
    if APP_MODULE in sys.modules:
        mark(sys.modules[APP_MODULE].TgEditApp, then)
    else:
        sys.meta_path.insert(0, _MarkOnImport(then))


def quit_app(app: Any) -> None:
    app.exit()


def run(argv: list[str]) -> int:
    """``tgedit ARGV`` with the first frame marked, as the environment asks."""
    install(quit_app if os.environ.get(EXIT_AFTER_FIRST_FRAME_ENV) == "1" else None)
    from tui.cli.entry import console_script

    code = console_script(argv)
    if os.environ.get(TIMINGS_ENV) == "1":
        print(Mark.text(), file=sys.stderr)  # only now: while the app ran, it owned the terminal
    return code


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(run(sys.argv[1:]))
