"""Tree labels and value text, built as rich Text so server data is never parsed as markup.

The words and the read-only/editable/changed state come from ``tui.fields.presentation``
(shared with ``tgedit show``); this module only styles them.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tui.fields.catalog import FieldSpec
from tui.fields.presentation import MARKS, field_state, short_value_text
from tui.session.changes import FieldChange
from tui.terminal_text import visible

READ_ONLY = Style(dim=True)
EDITABLE = Style()
CHANGED = Style(bold=True, color="yellow")
CHANGED_VALUE = Style(bold=True, color="yellow", underline=True)
KEY = Style(bold=True)
MUTED = Style(dim=True, italic=True)


class Hanging:
    """A label and its value side by side: a wrapped value continues under itself, not at
    the left edge, so the label column stays readable.

    What a ``Table.grid`` of (indent, label, value) columns draws, cell for cell (a test
    holds the two side by side), without the table: the detail panel is one of these per
    row and is laid out again at every cursor move, where the tables' column sizing was
    ~30 % of the time from the key to its frame.
    """

    def __init__(
        self, label: Text, value: Text, *, indent: int = 0, whole_words: bool = False
    ) -> None:
        """``whole_words``: a word longer than the value column (a 19-digit number in a
        narrow panel) moves the value under the label, rather than being cut in two."""
        self.label, self.value, self.indent = label, value, indent
        self.whole_words = whole_words

    def table(self) -> Table:
        grid = Table.grid()
        if self.indent:
            grid.add_column(width=self.indent, no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        grid.add_row(*([Text("")] if self.indent else []), self.label, self.value)
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        label_width = self.label.cell_len
        measured = Measurement.get(console, options, self.value)
        longest = measured.maximum
        value_width = longest or 1
        if self.indent + label_width + value_width > width:  # the value column is narrowed
            value_width = width - self.indent - label_width
            if self.whole_words and measured.minimum > value_width:
                yield from self._stacked(console, options)
                return
            narrowed = options.update_width(value_width)
            value_width = Measurement.get(console, narrowed, self.value).maximum
        if not label_width or "\n" in self.label.plain or value_width < 1:
            yield self.table()  # cases the editor does not meet: the table's own sizing
            return
        cell = options.update(height=None, justify="left", highlight=False)
        pad = Style.null()
        labels = console.render_lines(
            self.label,
            cell.update(width=label_width, no_wrap=True, overflow="ellipsis"),
            style=pad,
        )
        values = console.render_lines(
            self.value, cell.update(width=value_width, no_wrap=False, overflow="fold"), style=pad
        )
        height = max(len(labels), len(values))
        labels = Segment.set_shape(labels, label_width, height, pad)
        values = Segment.set_shape(values, value_width, height, pad)
        indent = [Segment(" " * self.indent, pad)] if self.indent else []
        newline = Segment.line()
        for label, value in zip(labels, values, strict=True):
            yield from indent
            yield from label
            yield from value
            yield newline

    def _stacked(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The label on its row, the value on the rows below, two cells further in."""
        pad = Style.null()
        cell = options.update(height=None, justify="left", highlight=False)
        inner = self.indent + 2
        newline = Segment.line()
        label = console.render_lines(
            self.label, cell.update(no_wrap=True, overflow="ellipsis"), style=pad
        )[0]
        yield from [Segment(" " * self.indent, pad)] if self.indent else []
        yield from label
        yield newline
        value_width = max(1, options.max_width - inner)
        for line in console.render_lines(
            self.value, cell.update(width=value_width, no_wrap=False, overflow="fold"), style=pad
        ):
            yield Segment(" " * inner, pad)
            yield from line
            yield newline


def full_value_text(value: Any) -> str:
    """The whole value for the detail panel, control characters made visible."""
    if isinstance(value, str):
        return visible(value) if value else '""'
    return visible(json.dumps(value, indent=2, ensure_ascii=False))


def field_label(key: str, value: Any, spec: FieldSpec, *, changed: bool, width: int = 80) -> Text:
    # The key of a field the docs do not name comes from the server as much as a value.
    key = visible(key, keep_newlines=False)
    state = field_state(spec, changed=changed)
    shown = short_value_text(value, limit=width)
    if state == "changed":
        return Text.assemble(
            (MARKS[state], CHANGED), (key, CHANGED), (": ", CHANGED), (shown, CHANGED_VALUE)
        )
    if state == "read-only":
        return Text.assemble(
            (MARKS[state], READ_ONLY), (key, READ_ONLY), (": ", READ_ONLY), (shown, READ_ONLY)
        )
    return Text.assemble((MARKS[state], EDITABLE), (key, KEY), ": ", shown)


def container_label(title: str, *, changed_below: bool, read_only: bool) -> Text:
    title = visible(title, keep_newlines=False)
    if changed_below:
        return Text.assemble((MARKS["changed-below"], CHANGED), (title, CHANGED))
    if read_only:
        return Text.assemble((MARKS["read-only"], READ_ONLY), (title, READ_ONLY))
    return Text.assemble((MARKS["editable"], EDITABLE), title)


def diff_text(changes: list[FieldChange], *, width: int = 200) -> Text:
    """Each changed field: its path, then fetched → new."""
    text = Text()
    for change in changes:
        text.append(visible(change.path_text), style="bold")
        text.append("\n  ")
        text.append(short_value_text(change.before, limit=width), style="red")
        text.append("  →  ", style=MUTED)
        text.append(short_value_text(change.after, limit=width), style=CHANGED)
        text.append("\n")
    return text
