"""The header: where the group comes from, which group, how many changes."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.app.labels import CHANGED, MUTED
from tui.fields.terminal_text import first_line


class TopBar(Static):
    DEFAULT_CSS = """
    TopBar { dock: top; height: 1; background: $primary-background; color: $text; padding: 0 1; }
    """

    def show(
        self, *, source: str, group: str | None, changes: int | None, state: str | None = None
    ) -> None:
        text = Text.assemble(("tgedit", "bold"), (" │ ", MUTED), first_line(source, 60))
        if group:
            text.append(" │ ", style=MUTED)
            text.append(first_line(group, 70))
        if changes is not None:  # None: a screen that holds no group (the picker)
            text.append(" │ ", style=MUTED)
            if changes:
                text.append(f"● {changes} change{'s' if changes != 1 else ''}", style=CHANGED)
            else:
                text.append("no changes", style=MUTED)
        if state:
            text.append(" │ ", style=MUTED)
            text.append(state, style="bold")
        text.no_wrap = True
        text.overflow = "ellipsis"
        self.update(text)
