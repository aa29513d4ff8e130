"""Instructions to the first frame (valgrind's callgrind): a start-up yardstick that holds still.

    python tests/bench/instructions.py            # the 2762 sample: bare app, tgedit edit
    python tests/bench/instructions.py --big      # and a 365×50 group, for both

Wall time on a shared 2-core machine drifts by tens of percent between runs; the number
of instructions a process executes does not (±3 M here whatever else runs). Each program
runs once under ``valgrind --tool=callgrind`` in a pseudo-terminal, from its start until
its first frame, where it ends at once (``os._exit``): tgedit as ``tgedit edit ID``
against a stand-in on 127.0.0.1 (the prefetch thread included), the bare app as in
``run.py``. What it leaves out, as instructions do: the kernel's work (page faults, file
reads) and time spent waiting for the interpreter lock. Needs valgrind (Debian's
``valgrind``); about 30 s a run. Not part of the pytest run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from run import (  # noqa: E402
    CREDENTIALS,
    GENERATE,
    SAMPLE_FILE,
    SAMPLE_ID,
    SERVE,
    StandIn,
    child_env,
    tgedit_command,
)
from terminal import run_in_terminal  # noqa: E402

BIG_ID = 9002  # a generated 365 × 50 group

# tgedit as its console script runs it, ending the process at its first frame
# (first_frame.py patches the editor as it is imported: nothing is imported sooner or in
# another order than in a real run).
TGEDIT = r"""
import os, sys
sys.path.insert(0, sys.argv.pop(1))
import first_frame
first_frame.install(lambda app: os._exit(0))
sys.argv = ["tgedit", *sys.argv[1:]]
from tui.cli.main import main
sys.exit(main())
"""
BARE = r"""
import os, sys
sys.path.insert(0, sys.argv.pop(1))
import bare_tree
bare_tree.BareTree._first_frame = lambda self: os._exit(0)
bare_tree.BareTree(bare_tree.fetch(*sys.argv[1:5])).run()
"""


def count(command: list[str], env: dict[str, str], out: Path) -> int:
    """Instructions of ``command`` to its first frame (after one run that warms the caches)."""
    run_in_terminal(command, "never shown", env=env, wait_for_exit=True, timeout=120)
    valgrind = ["valgrind", "--tool=callgrind", "--dump-instr=no", "--collect-jumps=no"]
    run = run_in_terminal(
        [*valgrind, f"--callgrind-out-file={out}", *command],
        "never shown",
        env=env,
        wait_for_exit=True,
        timeout=900,
    )
    for line in out.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SystemExit(f"callgrind wrote no total for {command[:3]}:\n{run.output[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--big", action="store_true", help="also a 365×50 group, both programs")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    tgedit = tgedit_command()
    python = Path(tgedit[0]).with_name("python") if tgedit[0].endswith("tgedit") else None
    interpreter = str(python) if python is not None and python.exists() else sys.executable
    with tempfile.TemporaryDirectory(prefix="tgedit-instructions-") as name:
        scratch = Path(name)
        env = child_env(scratch)
        groups = [SAMPLE_FILE]
        ids = [SAMPLE_ID]
        if args.big:
            big = scratch / "group-365x50.json"
            subprocess.run([sys.executable, "-c", GENERATE, f"{big}:{BIG_ID}"], env=env, check=True)
            groups.append(big)
            ids.append(BIG_ID)
        served = scratch / "served.json"
        subprocess.run(
            [sys.executable, "-c", SERVE, str(served), *map(str, groups)], env=env, check=True
        )
        stand_in = StandIn(tgedit, served, scratch, env)
        try:
            counts: dict[tuple[str, int], int] = {}
            for group_id in ids:
                where = [stand_in.base_url, str(group_id), "demo", "demo"]
                bare = [interpreter, "-P", "-c", BARE, str(HERE), *where]
                edit = [interpreter, "-P", "-c", TGEDIT, str(HERE), "edit", str(group_id)]
                edit += ["--base-url", stand_in.base_url, *CREDENTIALS]
                for program, command in (("bare app", bare), ("tgedit edit", edit)):
                    total = count(command, env, scratch / "callgrind.out")
                    counts[program, group_id] = total
                    print(f"  {program} {group_id}: {total / 1e6:.0f} M", flush=True)
        finally:
            stand_in.stop()
    print()
    print(f"{'program':12}  " + "  ".join(f"{'group ' + str(i):>12}" for i in ids))
    for program in ("bare app", "tgedit edit"):
        cells = [f"{counts[program, i] / 1e6:10.0f} M" for i in ids]
        print(f"{program:12}  " + "  ".join(cells))
    ratio = counts["tgedit edit", SAMPLE_ID] / counts["bare app", SAMPLE_ID]
    print(f"\ntgedit edit ÷ bare app, group {SAMPLE_ID}: {ratio:.3f}")
    if args.big:
        for program in ("bare app", "tgedit edit"):
            own = counts[program, BIG_ID] / counts[program, SAMPLE_ID]
            print(f"{program}: 365×50 ÷ the 2762 sample: {own:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
