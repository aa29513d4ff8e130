"""The detail panel: everything about the field under the cursor, from the field catalog."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.labels import CHANGED, KEY, MUTED, READ_ONLY, Hanging, full_value_text
from tui.fields.catalog import holds_editable, spec_for
from tui.fields.marks import CHANGED_MARK, READ_ONLY_MARK
from tui.fields.paths import FieldPath, format_path
from tui.session.changes import ABSENT
from tui.session.edit import EditSession
from tui.terminal_text import visible

HEADING = Style(bold=True, underline=True)


def _row(name: str, value: str | Text, style: Style | None = None) -> RenderableType:
    shown = value if isinstance(value, Text) else Text(value, style=style or Style())
    return Hanging(Text(f"{name:<10} ", style=MUTED), shown, whole_words=True)


def _pretty_json(value: Any) -> str | None:
    """expressionJson is a string holding JSON: show the tree it holds, indented."""
    if not isinstance(value, str):
        return None
    try:
        return json.dumps(json.loads(value), indent=2, ensure_ascii=False)
    except ValueError:
        return None


def describe_field(
    session: EditSession, path: FieldPath, extra: list[RenderableType] | None = None
) -> RenderableType:
    spec = spec_for(path)
    before = session.original_value(path)
    changed = session.is_changed(path)
    lines: list[RenderableType] = [
        Text(visible(format_path(path) or "(the target group)"), style=HEADING)
    ]
    kind = spec.kind + (f" — one of {', '.join(spec.choices)}" if spec.choices else "")
    lines.append(_row("type", kind))
    if spec.editable:
        lines.append(_row("editable", "yes"))
    elif isinstance(before, dict | list) and holds_editable(path):
        lines.append(_row("editable", "some fields inside (those without ⊘)"))
    else:
        lines.append(
            _row(
                "editable",
                Text.assemble((f"no {READ_ONLY_MARK} ", READ_ONLY), spec.readonly_reason),
            )
        )
    if spec.rule:
        lines.append(_row("rule", spec.rule))
    lines.append(_row("meaning", spec.meaning))
    if spec.choices and isinstance(before, str) and before not in spec.choices:
        lines.append(_row("note", "a value the API docs do not list; shown as received"))
    is_container = isinstance(before, dict | list)
    if not is_container:
        lines.append(Text(""))
        lines.append(_row("fetched", "(absent)" if before is ABSENT else full_value_text(before)))
        if changed:
            after = session.value(path)
            lines.append(
                _row(
                    "current",
                    Text.assemble((CHANGED_MARK, CHANGED), (full_value_text(after), CHANGED)),
                )
            )
        current = session.value(path)
        pretty = _pretty_json(current) if spec.kind == "json-string" else None
        if pretty is not None:
            lines.append(Text(""))
            lines.append(Text("the JSON it holds:", style=MUTED))
            lines.append(Text(visible(pretty)))
    else:
        count = len(before)
        lines.append(_row("holds", f"{count} {'items' if isinstance(before, list) else 'fields'}"))
        if session.has_changes_below(path):
            below = [c.path_text for c in session.changes() if c.path[: len(path)] == path]
            lines.append(_row("changed", Text(", ".join(below), style=CHANGED)))
    lines.extend(extra or [])
    return Group(*lines)


class DetailPanel(ScrollView, can_focus=True):
    """Draws its text as lines and scrolls them itself (tab focuses it; the arrows and the
    page keys scroll it): one widget, not a VerticalScroll and a Static
    (docs/performance.md, "Why each start-up measure exists")."""

    ALLOW_MAXIMIZE = False
    DEFAULT_CSS = """
    DetailPanel { padding: 0 1; overflow-x: hidden; scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.content: RenderableType = Text(
            "Move the cursor to a field to see what it is.", style=KEY
        )
        self._lines: list[Strip] = []
        self._drawn_for = Size(0, 0)

    def _draw(self) -> None:
        """Lay the content out at the panel's width (it wraps there): one column less
        when it is too tall for the panel, as its scrollbar then takes that column."""
        region = self.content_region
        if region.width <= 0:
            return
        console = self.app.console
        width = region.width
        lines = console.render_lines(self.content, console.options.update_width(width))
        if len(lines) > region.height and self.styles.scrollbar_size_vertical:
            width -= self.styles.scrollbar_size_vertical
            lines = console.render_lines(self.content, console.options.update_width(width))
        self._lines = [Strip(line, width).simplify() for line in lines]
        self._drawn_for = region.size
        # At least the panel's height: a virtual size that changed with every field's
        # line count would repaint the whole panel (and its scrollbar) on every move.
        self.virtual_size = Size(width, max(len(self._lines), region.height))

    @property
    def text(self) -> str:
        """What the panel draws, as plain text (all of it, scrolled into view or not)."""
        return "\n".join(line.text for line in self._lines)

    def on_resize(self, event: events.Resize) -> None:
        if self.content_region.size != self._drawn_for:
            self._draw()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        number = y + self.scroll_offset.y
        if not 0 <= number < len(self._lines):
            return Strip.blank(width, self.rich_style)
        return (
            self._lines[number].crop_extend(0, width, self.rich_style).apply_style(self.rich_style)
        )

    def show(self, renderable: RenderableType) -> None:
        """Show what ``renderable`` says, at once (key repeat too), repainting only the
        lines that differ from what is drawn: over SSH every byte written is latency, and
        neighbouring fields share most of their lines."""
        before, width = self._lines, self.virtual_size.width
        self.content = renderable
        self._draw()
        if self.virtual_size.width != width:
            self.refresh()
            return
        after = self._lines
        for y in range(max(len(before), len(after))):
            if y >= len(before) or y >= len(after) or before[y] != after[y]:
                self.refresh_line(y)
