"""Scroll bars written as few style runs as they can be: bytes are latency over SSH.

Textual's renderer gives every cell of a horizontal bar its own segment, and the driver
writes each segment with its full truecolor style: ~2.5 KB for the tree's bottom bar,
written again whenever the screen is laid out (every character typed in an Input). Cells
of one style are joined here; what is drawn is the same. ``ScrollBar.renderer`` is
Textual's documented way to replace the rendering (the app sets it).
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment, Segments
from textual.scrollbar import ScrollBarRender

_BACK = Color.parse("#555555")  # ScrollBarRender's own defaults
_BAR = Color.parse("bright_magenta")


class JoinedScrollBarRender(ScrollBarRender):
    @classmethod
    def render_bar(
        cls,
        size: int = 25,
        virtual_size: float = 50,
        window_size: float = 20,
        position: float = 0,
        thickness: int = 1,
        vertical: bool = True,
        back_color: Color = _BACK,
        bar_color: Color = _BAR,
    ) -> Segments:
        bar = super().render_bar(
            size, virtual_size, window_size, position, thickness, vertical, back_color, bar_color
        )
        if vertical:  # one segment a line: nothing to join
            return bar
        return Segments(Segment.simplify(bar.segments), new_lines=False)
