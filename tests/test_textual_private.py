"""What tgedit takes from Textual's private side is still there, in the shape it is used.

tui/app/textual_private.py (the product) writes raw bytes through ``App._driver``; the
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

from tui.app.textual_private import write_to_terminal


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
