"""The import-time budget of tgedit's first frame, item by item, against the bare app.

    python tests/bench/budget.py                  # 7 runs of each
    python tests/bench/budget.py --runs 3 --markdown budget.md

Not part of the pytest run. Two programs, each a whole process under a pseudo-terminal
until the group is on screen, quitting right after their first frame
(``TGEDIT_EXIT_AFTER_FIRST_FRAME``), against the stand-in (``tgedit stub``, started as
``run.py`` starts it) serving the 2762 sample:

* ``tgedit edit 2762 --base-url … --username demo --password demo``, through
  ``first_frame.py`` (which marks the first frame and quits there);
* the bare app (``bare_tree.py``): Textual, then the same GET with urllib, then a Tree.

Each runs ``--runs`` times, in turns, after one unmeasured run of each that fills the
bytecode cache, as ``python -X importtime -c HOOK …``. ``HOOK`` times every import in
the thread that makes it and closes its list at the first frame (it wraps ``App.exit``,
which both programs call at their first frame):
only what comes before counts; what comes after is off the path and given apart.

Why not ``-X importtime``'s own self times: CPython 3.11 keeps its nesting counters in C
statics shared by all threads. tgedit's prefetch thread imports ``http.client`` while the
main thread imports Textual, and each corrupts the other's figures (one run gave rich
−159 ms, http.client +32 ms). ``HOOK`` counts the CPU time of the importing thread
(``time.thread_time_ns``), which a thread waiting for the GIL does not spend. The output
of ``-X importtime`` is still read: for what Python imports before the program's first
line (one thread then), and as a check of ``HOOK``'s figures.

Each module's figure is its minimum over the runs: the run least disturbed by the rest of
the machine's load.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from report import table  # noqa: E402
from run import (  # noqa: E402
    CREDENTIALS,
    SAMPLE_FILE,
    SAMPLE_ID,
    SERVE,
    StandIn,
    child_env,
    machine,
    tgedit_command,
)
from terminal import run_in_terminal  # noqa: E402

MARKER = f"Target group {SAMPLE_ID}"
PREFETCH_THREAD = "tgedit-prefetch"

# --- the rows ---------------------------------------------------------------------------

Predicate = Callable[[str], bool]


def under(*prefixes: str) -> Predicate:
    """The modules named ``prefix`` or inside it, for any of ``prefixes``."""
    return lambda name: any(name == p or name.startswith(p + ".") for p in prefixes)


def stdlib(name: str) -> bool:
    return name.split(".")[0] in sys.stdlib_module_names


STARTUP = "Python start-up (site, encodings, .pth files)"
OTHER = "other third-party"
# First match wins: a package's specific rows come before its catch-all; OTHER takes
# what none of them takes. STARTUP is what Python imports before the program's first
# line, whatever the module (``Budget.by_row``).
ROWS: list[tuple[str, Predicate]] = [
    ("stdlib: argparse, gettext", under("argparse", "gettext")),
    ("stdlib: http.client, email, urllib", under("http", "email", "urllib", "quopri", "uu")),
    ("stdlib: ssl, socket, selectors", under("ssl", "_ssl", "socket", "_socket", "selectors")),
    ("stdlib: json", under("json", "_json")),
    ("stdlib: asyncio, concurrent", under("asyncio", "_asyncio", "concurrent")),
    (
        "stdlib: typing, inspect, ast, dis, tokenize",
        under("typing", "inspect", "ast", "_ast", "dis", "tokenize"),
    ),
    ("stdlib: logging", under("logging")),
    ("stdlib: hashlib", under("hashlib", "_hashlib")),
    ("stdlib: the rest", stdlib),
    ("Textual: css", under("textual.css")),
    ("Textual: widgets", under("textual.widgets", "textual.widget", "textual.scroll_view")),
    ("Textual: drivers", under("textual.drivers")),
    ("Textual: app core, the rest", under("textual", "textual_speedups")),
    ("rich", under("rich")),
    ("pygments", under("pygments")),
    (
        "pydantic, pydantic_core (off the path)",
        under("pydantic", "pydantic_core", "annotated_types", "typing_inspection"),
    ),
    (
        "httpx and its stack (off the path)",
        under("httpx", "httpcore", "h11", "anyio", "sniffio", "idna", "certifi"),
    ),
    ("tgedit: tui.cli", under("tui.cli")),
    ("tgedit: tui.api", under("tui.api")),
    ("tgedit: tui.session", under("tui.session")),
    ("tgedit: tui.fields", under("tui.fields")),
    ("tgedit: tui.model", under("tui.model")),
    ("tgedit: tui.config", under("tui.config")),
    ("tgedit: tui.expressions", under("tui.expressions")),
    ("tgedit: tui.stub", under("tui.stub")),
    ("tgedit: tui.app.screens", under("tui.app.screens")),
    ("tgedit: tui.app.widgets", under("tui.app.widgets")),
    ("tgedit: tui.app, the rest", under("tui.app")),
    ("tgedit: tui, the rest", under("tui")),
]
LABELS = [STARTUP, *(label for label, _ in ROWS), OTHER]


SHOULD_BE_ABSENT = {label for label, _ in ROWS if label.endswith("(off the path)")}


def row_of(name: str) -> str:
    """The row of the budget that a module's import time goes to."""
    return next((label for label, belongs in ROWS if belongs(name)), OTHER)


# --- one run --------------------------------------------------------------------------------

# ``python -X importtime -c HOOK OUT MODULE CLASS METHOD PROGRAM…`` runs PROGRAM (``tgedit
# ARGS`` or ``SCRIPT ARGS``) and writes to OUT one line per import: the module, the thread
# that imported it, the CPU time of that thread in it, its own imports' taken out (ns).
# Once MODULE is imported, CLASS.METHOD is wrapped: its first call writes "first-frame".
# The hook imports nothing that the program would import later (time, _thread and
# _frozen_importlib are loaded at start-up; runpy before the hook).
HOOK = """
import sys, time, _thread, _frozen_importlib as bootstrap
out, module_name, owner, method = sys.argv[1:5]
program = sys.argv[5:]
import runpy
main_ident = _thread.get_ident()
records = []
stacks = {}
find_and_load = bootstrap._find_and_load

def thread_name():
    if _thread.get_ident() == main_ident:
        return "main"
    threading = sys.modules.get("threading")
    return threading.current_thread().name if threading else "another-thread"

def wrap(module):
    cls = getattr(module, owner)
    original = getattr(cls, method)
    first = [True]
    def at_first_frame(self, *args, **kwargs):
        if first:
            first.clear()
            records.append("first-frame")
        return original(self, *args, **kwargs)
    setattr(cls, method, at_first_frame)

def timed_find_and_load(name, import_):
    if name in sys.modules:  # nothing to load (importlib.import_module comes here too)
        return find_and_load(name, import_)
    stack = stacks.setdefault(_thread.get_ident(), [])
    stack.append(0)
    started = time.thread_time_ns()
    try:
        module = find_and_load(name, import_)
    finally:
        spent = time.thread_time_ns() - started
        own_imports = stack.pop()
        if stack:
            stack[-1] += spent
        records.append(f"import {name} {thread_name()} {spent - own_imports}")
    if name == module_name:
        wrap(module)
    return module

bootstrap._find_and_load = timed_find_and_load
try:
    sys.argv = program
    runpy.run_path(program[0], run_name="__main__")
finally:
    with open(out, "w", encoding="utf-8") as notes:
        notes.write("".join(line + "\\n" for line in records))
"""
# "import time: SELF | CUMULATIVE | <2 spaces a level>NAME", one line per import (failed
# ones too). ANSI codes are gone, but a frame's text may precede it on the same line.
IMPORT_LINE = re.compile(r"import time:\s+(-?\d+) \|\s+(-?\d+) \| ?( *)([\w.]+)")


@dataclass
class Run:
    """One run's imports: µs per module (a name looked up again, failed, is summed)."""

    startup: dict[str, float]  # -X importtime, up to ``site``: before the program's first line
    importtime: dict[str, float]  # -X importtime, the rest (threads mixed up: a check only)
    before: dict[str, float]  # HOOK, before the first frame
    after: dict[str, float]  # HOOK, after it
    threads: dict[str, str]  # HOOK: module → the thread that imported it
    shown_s: float
    editable_us: float  # of the start-up: the editable install's finder, cumulated


def add(times: dict[str, float], name: str, us: float) -> None:
    times[name] = times.get(name, 0.0) + us


def read_importtime(output: str) -> tuple[dict[str, float], dict[str, float], float]:
    """``-X importtime``'s self times: Python's start-up (up to ``site``), and the rest.

    Also the start-up's time in an editable install's finder (its ``.pth`` file imports
    it, with ``pathlib``, ``urllib.parse``, …), as ``-X importtime`` gives it cumulated.
    """
    startup: dict[str, float] = {}
    rest: dict[str, float] = {}
    editable = 0.0
    in_startup = True
    for found in IMPORT_LINE.finditer(output):
        name, indent = found.group(4), found.group(3)
        add(startup if in_startup else rest, name, int(found.group(1)))
        if in_startup and name.startswith("__editable__"):
            editable += int(found.group(2))
        if name == "site" and indent == "":
            in_startup = False
    if in_startup:
        raise ValueError("no start-up in the -X importtime output (no top-level `site` line)")
    return startup, rest, editable


def read_hook(lines: list[str]) -> tuple[dict[str, float], dict[str, float], dict[str, str]]:
    """HOOK's notes: µs per module before the first frame, after it, and who imported it."""
    before: dict[str, float] = {}
    after: dict[str, float] = {}
    threads: dict[str, str] = {}
    side = before
    for line in lines:
        if line == "first-frame":
            side = after
            continue
        _, name, *words, ns = line.split(" ")  # a thread's name may have spaces
        thread = " ".join(words)
        add(side, name, int(ns) / 1000)
        threads.setdefault(name, thread)
    if side is before:
        raise ValueError("the hook saw no first frame")
    return before, after, threads


@dataclass
class Program:
    label: str
    argv: list[str]  # for HOOK: SCRIPT ARGS
    hook: tuple[str, str, str]  # module, class, method: the first frame's call
    runs: list[Run] = field(default_factory=list)

    def run(self, env: dict[str, str], notes: Path, *, keep: bool) -> None:
        command = [sys.executable, "-X", "importtime", "-c", HOOK, str(notes)]
        notes.unlink(missing_ok=True)
        ran = run_in_terminal(
            [*command, *self.hook, *self.argv], MARKER, env=env, wait_for_exit=True, timeout=120
        )
        if ran.shown_after is None or ran.returncode != 0 or not notes.exists():
            raise SystemExit(
                f"{self.label}: {MARKER!r} not shown or a failed run (exit {ran.returncode});"
                f" it wrote:\n{ran.output[-3000:]}"
            )
        startup, rest, editable = read_importtime(ran.output)
        before, after, threads = read_hook(notes.read_text(encoding="utf-8").splitlines())
        if keep:
            self.runs.append(Run(startup, rest, before, after, threads, ran.shown_after, editable))


# --- the budget ---------------------------------------------------------------------------


def least(runs: list[dict[str, float]]) -> dict[str, float]:
    """Per module, its minimum over the runs that imported it."""
    names = {name for run in runs for name in run}
    return {name: min(run[name] for run in runs if name in run) for name in names}


@dataclass
class Budget:
    """One program's minimum self times (µs): start-up, before the first frame, after it."""

    startup: dict[str, float]
    before: dict[str, float]
    after: dict[str, float]  # only what no run imported before its first frame
    importtime: dict[str, float]  # -X importtime's figure of ``before``'s modules
    threads: dict[str, set[str]]  # module → the threads that imported it, over the runs
    runs: int
    editable_us: float

    @classmethod
    def of(cls, runs: list[Run]) -> Budget:
        before = least([run.before for run in runs])
        after = {n: us for n, us in least([run.after for run in runs]).items() if n not in before}
        importtime = least([run.importtime for run in runs])
        threads: dict[str, set[str]] = {}
        for run in runs:
            for name, thread in run.threads.items():
                threads.setdefault(name, set()).add(thread)
        return cls(
            least([run.startup for run in runs]),
            before,
            after,
            {name: importtime[name] for name in before if name in importtime},
            threads,
            len(runs),
            min(run.editable_us for run in runs),
        )

    def by_row(self, times: dict[str, float] | None = None) -> dict[str, tuple[float, int]]:
        """Per row, ms and modules: ``before`` (or ``times``) by ``row_of``, and the start-up."""
        rows = {label: (0.0, 0) for label in LABELS}
        rows[STARTUP] = (sum(self.startup.values()) / 1000, len(self.startup))
        for name, us in (self.before if times is None else times).items():
            total, count = rows[row_of(name)]
            rows[row_of(name)] = (total + us / 1000, count + 1)
        return rows

    def in_thread(self, thread: str, *, every_run: bool) -> dict[str, float]:
        """The modules ``thread`` imported before the first frame (in every run, or in some)."""
        return {
            name: us
            for name, us in self.before.items()
            if thread in self.threads.get(name, set())
            and (self.threads[name] == {thread}) == every_run
        }


HEADERS = ["item", "tgedit ms", "modules", "bare ms", "modules", "tgedit − bare ms"]


def budget_rows(tgedit: Budget, bare: Budget) -> list[list[str]]:
    ours, theirs = tgedit.by_row(), bare.by_row()
    cells = []
    for label in LABELS:
        (a, na), (b, nb) = ours[label], theirs[label]
        if na == nb == 0 and label in SHOULD_BE_ABSENT:
            cells.append([label, "absent", "0", "absent", "0", ""])
        elif na or nb:
            cells.append([label, f"{a:.1f}", str(na), f"{b:.1f}", str(nb), f"{a - b:+.1f}"])
    a, na = sum(ms for ms, _ in ours.values()), sum(n for _, n in ours.values())
    b, nb = sum(ms for ms, _ in theirs.values()), sum(n for _, n in theirs.values())
    cells.append(["total", f"{a:.1f}", str(na), f"{b:.1f}", str(nb), f"{a - b:+.1f}"])
    return cells


def listed(times: dict[str, float], limit: int = 40) -> str:
    """``name ms`` of the largest ``limit`` modules, largest first."""
    ranked = sorted(times, key=lambda name: -times[name])
    shown = ", ".join(f"{name} {times[name] / 1000:.1f}" for name in ranked[:limit])
    more = f", … {len(ranked) - limit} more" if len(ranked) > limit else ""
    return (shown + more) or "none"


def ms(times: dict[str, float]) -> str:
    return f"{len(times)} modules, {sum(times.values()) / 1000:.1f} ms"


def notes(tgedit: Budget, bare: Budget, shown: str) -> list[str]:
    always = tgedit.in_thread(PREFETCH_THREAD, every_run=True)
    sometimes = tgedit.in_thread(PREFETCH_THREAD, every_run=False)
    own = {name: us for name, us in tgedit.before.items() if name not in bare.before}
    checks = []
    for program, budget in (("tgedit", tgedit), ("bare", bare)):
        cpu, wall = budget.by_row(), budget.by_row(budget.importtime)
        off = [
            f"{label} {wall[label][0]:.1f} (CPU {cpu[label][0]:.1f})"
            for label in LABELS
            if label != STARTUP and abs(wall[label][0] - cpu[label][0]) > 5
        ]
        total = sum(v for v, _ in wall.values()) - sum(v for v, _ in cpu.values())
        checks.append(
            f"{program}: total {total:+.1f} ms against the CPU figure"
            + (f"; rows more than 5 ms off: {', '.join(off)}" if off else "")
        )
    return [
        "ms: import self time of each module (its own imports taken out), its minimum over"
        f" {tgedit.runs} runs of each program in turns (the minimum: the run least disturbed"
        " by other load). The CPU time of the thread that imports it (`time.thread_time_ns`"
        " in a hook on `importlib._bootstrap._find_and_load`); Python's start-up row:"
        " `-X importtime`, up to `site` (one thread then, and the same for both; of it, the"
        f" editable install's `.pth` finder and what it imports: {tgedit.editable_us / 1000:.1f}"
        " ms cumulated, which an installed wheel does not pay). The hook's own cost: ~2 µs an"
        " import, ~1 ms in all.",
        "Only modules imported before the first frame count (the hook stops at `App.exit`,"
        " which both programs call at their first frame).",
        f"Imported after the first frame (off the path): tgedit {ms(tgedit.after)}"
        f" ({listed(tgedit.after, 12)}); bare app {ms(bare.after)} ({listed(bare.after, 12)}).",
        f"Imported in tgedit's prefetch thread ({PREFETCH_THREAD}), in every run: {ms(always)}"
        f" ({listed(always)}); in some runs only (which thread imports a module both need is"
        f" a race): {ms(sometimes)} ({listed(sometimes, 12)}). Its imports run while the main"
        " thread imports Textual; both hold the one GIL in turns, so their CPU times add up.",
        "`-X importtime`'s own self times (wall, minimum) of the same runs, for a check; its"
        " nesting counters are shared by threads, so the prefetch thread garbles tgedit's:"
        f" {'; '.join(checks)}.",
        f"On tgedit's path and not on the bare app's: {ms(own)}; the largest: {listed(own, 20)}.",
        f"Launch → group on screen, median, with the hook and -X importtime: {shown}.",
    ]


def render(about: str, tgedit: Budget, bare: Budget, shown: str, *, markdown: bool) -> str:
    heading = f"Import-time budget of the first frame: {about}"
    body = table(HEADERS, budget_rows(tgedit, bare), markdown=markdown)
    lines = notes(tgedit, bare, shown)
    text = "\n".join(f"- {line}" for line in lines) if markdown else "\n".join(lines)
    return "\n\n".join([heading, body, text])


# --- the run ------------------------------------------------------------------------------


def measure(runs: int, scratch: Path) -> list[Program]:
    env = child_env(scratch, TGEDIT_EXIT_AFTER_FIRST_FRAME="1")
    served = scratch / "served.json"
    subprocess.run(
        [sys.executable, "-c", SERVE, str(served), str(SAMPLE_FILE)], env=env, check=True
    )
    stand_in = StandIn(tgedit_command(), served, scratch, env)
    try:
        url = stand_in.base_url
        programs = [
            Program(
                "tgedit",
                [
                    str(HERE / "first_frame.py"),
                    *("edit", str(SAMPLE_ID), "--base-url", url, *CREDENTIALS),
                ],
                ("textual.app", "App", "exit"),
            ),
            Program(
                "bare",
                [str(HERE / "bare_tree.py"), url, str(SAMPLE_ID), "demo", "demo"],
                ("textual.app", "App", "exit"),
            ),
        ]
        notes = scratch / "imports.txt"
        print("  warm-up (bytecode cache), one run of each …", flush=True)
        for program in programs:
            program.run(env, notes, keep=False)
        print(f"  {runs} runs of each, in turns …", flush=True)
        for _ in range(runs):
            for program in programs:
                program.run(env, notes, keep=True)
    finally:
        stand_in.stop()
    return programs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="import-time budget (see the module docstring)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each program (default 7)")
    parser.add_argument("--markdown", type=Path, help="also write the table here, in Markdown")
    args = parser.parse_args(argv)
    about = machine()
    print(f"tgedit import-time budget: {about}", flush=True)
    with tempfile.TemporaryDirectory(prefix="tgedit-budget-") as scratch:
        programs = measure(args.runs, Path(scratch))
    tgedit, bare = (Budget.of(program.runs) for program in programs)
    shown = ", ".join(
        f"{p.label} {1000 * statistics.median(r.shown_s for r in p.runs):.0f} ms" for p in programs
    )
    print()
    print(render(about, tgedit, bare, shown, markdown=False))
    if args.markdown:
        args.markdown.write_text(
            render(about, tgedit, bare, shown, markdown=True) + "\n", encoding="utf-8"
        )
        print(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
