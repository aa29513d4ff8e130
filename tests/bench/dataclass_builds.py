"""What building tgedit's dataclasses costs before the editor's first frame.

    python tests/bench/dataclass_builds.py            # 7 processes, medians
    python tests/bench/dataclass_builds.py --runs 15

Not part of the pytest run. Each run is a fresh process that imports Textual and httpx
first (the editor imports both before its first frame), then the modules of tgedit that
the editor imports before it, and reports:

* how many of tgedit's dataclasses were built, how many frozen, and the time spent
  building them: ``dataclasses._process_class`` is timed, the standard library's own
  builder, the one place where a dataclass's methods are compiled from source text
  (Python 3.11), so the one place to time it;
* the import of those modules, in all.

docs/performance.md, "Values are dataclasses", quotes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CACHE_DIR  # noqa: E402  (the bench's bytecode cache, as an install has one)

# What `tgedit edit ID` imports of tgedit before its first frame (the app imports its
# screen and widgets, the session, the fields).
EDITOR_MODULES = (
    "tui.cli.main",
    "tui.cli.edit_cmd",
    "tui.api.client",
    "tui.session.prefetch",
    "tui.app.run",
    "tui.app.app",
)
CHILD = """
import dataclasses, json, sys, time
import httpx, textual.app, textual.widgets
from textual.widgets import Tree
builds = []
build = dataclasses._process_class
def timed(cls, *args):
    started = time.perf_counter()
    made = build(cls, *args)
    if cls.__module__.startswith("tui."):
        builds.append((time.perf_counter() - started, args[5]))  # args[5]: frozen
    return made
dataclasses._process_class = timed
started = time.perf_counter()
for name in sys.argv[1:]:
    __import__(name)
imports = time.perf_counter() - started
print(json.dumps({
    "classes": len(builds),
    "frozen": sum(1 for _, frozen in builds if frozen),
    "build_ms": 1000 * sum(seconds for seconds, _ in builds),
    "import_ms": 1000 * imports,
}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(CACHE_DIR))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    results = []
    for turn in range(args.runs + 1):  # the first fills the bytecode cache: not kept
        done = subprocess.run(
            [sys.executable, "-c", CHILD, *EDITOR_MODULES],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        if turn:
            results.append(json.loads(done.stdout))
    first = results[0]
    build = statistics.median(r["build_ms"] for r in results)
    imports = statistics.median(r["import_ms"] for r in results)
    print(
        f"{first['classes']} dataclasses of tgedit ({first['frozen']} frozen) built before the "
        f"first frame: {build:.1f} ms; tgedit's modules imported in {imports:.1f} ms "
        f"(medians of {args.runs} processes, Textual and httpx imported first)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
