"""Colour for the headless commands: plain ANSI SGR codes, and only on a terminal.

No rich and no textual here (``tgedit show`` must start fast and stay headless).
Colour only ever adds to a mark; every meaning is also in the text (the lock glyph),
so NO_COLOR and a pipe lose nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO

RESET = "\x1b[0m"
DIM = "\x1b[2m"
BOLD = "\x1b[1m"
CHANGED = "\x1b[1;33m"  # bold yellow, as in the editor


def wants_colour(stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Colour on a terminal, unless NO_COLOR (https://no-color.org) or TERM=dumb says no."""
    env = os.environ if env is None else env
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Painter:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def paint(self, code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if self.colour and text else text

    def dim(self, text: str) -> str:
        return self.paint(DIM, text)

    def bold(self, text: str) -> str:
        return self.paint(BOLD, text)

    def changed(self, text: str) -> str:
        return self.paint(CHANGED, text)
