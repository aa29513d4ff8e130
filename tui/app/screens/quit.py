"""The question before quitting with unsent changes: y quits, n or escape stays, w writes
the group with its changes to a file first (the way to keep them where no draft could be
written, and to write an offline group file back)."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import RenderableType
from textual.binding import Binding

from tui.app.screens.dialogs import Ask

QUIT_QUESTION = "Quit without sending?"


class QuitQuestion(Ask):
    BINDINGS = [Binding("w", "write", "Write to a file", id="quit-write")]

    def __init__(self, body: RenderableType, write: Callable[[], None]) -> None:
        super().__init__(QUIT_QUESTION, body, yes="quit", no="stay")
        self._keys += "    w  write to a file"
        self._write = write

    def action_write(self) -> None:
        self.dismiss(False)
        self._write()
