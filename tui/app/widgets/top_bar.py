"""The header: where the group comes from, which group, how many changes."""

from __future__ import annotations

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from tui.app.labels import CHANGED, MUTED
from tui.terminal_text import first_line

SEPARATOR = " │ "


class TopBar(Static):
    """One row. When it is too narrow, the group's name and then the source are cut
    (ending in …): the change count and the state always stay in view."""

    DEFAULT_CSS = """
    TopBar { dock: top; height: 1; background: $primary-background; color: $text; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: tuple[str, str | None, int | None, str | None, str | None] = (
            "",
            None,
            None,
            None,
            None,
        )

    def show(
        self,
        *,
        source: str,
        group: str | None,
        changes: int | None,
        state: str | None = None,
        mode: str | None = None,
    ) -> None:
        """``mode``: a setting chosen for this run that is not the default (the body mode)."""
        self._parts = (source, group, changes, state, mode)
        self._render_parts()

    def on_resize(self, event: Resize) -> None:
        self._render_parts()

    def _render_parts(self) -> None:
        source, group, changes, state, mode = self._parts
        tail = Text()
        if mode:
            tail.append(SEPARATOR, style=MUTED)
            tail.append(mode, style="bold")
        if changes is not None:  # None: a screen that holds no group (the picker)
            tail.append(SEPARATOR, style=MUTED)
            if changes:
                tail.append(f"● {changes} change{'s' if changes != 1 else ''}", style=CHANGED)
            else:
                tail.append("no changes", style=MUTED)
        if state:
            tail.append(SEPARATOR, style=MUTED)
            tail.append(state, style="bold")
        width = self.content_region.width or self.app.size.width - 2
        head = Text.assemble(("tgedit", "bold"), (SEPARATOR, MUTED))
        room = width - head.cell_len - tail.cell_len
        where = Text(first_line(source, 60))
        what = Text(SEPARATOR, style=MUTED).append(first_line(group, 70)) if group else Text()
        # The group's name gives way first, down to a few characters; then the source.
        keep_where = min(where.cell_len, max(12, room - 20))
        what.truncate(max(0, room - min(where.cell_len, keep_where)), overflow="ellipsis")
        where.truncate(max(0, room - what.cell_len), overflow="ellipsis")
        text = Text.assemble(head, where, what, tail)
        text.no_wrap = True
        text.overflow = "ellipsis"
        # One row as wide as the screen, whatever it says: no layout of the screen (under
        # the preview, a layout of the editor drew it blank for a moment).
        self.update(text, layout=False)
