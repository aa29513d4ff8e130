"""Tree labels and value text, built as rich Text so server data is never parsed as markup.

The words and the read-only/editable/changed state come from ``tui.fields.presentation``
(shared with ``tgedit show``); this module only styles them.
"""

from __future__ import annotations

import json
from typing import Any

from rich.style import Style
from rich.table import Table
from rich.text import Text

from tui.fields import FieldSpec
from tui.fields.presentation import MARKS, field_state, short_value_text
from tui.fields.terminal_text import visible
from tui.session import FieldChange

READ_ONLY = Style(dim=True)
EDITABLE = Style()
CHANGED = Style(bold=True, color="yellow")
CHANGED_VALUE = Style(bold=True, color="yellow", underline=True)
KEY = Style(bold=True)
MUTED = Style(dim=True, italic=True)


def hanging(label: Text, value: Text, *, indent: int = 0) -> Table:
    """A label and its value side by side: a wrapped value continues under itself,
    not at the left edge, so the label column stays readable."""
    grid = Table.grid()
    if indent:
        grid.add_column(width=indent, no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(*([Text("")] if indent else []), label, value)
    return grid


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
