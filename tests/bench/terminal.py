"""Whole-process timings: a command run under a pseudo-terminal, watched from outside.

The first frame is the moment the terminal has received a screen that shows a
given text (ANSI sequences removed), counted from just before the process was started:
interpreter start, imports, loading and drawing are all in it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass

_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[PX^_][^\x1b]*\x1b\\"  # DCS and friends
    r"|\x1b[@-Z\\-_]"  # two-byte sequences
    r"|\x1b[()][0-9A-Za-z]"  # character sets
)


def plain(text: str) -> str:
    return _ANSI.sub("", text)


class NoTerminal(RuntimeError):
    """This machine gives us no pseudo-terminal (a locked-down container)."""


@dataclass
class TerminalRun:
    shown_after: float | None  # seconds from start until ``marker`` was on screen
    exited_after: float | None
    output: str  # everything written, ANSI removed
    returncode: int | None
    peak_rss_mb: float | None  # the process's own high-water mark (ru_maxrss)


def spawn_in_terminal(
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (120, 40),
    cwd: str | None = None,
) -> tuple[subprocess.Popen[bytes], int]:
    """``command`` started in a session of its own on a new pseudo-terminal of ``size``
    (columns, rows); its process and the terminal's master side."""
    try:
        master, slave = os.openpty()
    except OSError as error:
        raise NoTerminal(f"no pseudo-terminal here: {error}") from None
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(
        command,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    return process, master


def run_in_terminal(
    command: list[str],
    marker: str,
    *,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (120, 40),
    timeout: float = 60.0,
    wait_for_exit: bool = False,
    cwd: str | None = None,
) -> TerminalRun:
    """Run ``command`` on a new pseudo-terminal until ``marker`` shows (and, if asked, it exits).

    A process still running when it is no longer needed is ended with SIGTERM, then
    SIGKILL, through its own process group (it was started in a new session).
    """
    started = time.perf_counter()
    process, master = spawn_in_terminal(command, env=env, size=size, cwd=cwd)
    raw = bytearray()
    shown_after: float | None = None
    exited_after: float | None = None
    seen = ""
    try:
        deadline = started + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the other side is closed
                    chunk = b""
                if not chunk:
                    exited_after = time.perf_counter() - started
                    break
                now = time.perf_counter()
                raw.extend(chunk)
                if shown_after is None:
                    # Sequences may be split between reads: search the tail again each time.
                    seen = plain(raw[-200_000:].decode("utf-8", "replace"))
                    if marker in seen:
                        shown_after = now - started
                        if not wait_for_exit:
                            break
            elif process.poll() is not None and shown_after is not None:
                exited_after = time.perf_counter() - started
                break
    finally:
        peak = _reap(process, end=exited_after is None)
        os.close(master)
    return TerminalRun(
        shown_after, exited_after, plain(raw.decode("utf-8", "replace")), process.returncode, peak
    )


def _reap(process: subprocess.Popen[bytes], *, end: bool) -> float | None:
    """Wait for the process, after SIGTERM if ``end``; its peak RSS in MB.

    ``os.wait4`` rather than ``Popen.wait``: it also returns the child's resource usage.
    A process that does not go is killed (its whole process group: it has its own session).
    """
    if end:
        _signal(process, signal.SIGTERM)
    peak = _wait4(process, 2.0 if end else 30.0)
    if peak is None:
        _signal(process, signal.SIGKILL)
        peak = _wait4(process, 10.0)
    return peak


def _signal(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _wait4(process: subprocess.Popen[bytes], timeout: float) -> float | None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_maxrss / 1024  # KiB on Linux
        time.sleep(0.005)
    return None
