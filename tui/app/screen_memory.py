"""What the terminal shows, row by row, so that a frame writes only the cells it changes.

Textual repaints a widget's whole region whenever it refreshes, and its start-up repaints
the screen three or four times (a resize, a scroll bar appearing, the screen resuming).
Over SSH every one of those bytes is latency (design.md, "Over SSH"). Each frame is given
here as the pieces it would write, ``(y, x, strip)``; the memory keeps the rows the
terminal shows and answers with the spans of cells that differ, so an unchanged row, or
the unchanged part of one, is not written again.

A row is remembered once a frame has written the whole of it; a piece of a row that is
not remembered is written as it is. ``forget()`` (on a resize, say) starts again.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip

Piece = tuple[int, int, Strip]  # y, x, what is written there
Cell = tuple[str, Style | None]

# Unchanged cells between two changed ones shorter than this are written again: moving
# the cursor past them costs about as much (``ESC[y;xH`` plus the style to start again).
JOIN_GAP = 8


def cells_of(strip: Strip) -> list[Cell]:
    """One entry per terminal cell; the second cell of a wide character is ``("", style)``."""
    cells: list[Cell] = []
    append = cells.append
    for segment in strip:
        if segment.control:
            continue
        style = segment.style
        text = segment.text
        if text.isascii():
            cells.extend([(char, style) for char in text])
            continue
        for char in text:
            width = cell_len(char)
            if width:
                append((char, style))
                if width == 2:
                    append(("", style))
    return cells


def changed_spans(old: list[Cell], new: list[Cell]) -> list[tuple[int, int]]:
    """The ``[start, end)`` spans of cells where ``new`` differs from ``old``."""
    spans: list[tuple[int, int]] = []
    width = len(new)
    x = 0
    while x < width:
        if x < len(old) and old[x] == new[x]:
            x += 1
            continue
        start = x
        end = x + 1
        gap = 0
        x += 1
        while x < width and gap < JOIN_GAP:
            if x < len(old) and old[x] == new[x]:
                gap += 1
            else:
                end = x + 1
                gap = 0
            x += 1
        # A wide character's two cells are written together.
        if start > 0 and new[start][0] == "":
            start -= 1
        if end < width and new[end][0] == "":
            end += 1
        spans.append((start, end))
        x = end
    return spans


class ScreenMemory:
    """The rows a terminal of ``width`` × ``height`` shows, as far as they are known."""

    def __init__(self) -> None:
        # A row's cells are worked out when a later frame first changes it (the first frame
        # is written without that work).
        self._rows: dict[int, tuple[Strip, list[Cell] | None]] = {}
        self.width = 0

    def forget(self) -> None:
        self._rows.clear()

    def changes(self, pieces: Iterable[Piece], width: int) -> list[Piece]:
        """The pieces that bring the terminal from what it shows to the frame ``pieces``."""
        if width != self.width:
            self.forget()
            self.width = width
        by_row: dict[int, list[tuple[int, Strip]]] = {}
        for y, x, strip in pieces:
            by_row.setdefault(y, []).append((x, strip))
        out: list[Piece] = []
        for y, row_pieces in by_row.items():
            out.extend(self._row_changes(y, row_pieces))
        return out

    def _row_changes(self, y: int, pieces: list[tuple[int, Strip]]) -> list[Piece]:
        width = self.width
        known = self._rows.get(y)
        if known is None:
            # Known from the last piece that covers the whole row, with what follows it.
            last_whole = max(
                (n for n, (x, strip) in enumerate(pieces) if x == 0 and strip.cell_length >= width),
                default=None,
            )
            if last_whole is not None:
                row = pieces[last_whole][1].crop(0, width)
                self._rows[y] = (_overlay(row, pieces[last_whole + 1 :], width), None)
            return [(y, x, strip) for x, strip in pieces]  # not known before: written as it is
        old_row, old_cells = known
        row = _overlay(old_row, pieces, width)
        if row == old_row:
            return []
        if old_cells is None:
            old_cells = cells_of(old_row)
        new_cells = cells_of(row)
        self._rows[y] = (row, new_cells)
        return [
            (y, start, row.crop(start, end)) for start, end in changed_spans(old_cells, new_cells)
        ]


def _overlay(row: Strip, pieces: list[tuple[int, Strip]], width: int) -> Strip:
    """``row`` with each piece written over it in turn, cut to ``width`` cells."""
    for x, strip in pieces:
        if x >= width:
            continue
        end = min(width, x + strip.cell_length)
        row = Strip.join([row.crop(0, x), strip.crop(0, end - x), row.crop(end, width)])
    return row
