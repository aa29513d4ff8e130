"""The ``tgedit`` console script.

The garbage collector is paused before anything is imported: an editor's start makes
hundreds of thousands of objects that all live as long as the run, and the collector
would walk them over and over before the first frame (docs/performance.md, "The
collector waits for the first frame"). ``tui.cli.main`` turns it back on once it knows the
command is not the editor's; the editor does at its first frame.
"""

from __future__ import annotations

import gc


def console_script(argv: list[str] | None = None) -> int:
    gc.disable()
    from tui.cli.main import main as run

    return run(argv)
