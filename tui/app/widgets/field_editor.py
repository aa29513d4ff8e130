"""The inline editor: an input laid over the field's own row, with the rule checked as you type.

It covers that one row only; what the check says goes out as a ``Checked`` message for the
screen to show where it can wrap (the bar above the footer), not over the next field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.events import Key
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from tui.app.widgets.in_order_input import LazyInput
from tui.fields.catalog import spec_for
from tui.fields.paths import FieldPath, format_path
from tui.fields.rules import value_from_text
from tui.session.edit import EditSession
from tui.session.expression_sync import field_warning
from tui.terminal_text import from_editable, to_editable, visible


class FieldEditor(Widget):
    """Hidden until a field is edited; posts Committed or Cancelled, never edits by itself."""

    DEFAULT_CSS = """
    FieldEditor {
        position: absolute;
        display: none;
        height: 1;
        layer: editor;
        background: $boost;
    }
    FieldEditor.-open { display: block; }
    FieldEditor Input { border: none; height: 1; padding: 0 1; background: $surface; }
    FieldEditor Input:focus { border: none; background: $surface; }
    """

    class Checked(Message):
        """What the rule says of the text as typed; ``state`` is ok, invalid or warning.
        An empty text (state "closed") means the editor closed."""

        def __init__(self, text: Text, state: str) -> None:
            super().__init__()
            self.text = text
            self.state = state

    # Keys of the field being typed (design.md, "Keys inside an open editor"): they act on
    # the text, never on another field's change; enter commits (the Input's own key).
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="edit-cancel",
            tooltip="close, keeping the field as it was",
        ),
        Binding(
            "ctrl+s",
            "commit(True)",
            "Save & submit",
            id="edit-submit",
            tooltip="save the field (its rule checked), then ask to send, the typed value included",
        ),
        Binding(
            "ctrl+z", "undo_typing", "Undo", id="edit-undo", tooltip="undo typing in this field"
        ),
        Binding(
            "ctrl+y",
            "redo_typing",
            "Redo",
            id="edit-redo",
            show=False,
            tooltip="redo typing in this field",
        ),
        Binding(
            "f1",
            "screen.inline_help",
            "Help",
            id="edit-help",
            tooltip="the keys of the field being edited",
        ),
    ]

    class Committed(Message):
        """``submit``: ctrl+s, the send question follows the change."""

        def __init__(self, path: FieldPath, value: Any, *, submit: bool = False) -> None:
            super().__init__()
            self.path = path
            self.value = value
            self.submit = submit

    class Cancelled(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.path: FieldPath | None = None
        self.session: EditSession | None = None
        self.problem: str | None = None
        self.message = Text("")
        # The texts typed in this field, for ctrl+z / ctrl+y; ``_at`` is the one shown.
        self._typed: list[str] = []
        self._at = 0
        self._input = LazyInput(self, id="field-editor-input", select_on_focus=False)

    def on_mount(self) -> None:
        self._input.add_after_first_frame()  # hidden until a field is edited

    @property
    def input(self) -> Input:
        """The input (``#field-editor-input``), added when first asked for."""
        return self._input.get()

    def open(
        self,
        session: EditSession,
        path: FieldPath,
        row: int,
        width: int,
        typeahead: Sequence[Key] = (),
    ) -> None:
        """Over the tree's row ``row`` (from its top), as wide as the tree."""
        self.session = session
        self.path = path
        value = session.value(path)
        self.styles.offset = (0, row)
        self.styles.width = width
        self.add_class("-open")
        editor = self.input
        label = format_path(path)
        editor.placeholder = f"{label} (empty)"
        # Control characters as symbols: an Input draws its text raw (see to_editable).
        editor.value = "" if value is None else to_editable(str(value))
        editor.cursor_position = len(editor.value)
        self._typed, self._at = [editor.value], 0
        self.screen.set_focus(editor)  # at once: keys right behind enter belong to the input
        self._replay(typeahead)
        self._check(editor.value)

    def _replay(self, keys: Sequence[Key]) -> None:
        """Keys typed before the editor opened, in order. Text and the editing keys are
        applied here, at once: posted as events, a binding such as ctrl+u would run after
        the letters behind it and clear them too."""
        editor = self.input
        for index, key in enumerate(keys):
            if key.key == "ctrl+u":
                editor.action_delete_left_all()
            elif key.key == "backspace":
                editor.action_delete_left()
            elif key.is_printable and key.character:
                editor.insert_text_at_cursor(key.character)
            else:  # enter, escape, arrows…: pressed again, in order, for the editor's bindings
                for later in keys[index:]:
                    self.app.post_message(Key(later.key, later.character))
                return

    def close(self) -> None:
        self.remove_class("-open")
        self.path = None
        self.post_message(self.Checked(Text(""), "closed"))

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def _parse(self, text: str) -> tuple[Any, str | None]:
        assert self.path is not None and self.session is not None
        try:
            value = value_from_text(self.path, from_editable(text))
        except ValueError as error:
            return None, str(error)
        return value, self.session.check(self.path, value)

    def _check(self, text: str) -> None:
        assert self.path is not None
        _, problem = self._parse(text)
        self.problem = problem
        spec = spec_for(self.path)
        self.set_class(problem is not None, "-invalid")
        warning = None if problem else field_warning(self.path, self._parse(text)[0])
        self.set_class(warning is not None, "-warning")
        if problem:
            self.message = Text(f"✗ {visible(problem)} · escape cancels")
            state = "invalid"
        elif warning:
            self.message = Text(f"⚠ {visible(warning)} · enter saves anyway · escape cancels")
            state = "warning"
        else:
            rule = f"✓ {spec.rule} · " if spec.rule else "✓ "  # a field without a rule
            self.message = Text(f"{rule}enter saves · escape cancels")
            state = "ok"
        self.post_message(self.Checked(self.message, state))

    @on(Input.Changed, "#field-editor-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.path is None:
            return
        if event.value != self._typed[self._at]:  # typed, not an undo's own change
            del self._typed[self._at + 1 :]
            self._typed.append(event.value)
            self._at += 1
        self._check(event.value)

    @on(Input.Submitted, "#field-editor-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_commit(False)

    def action_commit(self, submit: bool) -> None:
        """enter, or ctrl+s (``submit``): the typed value if it passes its rule."""
        if self.path is None:
            return
        text = self.input.value
        value, problem = self._parse(text)
        if problem:
            self._check(text)
            self.app.bell()
            return
        path = self.path
        self.close()
        self.post_message(self.Committed(path, value, submit=submit))

    def action_undo_typing(self) -> None:
        self._step_typing(-1)

    def action_redo_typing(self) -> None:
        self._step_typing(+1)

    def _step_typing(self, step: int) -> None:
        at = self._at + step
        if self.path is None or not 0 <= at < len(self._typed):
            self.notify(f"Nothing to {'undo' if step < 0 else 'redo'} in this field.")
            return
        self._at = at
        self.input.value = self._typed[at]
        self.input.cursor_position = len(self._typed[at])

    def action_cancel(self) -> None:
        self.close()
        self.post_message(self.Cancelled())
