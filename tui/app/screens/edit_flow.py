"""Editing, for one editor screen: what may be edited and where (in place, or the
multi-line editor), applying a value, revert, undo and redo; nothing changes while a
submit is on its way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.fields.catalog import spec_for
from tui.fields.paths import FieldPath, format_path
from tui.session.changes import EditRefused
from tui.session.expression_sync import (
    expression_path,
    is_expression,
    is_expression_json,
    json_path,
)
from tui.terminal_text import visible

if TYPE_CHECKING:
    from tui.app.screens.editor import EditorScreen

# Values longer than this, or with a newline, open the multi-line editor.
INLINE_LIMIT = 120


class EditFlow:
    def __init__(self, screen: EditorScreen) -> None:
        self.screen = screen

    def edit(self, path: FieldPath) -> None:
        screen = self.screen
        # Keys typed right behind enter: replayed into the inline editor, dropped otherwise
        # (they were meant as text, never as the tree's commands).
        typeahead = screen.group_tree.take_typeahead()
        session = screen.session
        if session is None or self.busy_sending():
            return
        spec = spec_for(path)
        current = session.value(path)
        if isinstance(session.original_value(path), dict | list):
            screen.notify("Pick a field inside this branch to edit it.", severity="information")
            return
        if not spec.editable:
            screen.notify(
                visible(f"{format_path(path)} is read-only: {spec.readonly_reason}"),
                severity="warning",
                markup=False,
            )
            return
        text = current if isinstance(current, str) else ""
        if spec.multiline or "\n" in text or len(text) > INLINE_LIMIT:
            from tui.app.screens.text_edit import TextEditScreen

            screen.app.push_screen(
                TextEditScreen(session, path, screen.context.keymap),
                lambda value: self._commit_text(path, value),
            )
            return
        tree = screen.group_tree
        row = max(0, min(tree.cursor_line - round(tree.scroll_offset.y), tree.size.height - 1))
        screen.field_editor.open(session, path, row, tree.outer_size.width, typeahead)

    def _commit_text(self, path: FieldPath, value: Any) -> None:
        if value is not None:
            self.apply(path, value)
        self.screen.group_tree.focus()

    def apply(self, path: FieldPath, value: Any, *, then: Callable[[], None] | None = None) -> None:
        """Set one field; the app may add companion changes (expression → expressionJson).
        ``then`` runs once the value is set (not when refused or cancelled)."""
        session = self.screen.session
        if session is None or self.busy_sending():
            return
        try:
            from tui.app.screens.expression_edit import apply_field_edit

            apply_field_edit(self.screen.app, session, path, value, then=then)
        except EditRefused as error:
            self.screen.notify(visible(error.message), severity="error", markup=False)

    def busy_sending(self) -> bool:
        """While a submit is on its way nothing may change: the reply replaces the session
        (a change made meanwhile would be lost) and the body must be what was confirmed."""
        if self.screen.submitting:
            self.screen.notify(
                "Sending: wait for the server's answer before changing anything.",
                severity="warning",
            )
        return self.screen.submitting

    def revert(self) -> None:
        screen = self.screen
        path = screen.group_tree.cursor_path
        if screen.session is None or path is None or self.busy_sending():
            return
        # An expression and its expressionJson go back together (they were changed
        # together, and one without the other would disagree: design.md).
        reverted = screen.session.revert_below(path, *paired_with(path))
        if reverted:
            screen.notify(
                visible("Reverted " + ", ".join(format_path(p) for p in reverted)), markup=False
            )
        else:
            screen.notify("Nothing to revert here: it is as fetched.")

    def step_history(self, *, redo: bool) -> None:
        screen = self.screen
        if screen.session is None or self.busy_sending():
            return
        paths = screen.session.redo() if redo else screen.session.undo()
        if not paths:
            screen.notify(f"Nothing to {'redo' if redo else 'undo'}.")
            return
        screen.group_tree.select_path(paths[0])
        done = "Redid " if redo else "Undid "
        screen.notify(visible(done + ", ".join(format_path(p) for p in paths)), markup=False)


def paired_with(path: FieldPath) -> tuple[FieldPath, ...]:
    """The field reverted with ``path``: an expression's expressionJson, and back."""
    if is_expression(path):
        return (json_path(path),)
    if is_expression_json(path):
        return (expression_path(path),)
    return ()
