"""What tgedit takes from Textual's private side is still there, in the shape it is used.

tui/app/textual_private.py (the product) writes raw bytes through ``App._driver`` and
reads the compositor's updates in ``App._display``; the
start-up benchmarks (tests/bench/first_frame.py, app_bench.py) wrap ``App._display`` and
read ``App._batch_count``. A Textual upgrade that moves one of them fails here, by name.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from textual.app import App
from textual.driver import Driver
from textual.drivers.headless_driver import HeadlessDriver

from tui.app.textual_private import _Pieces, _pieces, write_to_terminal


def parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_driver_writes_raw_text() -> None:
    assert parameters(Driver.write) == ["self", "data"]
    assert App()._driver is None  # until the app runs


def test_the_frame_hook_of_the_benchmarks_is_still_there() -> None:
    assert parameters(App._display) == ["self", "screen", "renderable"]
    assert App()._batch_count == 0


async def test_write_to_terminal_reaches_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "write", lambda self, data: written.append(data))
    app: App[None] = App()
    async with app.run_test():
        written.clear()
        write_to_terminal(app, "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\")
    assert written == ["\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"]


async def test_a_frame_as_pieces_draws_what_textual_draws() -> None:
    """The compositor's updates (whole lines and pieces of lines) read as ``(y, x, strip)``
    put the same cells on a terminal as Textual's own rendering of them."""
    import pyte
    from textual._compositor import ChopsUpdate, LayoutUpdate
    from textual.geometry import Region
    from textual.widgets import Label, Tree

    class Demo(App[None]):
        def compose(self) -> Any:
            yield Label("[b]tgedit[/b] · group 2762")
            tree: Tree[None] = Tree("Target group 2762")
            for n in range(30):
                tree.root.add_leaf(f"field {n}: 名前 {n}")
            tree.root.expand()
            yield tree

    def drawn(text: str) -> list[str]:
        screen = pyte.Screen(60, 20)
        pyte.ByteStream(screen).feed(text.encode())
        return screen.display

    app = Demo()
    async with app.run_test(size=(60, 20)) as pilot:
        compositor = app.screen._compositor
        full = compositor.render_update(full=True)
        assert isinstance(full, LayoutUpdate)
        tree = app.query_one(Tree)
        tree.focus()
        await pilot.press("down", "down")
        tree.refresh(Region(4, 3, 12, 2))  # pieces of two lines
        compositor.update_widgets({tree})
        partial = compositor.render_update()
        assert isinstance(partial, ChopsUpdate)
        for update in (full, partial):
            ours = _Pieces(_pieces(update)).render_segments(app.console)
            assert drawn(ours) == drawn(update.render_segments(app.console))
