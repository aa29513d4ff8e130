"""The bottom area above the footer: the find box while it is open, what the inline
editor's check says while a field is edited, and the status line.

Both sit in the screen's normal flow, not docked: a docked widget shares the footer's row
and is drawn under it, so nothing typed or reported there would reach the screen.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.fields.terminal_text import visible

FIND_PLACEHOLDER = "find: a field path such as targets[3006].expression, or text"


class FindBar(Vertical):
    """Owns the find box (``#find``) and the status line (``#status``); each takes a row
    only while it has something to show."""

    DEFAULT_CSS = """
    FindBar { height: auto; }
    FindBar #find { display: none; border: none; height: 1; padding: 0 1; }
    FindBar #find.-open { display: block; }
    FindBar #status { display: none; height: auto; padding: 0 1; color: $text-muted; }
    FindBar #status.-shown { display: block; }
    FindBar #edit-message { display: none; height: auto; padding: 0 1; color: $text-success; }
    FindBar #edit-message.-ok, FindBar #edit-message.-invalid, FindBar #edit-message.-warning {
        display: block;
    }
    FindBar #edit-message.-invalid { color: $text-error; }
    FindBar #edit-message.-warning { color: $text-warning; }
    """

    def compose(self) -> ComposeResult:
        yield Input(id="find", placeholder=FIND_PLACEHOLDER)
        yield Static(id="edit-message", markup=False)
        yield Static(id="status", markup=False)

    def edit_message(self, text: Text, state: str) -> None:
        """The inline editor's check, in full (it wraps); state "closed" hides it."""
        line = self.query_one("#edit-message", Static)
        line.update(text)
        for name in ("ok", "invalid", "warning"):
            line.set_class(state == name, f"-{name}")

    @property
    def input(self) -> Input:
        return self.query_one("#find", Input)

    @property
    def is_open(self) -> bool:
        return self.input.has_class("-open")

    def open(self) -> None:
        box = self.input
        box.add_class("-open")
        box.value = ""
        # At once, not on the next turn of the loop (what focus() does): keys typed right
        # after / (a paste, a fast typist, a burst over SSH) must land in the box.
        self.screen.set_focus(box)

    def close(self) -> None:
        self.input.remove_class("-open")

    def status(self, message: str) -> None:
        """One line of what is going on; an empty message hides the line."""
        line = self.query_one("#status", Static)
        line.update(Text(visible(message)))
        line.set_class(bool(message), "-shown")
