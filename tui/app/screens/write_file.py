"""Asking where to write the group (the editor's ``w``): one path, prefilled, editable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.app.screens.dialogs import DIALOG_CSS
from tui.session.edit import EditSession


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


def ask_and_write(app: App[Any], session: EditSession, opened: Path | None = None) -> None:
    """Ask for a path, then write the group with its pending changes there in the export
    format; say where it went, or why it could not. The path offered is the file opened
    offline, else where ``tgedit export`` writes and ``tgedit diff ID`` reads:
    ``target-groups/<id>.json``."""

    def answered(path: str | None) -> None:
        if not path:
            return
        target = Path(path).expanduser()
        if not target.exists():
            write(app, session, path)
            return
        from tui.app.screens.dialogs import Ask
        from tui.session.export import shown_name

        def replace(yes: bool | None) -> None:
            if yes:
                write(app, session, path)
            else:
                app.notify(f"Nothing written: {shown_name(path)} is as it was", markup=False)

        app.push_screen(
            Ask(
                "Replace the file?",
                Text(f"{shown_name(path)} exists already: writing replaces what it holds."),
                yes="replace it",
                no="keep it",
            ),
            replace,
        )

    from tui.session.export import DEFAULT_DIR, file_name

    default = str(opened if opened is not None else DEFAULT_DIR / file_name(session.group_id))
    app.push_screen(WriteFilePrompt(session.group_id, default, session.change_count), answered)


def write(app: App[Any], session: EditSession, path: str) -> None:
    from tui.session.export import shown_name, write_group_file

    try:
        write_group_file(Path(path).expanduser(), session.current_group())
    except OSError as error:
        app.notify(
            f"Could not write {shown_name(path)}: {error.strerror or error}",
            severity="error",
            markup=False,
        )
        return
    app.notify(f"Wrote group {session.group_id} to {shown_name(path)}", markup=False)
