"""tgedit benchmarks: startup, large groups, keys. Not part of the pytest run.

    python tests/bench/run.py               # sizes 10×5, 100×20, 365×50, 1000×100; exit 1 on a miss
    python tests/bench/run.py --smoke       # the smallest size, one run each; never fails on targets
    python tests/bench/run.py --markdown bench.md

What is measured, and how:

* per size (``app_bench.py``, a fresh process per run): the real ``TgEditApp`` headless on
  an ``EditSession`` of the group — app creation to first frame, key to frame, expanding
  the periods, the PUT body and diff after ten edits, ``parse_group``, the peak RSS;
* whole processes under a pseudo-terminal (``terminal.py``), from just before the start
  until the terminal has been sent a screen that shows the group: ``tgedit edit --file``
  (every size), ``tgedit demo`` and a bare Textual app with a 50-node Tree;
* ``tgedit set --dry-run`` against a stand-in server started here on 127.0.0.1, and
  ``python -c "import textual.app"``, to their end.

Processes that are compared run in turns, so that a busy moment of the machine falls on
both; each size's runs over HTTP take turns with the 2762 sample's, which its ratio is to. Child processes get a bytecode cache (``PYTHONPYCACHEPREFIX``) and a warm-up run,
as an installed tool has: without it every run would compile the project's sources.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from report import SAMPLE, Measurements, Startup, render, target_rows  # noqa: E402
from terminal import NoTerminal, run_in_terminal  # noqa: E402

SAMPLE_FILE = ROOT / "tests" / "fixtures" / "edit-response-2762.json"
SIZES = ["10x5", "100x20", "365x50", "1000x100"]
SMOKE_SIZES = ["10x5"]
FIRST_GROUP_ID = 9001  # of the generated groups, one id per size (one stand-in serves all)
SAMPLE_ID = 2762
CACHE_DIR = Path(tempfile.gettempdir()) / "tgedit-bench-pycache"
# Run in a child: on Linux a child's ru_maxrss starts from its parent's RSS at the spawn,
# so this process stays small while it starts the measured ones.
GENERATE = """
import json, sys
from pathlib import Path
from tui.stub.generate import make_group, parse_size
for spec in sys.argv[1:]:
    name, group_id = spec.rsplit(":", 1)
    periods, targets = parse_size(Path(name).stem.removeprefix("group-"))
    group = make_group(periods, targets, group_id=int(group_id))
    Path(name).write_text(json.dumps(group), encoding="utf-8")
"""
# The stand-in's data: every group in one list (also in a child, for the same reason).
SERVE = """
import json, sys
from pathlib import Path
groups = []
for name in sys.argv[2:]:
    document = json.loads(Path(name).read_text(encoding="utf-8"))
    if "data" in document and "id" not in document:  # a reply envelope
        document = document["data"]
    groups.append(json.dumps(document))
Path(sys.argv[1]).write_text("[" + ",".join(groups) + "]", encoding="utf-8")
"""
TIMING_LINE = re.compile(r"first frame after (\d+) ms")


def child_env(scratch: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in (
        "PYTHONDONTWRITEBYTECODE",
        "TGEDIT_TIMINGS",
        "TGEDIT_EXIT_AFTER_FIRST_FRAME",
        "TGEDIT_PROFILE",
    ):
        env.pop(name, None)
    env.update(
        PYTHONPYCACHEPREFIX=str(CACHE_DIR),
        TERM="xterm-256color",
        XDG_CONFIG_HOME=str(scratch / "config"),
        XDG_STATE_HOME=str(scratch / "state"),
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    )
    env.update(extra)
    return env


def tgedit_command() -> list[str]:
    script = Path(sys.executable).parent / "tgedit"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from tui.cli.main import main; sys.exit(main())"]


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"Textual {metadata.version('textual')}, load average at the start {load}"
    )


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


# --- one size in-process ------------------------------------------------------------------


def per_size(path: Path, runs: int, env: dict[str, str]) -> dict[str, float]:
    """The median of each metric of ``app_bench.py`` over ``runs`` fresh processes."""
    results: list[dict[str, Any]] = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, str(HERE / "app_bench.py"), str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        if done.returncode != 0:
            raise SystemExit(f"app_bench.py {path.name} failed:\n{done.stderr[-3000:]}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    keys = {key for result in results for key in result}
    return {k: statistics.median(r[k] for r in results if k in r) for k in sorted(keys)}


# --- whole processes ------------------------------------------------------------------------


class Shown:
    """Runs of one command under a terminal until ``marker`` is on screen."""

    def __init__(self, command: list[str], marker: str, env: dict[str, str], *, exits: bool):
        self.command, self.marker, self.env, self.exits = command, marker, env, exits
        self.shown: list[float | None] = []
        self.in_app: list[float | None] = []
        self.rss: list[float | None] = []
        self.unavailable = False

    def run(self) -> None:
        if self.unavailable:
            return
        try:
            run = run_in_terminal(
                self.command, self.marker, env=self.env, wait_for_exit=self.exits, timeout=120
            )
        except NoTerminal as error:  # not measured, rather than failed
            print(f"  not measured: {' '.join(self.command[-3:])}: {error}", flush=True)
            self.unavailable = True
            return
        if run.shown_after is None:
            raise SystemExit(
                f"{' '.join(self.command)}: {self.marker!r} never appeared; it wrote:\n"
                f"{run.output[-2000:]}"
            )
        self.shown.append(run.shown_after)
        found = TIMING_LINE.search(run.output)
        self.in_app.append(float(found.group(1)) if found else None)
        self.rss.append(run.peak_rss_mb)

    def forget(self) -> None:
        self.shown.clear()
        self.in_app.clear()
        self.rss.clear()

    def result(self) -> Startup:
        samples = [value for value in self.shown if value is not None]
        return Startup(median(self.shown), median(self.in_app), median(self.rss), samples)


def in_turns(runners: list[Shown], runs: int) -> None:
    """Each runner once a turn, in an order shuffled from turn to turn (the same order
    each time the bench runs): a disturbance that falls on one place in a turn, such as
    the process that follows a heavy one, is spread over all the runners."""
    order = random.Random(len(runners) * 1000 + runs)
    for _ in range(runs):
        for runner in order.sample(runners, len(runners)):
            runner.run()


def to_the_end(commands: list[list[str]], env: dict[str, str], runs: int) -> list[float]:
    """Median wall time of each command run to its end (it must succeed), in turns."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, samples in zip(commands, times, strict=True):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
            samples.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return [statistics.median(samples) for samples in times]


# --- the run ------------------------------------------------------------------------------


class StandIn:
    """``tgedit stub`` in a process of its own, serving the sample and the generated groups.

    Its own process, as a real server is: its work (encoding a big group) is not done on
    the measured process's cores' time slices any more than a server's would be.
    """

    def __init__(
        self,
        tgedit: list[str],
        groups: Path,
        scratch: Path,
        env: dict[str, str],
        *,
        delay_ms: int = 0,
        extra: tuple[str, ...] = (),
    ):
        # ``extra``: more flags of ``tgedit stub`` (``--rate-limit 10``).
        self.log = scratch / f"stand-in-{delay_ms}ms{''.join(extra)}.log"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [
                    *tgedit,
                    "stub",
                    "--port",
                    "0",
                    "--data",
                    str(groups),
                    "--delay-ms",
                    str(delay_ms),
                    *extra,
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        deadline = time.perf_counter() + 300
        while time.perf_counter() < deadline:
            found = re.search(r"at (http://\S+)", self.log.read_text(encoding="utf-8"))
            if found:
                self.base_url = found.group(1)
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"the stand-in did not start:\n{self.log.read_text(encoding='utf-8')}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


CREDENTIALS = ["--username", "demo", "--password", "demo"]
# A distant API: every reply of the second stand-in this late. Overlapping the GET with
# the import of Textual is where the editor can beat a serial app.
LATE_MS = 200


def measure(sizes: list[str], runs: int, size_runs: int, scratch: Path) -> Measurements:
    m = Measurements(machine(), runs, size_runs, http_size_repeats=max(1, runs * 3 // 5))
    print(f"tgedit benchmarks: {m.about}", flush=True)
    env = child_env(scratch)
    timed_env = child_env(scratch, TGEDIT_TIMINGS="1", TGEDIT_EXIT_AFTER_FIRST_FRAME="1")
    files = {SAMPLE: SAMPLE_FILE} | {size: scratch / f"group-{size}.json" for size in sizes}
    ids = {SAMPLE: SAMPLE_ID} | {size: FIRST_GROUP_ID + n for n, size in enumerate(sizes)}
    subprocess.run(
        [sys.executable, "-c", GENERATE, *(f"{files[s]}:{ids[s]}" for s in sizes)],
        env=env,
        check=True,
    )
    served = scratch / "served.json"
    subprocess.run(
        [sys.executable, "-c", SERVE, str(served), *(str(files[s]) for s in files)],
        env=env,
        check=True,
    )
    tgedit = tgedit_command()
    print("  starting the stand-in server …", flush=True)
    stand_in = StandIn(tgedit, served, scratch, env)
    late = None
    try:
        late = StandIn(tgedit, served, scratch, env, delay_ms=LATE_MS)
        return _measure(
            m, sizes, runs, size_runs, files, ids, stand_in.base_url, late.base_url, env, timed_env
        )
    finally:
        stand_in.stop()
        if late is not None:
            late.stop()


def _measure(
    m: Measurements,
    sizes: list[str],
    runs: int,
    size_runs: int,
    files: dict[str, Path],
    ids: dict[str, int],
    base_url: str,
    late_url: str,
    env: dict[str, str],
    timed_env: dict[str, str],
) -> Measurements:
    tgedit = tgedit_command()
    # tgedit with its first frame marked (and quitting there, in timed_env).
    timed_tgedit = [sys.executable, str(HERE / "first_frame.py")]

    def over_http(size: str, base_url: str = base_url) -> tuple[Shown, Shown]:
        marker = f"Target group {ids[size]}"
        bare = Shown(
            [sys.executable, str(HERE / "bare_tree.py"), base_url, str(ids[size]), "demo", "demo"],
            marker,
            timed_env,
            exits=True,
        )
        edit = Shown(
            [*timed_tgedit, "edit", str(ids[size]), "--base-url", base_url, *CREDENTIALS],
            marker,
            timed_env,
            exits=True,
        )
        return bare, edit

    bare, edit = over_http(SAMPLE)
    edit_file = Shown(
        [*timed_tgedit, "edit", "--file", str(files[SAMPLE])],
        "Target group 2762",
        timed_env,
        exits=True,
    )
    demo = Shown([*tgedit, "demo"], "Target group 2762", env, exits=False)

    # Warm-up: compile the bytecode once, fill the file cache; these runs are not kept.
    subprocess.run([sys.executable, "-c", "import tui.cli.main, tui.app.app"], env=env, check=True)
    for runner in (bare, edit, edit_file, demo):
        runner.run()
        runner.forget()

    print("  startup over HTTP: bare app, tgedit edit, tgedit demo, edit --file, in turns …")
    in_turns([bare, edit, demo, edit_file], runs)
    m.http_bare[SAMPLE], m.http_edits[SAMPLE] = bare.result(), edit.result()
    m.demo, m.edits[SAMPLE] = demo.result(), edit_file.result()

    print(f"  startup over HTTP, every reply {LATE_MS} ms late: bare app, tgedit edit, in turns …")
    bare_late, edit_late = over_http(SAMPLE, late_url)
    in_turns([bare_late, edit_late], runs)
    m.late_bare, m.late_edit = bare_late.result(), edit_late.result()

    for name, path in files.items():
        print(f"  {name}: the editor in-process …", flush=True)
        m.sizes[name] = per_size(path, size_runs, env)
        if name != SAMPLE:
            print(
                f"  {name}: bare app and tgedit edit over HTTP, each beside the sample;"
                " tgedit edit --file …"
            )
            bare, edit = over_http(name)
            bare_sample, sample = over_http(SAMPLE)
            edit_file = Shown(
                [*timed_tgedit, "edit", "--file", str(path)],
                f"Target group {ids[name]}",
                timed_env,
                exits=True,
            )
            in_turns([bare_sample, bare, sample, edit, edit_file], m.http_size_repeats)
            m.http_bare[name], m.http_edits[name] = bare.result(), edit.result()
            m.sample_beside[name], m.bare_sample_beside[name] = (
                sample.result(),
                bare_sample.result(),
            )
            m.edits[name] = edit_file.result()

    print("  tgedit set --dry-run and imports, in turns …", flush=True)
    set_command = [*tgedit, "set", str(SAMPLE_ID), "name=benchmarked", "--dry-run"]
    set_command += ["--base-url", base_url, *CREDENTIALS]
    m.set_s, m.import_textual_s, m.import_cli_s = to_the_end(
        [
            set_command,
            [sys.executable, "-c", "import textual.app"],
            [sys.executable, "-c", "import tui.cli.main"],
        ],
        env,
        runs,
    )
    return m


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="tgedit benchmarks (see the module docstring)")
    parser.add_argument("--smoke", action="store_true", help="the smallest size, one run each")
    parser.add_argument("--markdown", type=Path, help="also write the tables here, in Markdown")
    parser.add_argument(
        "--repeats",
        type=int,
        help="turns at start-up (default 15; 3/5 of it per size over HTTP, 5 per size in process)",
    )
    args = parser.parse_args(argv)
    # Start-up ratios swing from turn to turn on this machine (0.8 to 1.6 within a run):
    # 15 turns for the sample's, 9 for each size's (which take 5 processes a turn).
    runs = args.repeats or (1 if args.smoke else 15)
    size_runs = args.repeats or (1 if args.smoke else 5)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tgedit-bench-") as scratch:
        m = measure(SMOKE_SIZES if args.smoke else SIZES, runs, size_runs, Path(scratch))
    rows = target_rows(m)
    print()
    print(render(m, rows, markdown=False))
    print(f"(took {time.perf_counter() - began:.0f} s)")
    if args.markdown:
        args.markdown.write_text(render(m, rows, markdown=True) + "\n", encoding="utf-8")
        print(f"wrote {args.markdown}")
    if args.smoke:
        return 0  # the smoke run checks that everything runs, not how fast
    return 1 if any(row.status == "MISS" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
