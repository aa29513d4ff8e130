"""The one place tgedit reaches into Textual's private attributes.

Textual 8 has no public way to write raw bytes to the terminal: ``App.copy_to_clipboard``
sends a plain OSC 52 only, and a copy wrapped for tmux or GNU screen needs its own
sequence. Nor is there a public hook between its compositor and the terminal, where a
frame can be cut down to the cells it changes (``WritesChangedCellsOnly``). ``tests/test_textual_private.py`` checks that what is used here still exists,
so an upgrade that moves it fails there, by name, rather than as a copy that silently
does nothing.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.control import Control
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.app import App
from textual.screen import Screen
from textual.strip import Strip

from tui.app.screen_memory import ScreenMemory


def write_to_terminal(app: App[object], text: str) -> None:
    """Send ``text`` to the terminal as it is (no-op while no driver runs, headless tests
    included: Textual's own copy_to_clipboard does the same)."""
    driver = app._driver
    if driver is not None:
        driver.write(text)


class WritesChangedCellsOnly(App[None]):
    """An App whose frames write only the cells that differ from what the terminal shows.

    Textual hands each frame to the private ``App._display`` as a ``LayoutUpdate`` (whole
    lines) or a ``ChopsUpdate`` (pieces of lines), both private classes of
    ``textual._compositor``; there is no public hook between the compositor and the
    driver. The frame is turned into pieces here and ``ScreenMemory``
    (``tui/app/screen_memory.py``) keeps what it changes. Headless runs (the Pilot,
    snapshots) and inline mode go through untouched.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.screen_memory = ScreenMemory()

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        if (
            isinstance(renderable, LayoutUpdate | ChopsUpdate)
            and not self.is_headless
            and not self.is_inline
        ):
            pieces = self.screen_memory.changes(_pieces(renderable), self.size.width)
            renderable = _Pieces(pieces)
        super()._display(screen, renderable)

    def on_resize(self) -> None:
        # The terminal may have moved or cleared its cells: every row is written again.
        self.screen_memory.forget()


class _Pieces(CompositorUpdate):
    def __init__(self, pieces: list[tuple[int, int, Strip]]) -> None:
        self.pieces = pieces

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for y, x, strip in self.pieces:
            yield Control.move_to(x, y).segment
            yield from strip

    def render_segments(self, console: Console) -> str:
        move_to = Control.move_to
        return "".join(
            move_to(x, y).segment.text + strip.render(console) for y, x, strip in self.pieces
        )


def _pieces(update: LayoutUpdate | ChopsUpdate) -> list[tuple[int, int, Strip]]:
    """What Textual would write, as ``(y, x, strip)``, in its order (as its
    ``render_segments`` of each class does)."""
    if isinstance(update, LayoutUpdate):
        x = update.region.x
        return [(y, x, Strip.join(line)) for y, line in enumerate(update.strips, update.region.y)]
    pieces: list[tuple[int, int, Strip]] = []
    for y, x1, x2 in update.spans:
        for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if not (x2 > x >= x1 and end <= x2):
                strip = strip.crop(0, min(end, x2) - x)
            pieces.append((y, x, strip))
    return pieces
