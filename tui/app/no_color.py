"""NO_COLOR (https://no-color.org): no colour is written at all, and nothing is lost.

Textual's own answer to NO_COLOR turns every colour into a grey that is still sent as a
24-bit colour, as many bytes as the colours it replaces (design.md, "Over SSH"). Here the
colours go, and what they set apart is said with attributes every terminal has: text on
a background that stands out (the tree's cursor, a selected tab, a button) is reversed,
text drawn in a muted colour (read-only fields, hints) is dim. Read-only fields keep their
⊘ and changed ones their ●, so the meaning never rested on colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter, Monochrome

# How far (0 to 1, in luminance) a background must be from the widget's own to be a
# highlight, and how close text must come to the background to be muted.
HIGHLIGHT = 0.12
MUTED = 0.6
REVERSED = Style(reverse=True)
DIMMED = Style(dim=True)


def _luminance(color: RichColor | None) -> float | None:
    if color is None or color.is_default:
        return None
    red, green, blue = color.get_truecolor()
    return (299 * red + 587 * green + 114 * blue) / 255_000  # as Textual's Color.brightness


@lru_cache(maxsize=1024)
def colourless(style: Style, background: float) -> Style:
    """``style`` without colour, its highlight reversed and its muted text dim."""
    plain = style.without_color
    bg = _luminance(style.bgcolor)
    if bg is not None and abs(bg - background) > HIGHLIGHT:
        return plain if style.reverse else plain + REVERSED
    fg = _luminance(style.color)
    if fg is not None and not style.reverse and abs(fg - background) < MUTED:
        return plain + DIMMED
    return plain


class Colourless(LineFilter):
    """A line filter that writes no colour (see the module's docstring)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        base = round(background.brightness, 2)
        return [
            Segment(text, None if style is None else colourless(style, base), control)
            for text, style, control in segments
        ]


COLOURLESS = Colourless()


def without_colour(filters: Sequence[LineFilter]) -> list[LineFilter]:
    """The App's line filters with Textual's NO_COLOR greys replaced by ``Colourless``."""
    return [
        COLOURLESS if isinstance(line_filter, Monochrome) else line_filter
        for line_filter in filters
    ]
