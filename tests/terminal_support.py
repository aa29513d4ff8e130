"""The installed ``tgedit`` in a real pseudo-terminal, read back through a VT emulator.

Pilot hands keys straight to the app and reads widget state; this goes the long way a
person's keys go: bytes into a pty, Textual's own input parser and driver, escape
sequences out, drawn by ``pyte`` into the lines a person would read. Waits poll the
screen until a condition holds or a deadline passes; no sleep is a window for something
to happen. Sleeps here only pace the SENDING of bytes, as a slow link would.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pyte

# Textual calls a lone ESC the escape key once nothing follows it for ESCDELAY (100 ms):
# the next key waits longer than that, or the two would read as alt+key.
ESCAPE_SETTLE = 0.3
# Between two bytes of one escape sequence, and between keys: an SSH link's jitter.
INTER_BYTE = 0.004
BETWEEN_KEYS = 0.02
DEADLINE = 15.0

KEYS: dict[str, bytes] = {
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "pageup": b"\x1b[5~",
    "pagedown": b"\x1b[6~",
    "delete": b"\x1b[3~",
    "enter": b"\r",
    "tab": b"\t",
    "backspace": b"\x7f",
    "escape": b"\x1b",
    "space": b" ",
    **{f"ctrl+{c}": bytes([ord(c) - ord("a") + 1]) for c in "abcdefghklnopqrstuvwxyz"},
}


def tgedit_command() -> str:
    """The installed console script: the venv's bin next to this Python, else on PATH."""
    beside = Path(sys.executable).parent / "tgedit"
    if beside.exists():
        return str(beside)
    found = shutil.which("tgedit")
    assert found, "the tgedit console script is not installed (pip install -e .)"
    return found


def private_env(
    home: Path, *, no_color: bool, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """A clean environment: a real TERM, private XDG folders, no credentials of the runner."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    if no_color:
        env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


class Terminal:
    """``tgedit ARGS`` in a pty of ``columns``×``rows``; ``lines()`` is what is on screen."""

    def __init__(
        self, args: list[str], env: dict[str, str], *, columns: int = 120, rows: int = 40
    ) -> None:
        self.columns, self.rows = columns, rows
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(
            tgedit_command(), args, env=env, dimensions=(rows, columns), echo=False
        )
        self.output = bytearray()

    # --- reading -------------------------------------------------------------------------

    def pump(self, wait: float = 0.02) -> None:
        """Feed whatever the program wrote to the emulator (waiting up to ``wait`` for it)."""
        while True:
            try:
                chunk = self.child.read_nonblocking(65536, timeout=wait)
            except pexpect.TIMEOUT:
                return
            except pexpect.EOF:
                return
            self.output += chunk
            self.stream.feed(chunk)
            wait = 0.005

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())

    def cursor_row(self) -> int | None:
        """The row of the tree's cursor line: the one row of the tree (left half, between
        the top bar and the footer) whose text has a background the other rows' text does
        not. None when there is no single such row (a dialog over the tree, say)."""
        half = self.columns // 2
        rows: dict[int, set[str]] = {}
        counts: dict[str, int] = {}
        for y in range(1, self.rows - 2):
            line = self.screen.buffer[y]
            for x in range(half):
                cell = line[x]
                if cell.data.strip():
                    style = f"{cell.bg}/{cell.reverse}"
                    rows.setdefault(y, set()).add(style)
                    counts[style] = counts.get(style, 0) + 1
        if not counts:
            return None
        usual = max(counts, key=lambda style: counts[style])
        odd = [y for y, styles in rows.items() if styles - {usual}]
        return odd[0] if len(odd) == 1 else None

    def cursor_line(self) -> str | None:
        """The text of the tree's cursor line (see ``cursor_row``)."""
        row = self.cursor_row()
        return None if row is None else self.lines()[row]

    def wait_until(
        self, condition: Callable[[], bool], what: str, deadline: float = DEADLINE
    ) -> None:
        """Poll the screen until ``condition()``; fail naming ``what`` and showing it."""
        end = time.monotonic() + deadline
        while True:
            self.pump()
            if condition():
                return
            if not self.child.isalive():
                self.pump()
                if condition():
                    return
                raise AssertionError(f"tgedit ended while waiting for {what}:\n{self.text()}")
            if time.monotonic() > end:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{self.text()}")

    def wait_for(self, *texts: str, deadline: float = DEADLINE) -> None:
        """Until every one of ``texts`` is on screen."""
        self.wait_until(
            lambda: all(t in self.text() for t in texts), f"{texts!r} on screen", deadline
        )

    def wait_gone(self, *texts: str, deadline: float = DEADLINE) -> None:
        self.wait_until(
            lambda: not any(t in self.text() for t in texts), f"{texts!r} to go", deadline
        )

    def wait_cursor_on(self, text: str, deadline: float = DEADLINE) -> None:
        """Until the tree's cursor line holds ``text``."""
        self.wait_until(
            lambda: text in (self.cursor_line() or ""), f"the cursor on {text!r}", deadline
        )

    # --- writing -------------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        """Bytes as a slow link delivers them: an escape sequence in two writes, apart."""
        if data.startswith(b"\x1b") and len(data) > 1:
            self.child.send(data[:2])
            time.sleep(INTER_BYTE)
            self.child.send(data[2:])
        else:
            self.child.send(data)
        self.pump(0)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.write(KEYS[key] if key in KEYS else key.encode("utf-8"))
            # A lone ESC only becomes "escape" once nothing follows it for ESCDELAY.
            time.sleep(ESCAPE_SETTLE if key == "escape" else BETWEEN_KEYS)
            self.pump(0)

    def type(self, text: str, each: Callable[[str], None] | None = None) -> None:
        """Type ``text`` one character at a time; ``each(typed_so_far)`` after each."""
        for number, character in enumerate(text, 1):
            self.write(character.encode("utf-8"))
            time.sleep(INTER_BYTE)
            if each is not None:
                each(text[:number])

    # --- ending --------------------------------------------------------------------------

    def ended(self, deadline: float = DEADLINE) -> int | None:
        """Wait for the program to exit; its exit status."""
        self.wait_until(lambda: not self.child.isalive(), "tgedit to exit", deadline)
        self.child.close()
        return self.child.exitstatus

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close(force=True)
