"""Bytes on the wire: what the editor writes to its terminal, as a user over SSH pays for it.

    python tests/bench/wire.py            # tgedit edit 2762 and the bare Textual Tree app
    python tests/bench/wire.py --json     # the figures as one JSON object

Over SSH the bytes the editor writes are its speed (design.md, "Over SSH"). Each program
runs in a pseudo-terminal of 120×40 with ``TERM=xterm-256color COLORTERM=truecolor``
against a stand-in server started here, and every byte it writes is counted:

* the first screen: everything written until the group is on screen and the output has
  been quiet for a second;
* one cursor move: the median (and the largest) of 20 ``down`` presses, each counted
  until the output is quiet again; also with ``NO_COLOR=1``;
* one character typed in the inline editor (``enter`` on ``name``, then 10 letters);
* key repeat over a link of 1 Mbit/s and 50 ms each way: 30 ``down`` then 30 ``up`` at 30
  keys a second are sent; the bytes written after each are then replayed through a model of the link
  (serialised at the link's rate, delivered 50 ms later; a key reaches the program 50 ms
  after it is pressed), giving the time from the last key pressed to the last byte of
  its frame delivered, and whether the link's queue grew from key to key;
* ``q`` while the group's GET hangs (a stand-in that answers a minute late): from the
  key until the process is gone.

Wall-clock timings are of this machine; the byte counts are exact.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import select
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from run import CREDENTIALS, SAMPLE_FILE, SAMPLE_ID, StandIn, child_env, tgedit_command  # noqa: E402
from terminal import plain, spawn_in_terminal  # noqa: E402

COLUMNS, ROWS = 120, 40
DOWN = b"\x1b[B"
UP = b"\x1b[A"
LINK_BITS_PER_S = 1_000_000
LINK_DELAY_S = 0.050
REPEAT_PER_S = 30
REPEAT_KEYS = 60
# `/name` enter goes to the `name` field, enter opens its inline editor.
OPEN_NAME_EDITOR = (b"/", b"name", b"\r", b"\r")


class Pty:
    """A command on a pseudo-terminal; every chunk it writes is kept with its time."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.process, self.master = spawn_in_terminal(command, env=env, size=(COLUMNS, ROWS))
        self.chunks: list[tuple[float, int]] = []
        self.raw = bytearray()
        self.closed = False

    def read(self, quiet: float, cap: float) -> int:
        """Bytes written until none came for ``quiet`` s (at most ``cap`` s)."""
        total, end = 0, time.perf_counter() + cap
        while time.perf_counter() < end and not self.closed:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                self.closed = True
                break
            self.chunks.append((time.perf_counter(), len(chunk)))
            self.raw.extend(chunk)
            total += len(chunk)
        return total

    def until(self, marker: str, cap: float = 60.0) -> bool:
        end = time.perf_counter() + cap
        while time.perf_counter() < end and not self.closed:
            self.read(0.05, 0.2)
            if marker in plain(self.raw[-300_000:].decode("utf-8", "replace")):
                return True
        return False

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def end(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        os.close(self.master)


def editor(base_url: str) -> list[str]:
    return [*tgedit_command(), "edit", str(SAMPLE_ID), "--base-url", base_url, *CREDENTIALS]


def bare(base_url: str) -> list[str]:
    return [
        sys.executable,
        str(HERE / "bare_tree.py"),
        base_url,
        str(SAMPLE_ID),
        "demo",
        "demo",
    ]


def start(command: list[str], env: dict[str, str]) -> tuple[Pty, int]:
    pty = Pty(command, env)
    if not pty.until(f"Target group {SAMPLE_ID}"):
        pty.end()
        raise SystemExit(
            f"{command[-8:]}: the group never showed:\n{plain(pty.raw[-2000:].decode())}"
        )
    pty.read(1.0, 15)
    return pty, len(pty.raw)


def per_key(pty: Pty, keys: bytes, count: int) -> list[int]:
    out = []
    for _ in range(count):
        pty.send(keys)
        out.append(pty.read(0.3, 5))
    return out


def link_replay(pty: Pty, pressed: list[float], received: list[float]) -> tuple[float, bool]:
    """Last key pressed → the last byte of its output delivered, over the modelled link;
    and whether the link's queue grew (each key's output delivered later after its press
    than the one before, over the last third)."""
    link_free = 0.0
    delivered: list[float] = []
    # The output after key i is what was written between its arrival and the next's.
    for i, arrival in enumerate(received):
        until = received[i + 1] if i + 1 < len(received) else float("inf")
        last = None
        for at, size in pty.chunks:
            if arrival <= at < until:
                link_free = max(link_free, at) + size * 8 / LINK_BITS_PER_S
                last = link_free + LINK_DELAY_S
        delivered.append(last if last is not None else arrival + LINK_DELAY_S)
    lags = [d - p for d, p in zip(delivered, pressed, strict=True)]
    tail = lags[len(lags) * 2 // 3 :]
    growing = len(tail) > 2 and all(b > a for a, b in itertools.pairwise(tail))
    return lags[-1], growing


def key_repeat(pty: Pty) -> tuple[float, bool, int]:
    # A key pressed at p reaches the program at p + the link's delay: send it then.
    first = time.perf_counter() + 0.2
    pressed = [first + i / REPEAT_PER_S for i in range(REPEAT_KEYS)]
    received = [p + LINK_DELAY_S for p in pressed]
    before = len(pty.raw)
    for number, at in enumerate(received):
        while (now := time.perf_counter()) < at:
            pty.read(max(0.0, at - now), at - now + 0.001)
        # Down, then back up: a key held at the end of the tree would write nothing.
        pty.send(DOWN if number < REPEAT_KEYS // 2 else UP)
    pty.read(0.5, 10)
    lag, growing = link_replay(pty, pressed, received)
    return lag, growing, len(pty.raw) - before


def quit_while_fetching(env: dict[str, str], hanging_url: str) -> float:
    pty = Pty(editor(hanging_url), env)
    try:
        if not pty.until("Fetching group"):
            raise SystemExit("the editor never said it was fetching")
        pty.read(0.3, 2)
        sent = time.perf_counter()
        pty.send(b"q")
        while pty.process.poll() is None and time.perf_counter() - sent < 60:
            pty.read(0.01, 0.05)
        return time.perf_counter() - sent
    finally:
        pty.end()


def measure_program(command: list[str], env: dict[str, str], *, editing: bool) -> dict[str, Any]:
    result: dict[str, Any] = {}
    pty, result["first_screen"] = start(command, env)
    try:
        moves = per_key(pty, DOWN, 20)
        result["move_median"], result["move_max"] = statistics.median(moves), max(moves)
        lag, growing, written = key_repeat(pty)
        result["repeat_lag_ms"], result["repeat_backlog"] = lag * 1000, growing
        result["repeat_bytes"] = written
    finally:
        pty.end()
    if editing:
        pty, _ = start(command, env)
        try:
            for keys in OPEN_NAME_EDITOR:
                pty.send(keys)
                pty.read(0.5, 5)
            typed = per_key(pty, b"x", 10)
            result["char_median"] = statistics.median(typed)
        finally:
            pty.end()
    no_color = dict(env, NO_COLOR="1")
    pty, _ = start(command, no_color)
    try:
        result["move_median_no_color"] = statistics.median(per_key(pty, DOWN, 20))
    finally:
        pty.end()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="bytes on the wire (see the module docstring)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tgedit-wire-") as folder:
        scratch = Path(folder)
        env = child_env(scratch, COLORTERM="truecolor")
        served = scratch / "served.json"
        document = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
        served.write_text(json.dumps([document.get("data", document)]), encoding="utf-8")
        stand_in = StandIn(tgedit_command(), served, scratch, env)
        hanging = StandIn(tgedit_command(), served, scratch, env, delay_ms=60_000)
        try:
            figures = {
                "tgedit edit": measure_program(editor(stand_in.base_url), env, editing=True),
                "bare Tree app": measure_program(bare(stand_in.base_url), env, editing=False),
                "quit_while_fetching_s": quit_while_fetching(env, hanging.base_url),
            }
        finally:
            stand_in.stop()
            hanging.stop()
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"Bytes written to a {COLUMNS}×{ROWS} truecolor pty, group {SAMPLE_ID}:")
    for name in ("tgedit edit", "bare Tree app"):
        f = figures[name]
        print(
            f"  {name:14} first screen {f['first_screen']:>8,} B; cursor move median "
            f"{f['move_median']:>6,.0f} B (max {f['move_max']:,}); NO_COLOR "
            f"{f['move_median_no_color']:,.0f} B"
            + (f"; a typed character {f['char_median']:,.0f} B" if "char_median" in f else "")
        )
        print(
            f"  {'':14} key repeat at {REPEAT_PER_S}/s over 1 Mbit/s + 50 ms: last key → frame "
            f"{f['repeat_lag_ms']:.0f} ms{' (backlog growing)' if f['repeat_backlog'] else ''}"
            f" ({f['repeat_bytes']:,} B for {REPEAT_KEYS} keys)"
        )
    print(f"  q while the GET hangs → process gone: {figures['quit_while_fetching_s']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
