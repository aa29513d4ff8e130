"""The multi-line editor: expressionJson and any long or multi-line value."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tui.fields.catalog import spec_for
from tui.fields.paths import FieldPath, format_path
from tui.session.edit import EditSession
from tui.session.expression_sync import is_expression_json, json_meaning
from tui.terminal_text import from_editable, to_editable, visible


class TextEditScreen(ModalScreen[Any]):
    """Dismisses with the new value, or with None when cancelled."""

    DEFAULT_CSS = """
    TextEditScreen { align: center middle; }
    TextEditScreen > Vertical { width: 95%; height: 90%; border: thick $primary; background: $panel; }
    TextEditScreen #text-edit-title { text-style: bold; padding: 0 1; }
    TextEditScreen #text-edit-status { padding: 0 1; color: $text-success; height: auto; max-height: 4; }
    TextEditScreen.-invalid #text-edit-status { color: $text-error; }
    TextEditScreen #text-edit-keys { padding: 0 1; color: $text-muted; }
    TextEditScreen TextArea { height: 1fr; }
    """
    # The footer shows these (tgedit's KeyFooter follows the screen on top); F1 lists them.
    BINDINGS = [
        Binding(
            "ctrl+s,f2",
            "commit",
            "Apply",
            id="text-edit-apply",
            priority=True,
            tooltip="apply the text to the field (its rule checked); nothing is sent",
        ),
        # priority: a code editor's TextArea takes escape to move focus and never lets go.
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="text-edit-cancel",
            priority=True,
            tooltip="close, keeping the field as it was",
        ),
        Binding(
            "ctrl+e,f4",
            "external",
            "$EDITOR",
            id="text-edit-external",
            priority=True,
            tooltip="edit the text in $EDITOR (or $VISUAL)",
        ),
        Binding(
            "ctrl+f,f3",
            "format_json",
            "Format",
            id="text-edit-format",
            priority=True,
            tooltip="format the JSON (a parse error gives line and column)",
        ),
        Binding("f1", "help", "Help", id="text-edit-help", show=False, tooltip="these keys"),
    ]

    def __init__(
        self, session: EditSession, path: FieldPath, keymap: dict[str, str] | None = None
    ) -> None:
        """``keymap``: the config's [keys], for F1's list of keys."""
        super().__init__()
        self.keymap = keymap or {}
        self.session = session
        self.path = path
        self.spec = spec_for(path)
        value = session.value(path)
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        # A TextArea draws its text raw: control characters are edited as symbols.
        self.initial = to_editable(text)
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        language = "json" if self.spec.kind == "json-string" else None
        with Vertical():
            yield Static(Text(f"Editing {visible(format_path(self.path))}"), id="text-edit-title")
            area = TextArea.code_editor(
                self.initial, language=language, id="text-edit-area", soft_wrap=True
            )
            yield area
            yield Static(id="text-edit-status", markup=False)
            keys = "ctrl+s / F2  apply    escape  cancel    ctrl+e / F4  open in $EDITOR"
            if language == "json":
                keys += "    ctrl+f / F3  format"
            yield Static(Text(keys), id="text-edit-keys")

    @property
    def area(self) -> TextArea:
        return self.query_one("#text-edit-area", TextArea)

    @property
    def value(self) -> str:
        """The value the text stands for (symbols of control characters turned back)."""
        return from_editable(self.area.text)

    def on_mount(self) -> None:
        self.area.focus()
        self._check()

    @on(TextArea.Changed, "#text-edit-area")
    def _changed(self) -> None:
        self._check()

    def _check(self) -> None:
        self.problem = self.session.check(self.path, self.value)
        status = self.query_one("#text-edit-status", Static)
        self.set_class(self.problem is not None, "-invalid")
        if self.problem:
            status.update(Text(f"✗ {visible(self.problem)}"))
            return
        text = Text(f"✓ {self.spec.rule or 'ok'}")
        if is_expression_json(self.path):
            meaning, warning = json_meaning(self.session, self.path, self.value)
            if meaning is not None:
                text.append(f" · means: {visible(meaning)}")
            if warning:
                text.append(f"\n⚠ {visible(warning)}", style="bold yellow")
        status.update(text)

    def action_commit(self) -> None:
        self._check()
        if self.problem:
            self.app.bell()
            return
        self.dismiss(self._in_fetched_style(self.value))

    def _in_fetched_style(self, value: str) -> str:
        """Formatting (ctrl+f) is for reading: JSON fetched on one line goes back on one
        line, with the separators it came with."""
        if self.spec.kind != "json-string" or "\n" in self.initial or "\n" not in value:
            return value
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        spaced = '": ' in self.initial or '", "' in self.initial
        separators = (", ", ": ") if spaced else (",", ":")
        return json.dumps(parsed, separators=separators, ensure_ascii=False)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        from tui.app.help_text import screen_help, text_editor_rows
        from tui.app.screens.dialogs import HelpScreen

        rows = text_editor_rows(self.keymap)
        self.app.push_screen(HelpScreen(screen_help("In the multi-line editor", rows)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Formatting is for JSON: not offered in the footer for other text.
        return action != "format_json" or self.spec.kind == "json-string"

    def action_format_json(self) -> None:
        try:
            parsed = json.loads(self.value)
        except ValueError:
            self.app.bell()
            return
        self.area.load_text(to_editable(json.dumps(parsed, indent=2, ensure_ascii=False)))

    def action_external(self) -> None:
        """Hand the value to $EDITOR (the kubectl edit way) and take back what it saves."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        suffix = ".json" if self.spec.kind == "json-string" else ".txt"
        with tempfile.NamedTemporaryFile(
            "w", suffix=suffix, delete=False, encoding="utf-8"
        ) as handle:
            handle.write(self.value)
            name = handle.name
        try:
            with self.app.suspend():
                result = subprocess.run([*shlex.split(editor), name], check=False)
            if result.returncode != 0:
                self.notify(
                    f"{editor} exited with {result.returncode}; the text is unchanged",
                    severity="warning",
                )
                return
            self.area.load_text(
                to_editable(Path(name).read_text(encoding="utf-8").removesuffix("\n"))
            )
        except OSError as error:
            self.notify(f"could not run {editor}: {error.strerror}", severity="error")
        finally:
            Path(name).unlink(missing_ok=True)
