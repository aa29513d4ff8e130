"""Many groups at once (issue 22): an organisation's groups against a distant stand-in.

    python tests/bench/many.py                 # every row; exit 1 on a missed target
    python tests/bench/many.py --smoke         # 20 groups, one run each; never fails on a target
    python tests/bench/many.py --markdown many.md

The stand-in (``tgedit stub``, a process of its own) serves copies of the sample group
2762 (ids 50000 …), every reply ``LATE_MS`` late. Rows:

* ``export --all`` of 200 groups, the default ``--jobs`` (8) beside ``--jobs 1`` (one
  request after another, as before), each a whole process, timed to its end;
* ``diff DIR`` of the 200 files against live with 3 of them edited: the time, the exit
  code (4) and the groups it names (exactly the 3);
* the same export against a stand-in that answers 429 (``Retry-After: 1``) above 10
  requests a second: every file written, the bytes equal to the one-at-a-time export's,
  and no request arriving while a 429 asked the client to wait (the stand-in counts them:
  ``tui/stub/load.py``);
* the peak RSS of ``export --all`` of 1,000 groups (no delay), read as ``ru_maxrss`` of a
  small parent process (on Linux a child's starts from its parent's RSS at the fork).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from run import CREDENTIALS, StandIn, child_env, machine, tgedit_command  # noqa: E402

LATE_MS = 100
GROUPS = 200
BIG = 1000
RATE_LIMIT = 10
FIRST_ID = 50000
DRIFTED = (50017, 50101, 50188)
TARGET_SECONDS = 4.5
TARGET_RSS_MB = 120
RSS = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


@dataclass
class Row:
    measure: str
    target: str
    measured: str
    met: bool

    @property
    def status(self) -> str:
        return "ok" if self.met else "MISS"


def served(count: int, path: Path) -> Path:
    """``count`` copies of the sample group 2762 (the stand-in's --data)."""
    from tui.stub.samples import sample_copies

    path.write_text(json.dumps(sample_copies(count, FIRST_ID)), encoding="utf-8")
    return path


def timed(
    command: list[str], env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - began, done


def stopped_report(stand_in: StandIn) -> str:
    """The stand-in's last line after it stops: requests in flight, 429s, pauses kept."""
    stand_in.stop()
    return stand_in.log.read_text(encoding="utf-8").strip().splitlines()[-1]


def same_files(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    return names == sorted(p.name for p in b.iterdir()) and all(
        (a / name).read_bytes() == (b / name).read_bytes() for name in names
    )


def measure(groups: int, big: int, runs: int, scratch: Path) -> tuple[list[Row], str]:
    env = child_env(scratch)
    tgedit = tgedit_command()
    subprocess.run([sys.executable, "-c", "import tui.cli.main"], env=env, check=True)
    data = served(groups, scratch / "served.json")
    rows: list[Row] = []
    notes: list[str] = []

    late = StandIn(tgedit, data, scratch, env, delay_ms=LATE_MS)
    try:
        connect = ["--base-url", late.base_url, *CREDENTIALS]

        def export(folder: str, *flags: str) -> tuple[float, subprocess.CompletedProcess[str]]:
            return timed(
                [*tgedit, "export", "--all", "--dir", str(scratch / folder), *flags, *connect], env
            )

        print(f"  export --all, {groups} groups, {LATE_MS} ms late: --jobs 1 and the default …")
        serial, done = export("serial", "--jobs", "1")
        assert done.returncode == 0, done.stderr
        times = []
        for turn in range(runs):
            seconds, done = export(f"many-{turn}")
            assert done.returncode == 0, done.stderr
            assert same_files(scratch / "serial", scratch / f"many-{turn}")
            times.append(seconds)
        concurrent = statistics.median(times)
        rows.append(
            Row(
                f"`export --all`, {groups} groups, each reply {LATE_MS} ms late",
                f"≤ {TARGET_SECONDS} s",
                f"{concurrent:.2f} s (--jobs 1: {serial:.1f} s, {serial / concurrent:.1f}×)",
                concurrent <= TARGET_SECONDS,
            )
        )

        print(f"  diff of {groups} files against live, {len(DRIFTED)} drifted …")
        files = scratch / "many-0"
        drifted = [d for d in DRIFTED if d < FIRST_ID + groups]
        for group_id in drifted:
            path = files / f"{group_id}.json"
            group = json.loads(path.read_text(encoding="utf-8"))
            group["name"] = f"drifted {group_id}"
            path.write_text(json.dumps(group, indent=2) + "\n", encoding="utf-8")
        times = []
        for _ in range(runs):
            seconds, diff = timed([*tgedit, "diff", str(files), *connect], env)
            times.append(seconds)
        named = sorted(int(n) for n in re.findall(r"^(\d+) \(", diff.stdout, flags=re.M))
        summary = diff.stdout.strip().splitlines()[-1] if diff.stdout.strip() else "(nothing)"
        seconds = statistics.median(times)
        rows.append(
            Row(
                f"`diff` of {groups} files against live, {len(drifted)} drifted, same latency",
                f"≤ {TARGET_SECONDS} s, exit 4, exactly the {len(drifted)} named",
                f"{seconds:.2f} s, exit {diff.returncode}, named {named} ({summary})",
                seconds <= TARGET_SECONDS and diff.returncode == 4 and named == drifted,
            )
        )
    finally:
        notes.append(f"{LATE_MS} ms stand-in: {stopped_report(late)}")

    print(f"  export --all against 429 above {RATE_LIMIT} requests a second …")
    limit = ("--rate-limit", str(RATE_LIMIT))
    limited = StandIn(tgedit, data, scratch, env, delay_ms=LATE_MS, extra=limit)
    try:
        seconds, done = timed(
            [
                *tgedit,
                "export",
                "--all",
                "--dir",
                str(scratch / "limited"),
                "--base-url",
                limited.base_url,
                *CREDENTIALS,
            ],
            env,
        )
    finally:
        report = stopped_report(limited)
    notes.append(f"rate-limited stand-in: {report}")
    during = re.search(r"(\d+) arrived during a pause", report)
    refused = re.search(r"(\d+) answered 429", report)
    whole = done.returncode == 0 and same_files(scratch / "serial", scratch / "limited")
    rows.append(
        Row(
            f"the same export, 429 (`Retry-After: 1`) above {RATE_LIMIT} requests a second",
            f"all {groups} files, correct bytes, no request during a pause",
            f"{seconds:.1f} s, exit {done.returncode}, files {'identical' if whole else 'DIFFER'}, "
            f"{refused.group(1) if refused else '?'} answered 429, "
            f"{during.group(1) if during else '?'} during a pause",
            whole and during is not None and during.group(1) == "0",
        )
    )

    print(f"  peak RSS of export --all, {big} groups …")
    big_data = served(big, scratch / "big.json")
    plain = StandIn(tgedit, big_data, scratch, env)
    try:
        rss = subprocess.run(
            [
                sys.executable,
                "-c",
                RSS,
                *tgedit,
                "export",
                "--all",
                "--dir",
                str(scratch / "big"),
                "--base-url",
                plain.base_url,
                *CREDENTIALS,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        plain.stop()
    megabytes = int(rss.stdout.split()[-1]) / 1024
    written = len(list((scratch / "big").iterdir()))
    rows.append(
        Row(
            f"peak RSS of `export --all`, {big} groups of the sample's size",
            f"≤ {TARGET_RSS_MB} MB",
            f"{megabytes:.0f} MB ({written} files)",
            megabytes <= TARGET_RSS_MB and written == big,
        )
    )
    return rows, "; ".join(notes)


def render(rows: list[Row], about: str, notes: str, *, markdown: bool) -> str:
    lines = [f"Many groups at once: {about}", ""]
    if markdown:
        lines += ["| measure | target | measured | status |", "|---|---|---|---|"]
        lines += [f"| {r.measure} | {r.target} | {r.measured} | {r.status} |" for r in rows]
    else:
        lines += [f"{r.status:4}  {r.measure}: {r.measured} (target {r.target})" for r in rows]
    lines += ["", notes]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="tgedit: many groups at once (see the docstring)")
    parser.add_argument("--smoke", action="store_true", help="20 groups, one run each")
    parser.add_argument("--runs", type=int, default=3, help="runs of each timed row (median)")
    parser.add_argument("--markdown", type=Path, help="also write the table here, in Markdown")
    args = parser.parse_args(argv)
    groups, big, runs = (20, 50, 1) if args.smoke else (GROUPS, BIG, args.runs)
    about = machine()
    print(f"tgedit benchmarks, many groups: {about}", flush=True)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tgedit-bench-many-") as scratch:
        rows, notes = measure(groups, big, runs, Path(scratch))
    print()
    print(render(rows, about, notes, markdown=False))
    print(f"(took {time.perf_counter() - began:.0f} s)")
    if args.markdown:
        args.markdown.write_text(render(rows, about, notes, markdown=True) + "\n", encoding="utf-8")
        print(f"wrote {args.markdown}")
    if args.smoke:
        return 0
    return 1 if any(not row.met for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
