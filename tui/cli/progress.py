"""A progress line on stderr for runs over many groups: done of total, a bar, the rate and
the time left, redrawn in place and cleared at the end.

Only when stderr is a terminal and the run holds more than a few groups; otherwise it
writes nothing at all, so a pipe or a log file never sees it. Plain text (no colour, no
rich): a redraw is one short line, at most ten a second, which matters over SSH.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from types import TracebackType
from typing import Self

from tui.cli.common import Io

# Fewer groups than this finish before a bar is worth reading.
MIN_GROUPS = 4
REDRAW_SECONDS = 0.1
CLEAR = "\r\x1b[K"


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _duration(seconds: float) -> str:
    whole = int(seconds + 0.5)
    return f"{whole // 60}:{whole % 60:02d}"


class Progress:
    """``with Progress(io, "Exporting", total) as progress: … progress.advance()``."""

    def __init__(
        self,
        io: Io,
        doing: str,
        total: int,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._io = io
        self._doing = doing
        self.total = total
        self.done = 0
        self._clock = clock
        self._started = clock()
        self._drawn_at: float | None = None
        self.shown = total >= MIN_GROUPS and _is_terminal(io.stderr)
        # Lines on stdout cross the bar only when both go to the terminal.
        self._shares_screen = self.shown and _is_terminal(io.stdout)

    def __enter__(self) -> Self:
        self._draw()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.clear()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = self._clock()
        last = self._drawn_at
        if self.done >= self.total or last is None or now - last >= REDRAW_SECONDS:
            self._draw()

    def out(self, text: str) -> None:
        """A line on stdout, with the bar moved out of its way when both share a screen."""
        self._above(self._io.out, text, self._shares_screen)

    def err(self, text: str) -> None:
        """A line on stderr, above the bar."""
        self._above(self._io.err, text, self.shown)

    def _above(self, write: Callable[[str], None], text: str, in_the_way: bool) -> None:
        if in_the_way and self._drawn_at is not None:
            self._io.stderr.write(CLEAR)
            self._io.stderr.flush()
            write(text)
            self._draw()
        else:
            write(text)

    def clear(self) -> None:
        if self.shown and self._drawn_at is not None:
            self._io.stderr.write(CLEAR)
            self._io.stderr.flush()
            self._drawn_at = None

    def line(self, width: int) -> str:
        """The progress line, at most ``width`` characters."""
        elapsed = self._clock() - self._started
        counts = f"{self._doing} {self.done} of {self.total}"
        if self.done and elapsed > 0:
            rate = self.done / elapsed
            left = (self.total - self.done) / rate
            speed = f" {rate:.1f}/s, {_duration(left)} left"
        else:
            speed = ""
        room = width - len(counts) - len(speed) - 4
        if room >= 10:
            bar_width = min(room, 40)
            filled = bar_width * self.done // max(self.total, 1)
            bar = f" [{'#' * filled}{'.' * (bar_width - filled)}]"
        else:
            bar = ""
        return (counts + bar + speed)[: max(width - 1, 0)]

    def _draw(self) -> None:
        if not self.shown:
            return
        width = shutil.get_terminal_size((80, 24)).columns
        self._io.stderr.write("\r" + self.line(width) + "\x1b[K")
        self._io.stderr.flush()
        self._drawn_at = self._clock()
