"""Asking where to write the group (the editor's ``w``): one path, prefilled, editable."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.app.screens.dialogs import DIALOG_CSS


class WriteFilePrompt(ModalScreen[str | None]):
    """Dismissed with the path typed (``enter``), or None (``escape``: nothing written)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="WriteFilePrompt")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="write-cancel")]

    def __init__(self, group_id: int, default_path: str, change_count: int) -> None:
        super().__init__()
        self.group_id = group_id
        self.default_path = default_path
        self.change_count = change_count

    def compose(self) -> ComposeResult:
        pending = f" with its {self.change_count} pending change(s)" if self.change_count else ""
        with Vertical():
            yield Static(
                Text(f"Write group {self.group_id}{pending} to a file"), classes="dialog-title"
            )
            yield Static(
                Text("The export format: review it, then tgedit diff FILE and tgedit apply FILE.")
            )
            yield Input(value=self.default_path, id="write-path")
            yield Static(Text("enter  write    escape  cancel"), classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        self.dismiss(path or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
