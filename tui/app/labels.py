"""Tree labels and value text, built as rich Text so server data is never parsed as markup."""

from __future__ import annotations

import json
from typing import Any

from rich.style import Style
from rich.table import Table
from rich.text import Text

from tui.fields import FieldPath, FieldSpec, spec_for
from tui.fields.marks import CHANGED_BELOW_MARK, CHANGED_MARK, EDITABLE_MARK, READ_ONLY_MARK
from tui.fields.text import first_line, visible
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


def value_text(value: Any, *, limit: int = 80) -> str:
    """One line for a value: strings as they are (``""`` when empty), the rest as JSON."""
    if isinstance(value, str):
        return first_line(value, limit) if value else '""'
    if isinstance(value, dict):
        return "{…}" if value else "{}"
    if isinstance(value, list):
        return f"[{len(value)}]"
    return json.dumps(value)


def full_value_text(value: Any) -> str:
    """The whole value for the detail panel, control characters made visible."""
    if isinstance(value, str):
        return visible(value) if value else '""'
    return visible(json.dumps(value, indent=2, ensure_ascii=False))


def field_label(key: str, value: Any, spec: FieldSpec, *, changed: bool, width: int = 80) -> Text:
    # The key of a field the docs do not name comes from the server as much as a value.
    key = visible(key, keep_newlines=False)
    if changed:
        return Text.assemble(
            (CHANGED_MARK, CHANGED),
            (key, CHANGED),
            (": ", CHANGED),
            (value_text(value, limit=width), CHANGED_VALUE),
        )
    if not spec.editable:
        return Text.assemble(
            (READ_ONLY_MARK, READ_ONLY),
            (key, READ_ONLY),
            (": ", READ_ONLY),
            (value_text(value, limit=width), READ_ONLY),
        )
    return Text.assemble(
        (EDITABLE_MARK, EDITABLE), (key, KEY), ": ", value_text(value, limit=width)
    )


def container_label(title: str, *, changed_below: bool, read_only: bool) -> Text:
    title = visible(title, keep_newlines=False)
    if changed_below:
        return Text.assemble((CHANGED_BELOW_MARK, CHANGED), (title, CHANGED))
    if read_only:
        return Text.assemble((READ_ONLY_MARK, READ_ONLY), (title, READ_ONLY))
    return Text.assemble((EDITABLE_MARK, EDITABLE), title)


def _s(value: Any) -> str:
    return first_line(value, 60) if isinstance(value, str) else value_text(value)


def period_title(period: dict[str, Any]) -> str:
    """``30148 · Cycle_2 · 2025-05-11 → 2025-05-11 · ENDED``"""
    return " · ".join(
        [
            _s(period.get("id")),
            _s(period.get("refCode") or "—"),
            f"{_s(period.get('startDate') or '?')} → {_s(period.get('endDate') or '?')}",
            _s(period.get("periodStatus") or "—"),
        ]
    )


def streak_title(streak: dict[str, Any]) -> str:
    return f"{_s(streak.get('id'))} · {_s(streak.get('name') or '—')} · {_s(streak.get('targetCountOfSequence'))} in a row"


def target_title(target: dict[str, Any]) -> str:
    kind = " on ".join(_s(target[k]) for k in ("targetType", "targetEntity") if target.get(k))
    return " · ".join(p for p in (_s(target.get("id")), _s(target.get("name") or "—"), kind) if p)


def default_value_title(item: dict[str, Any], periods: dict[int, dict[str, Any]]) -> str:
    period = periods.get(item.get("periodId")) if isinstance(item.get("periodId"), int) else None  # type: ignore[arg-type]
    where = (
        f"{_s(period.get('refCode') or period.get('id'))} · {_s(period.get('startDate'))} → {_s(period.get('endDate'))}"
        if period
        else f"period {_s(item.get('periodId'))}"
    )
    return f"{_s(item.get('id'))} · {where} = {_s(item.get('defaultValue'))}"


def element_title(path: FieldPath, element: Any, periods: dict[int, dict[str, Any]]) -> str:
    """A list element's label by what it is: a period, a streak, a target, a default value."""
    pattern = spec_for(path).pattern
    if not isinstance(element, dict):
        return value_text(element)
    if pattern == "periods[*]":
        return period_title(element)
    if pattern == "streaks[*]":
        return streak_title(element)
    if pattern == "targets[*]":
        return target_title(element)
    if pattern in ("targets[*].defaultValues[*]", "targets[*].targetPeriodDefaultValuesMap[*]"):
        return default_value_title(element, periods)
    if "id" in element:
        return f"{_s(element.get('id'))}" + (
            f" · {_s(element['name'])}" if element.get("name") else ""
        )
    if pattern == "targets[*].filters[*]":
        return f"{_s(element.get('entityType') or 'filter')} · {len(element.get('entityIds') or [])} ids"
    return "{…}"


def diff_text(changes: list[FieldChange], *, width: int = 200) -> Text:
    """Each changed field: its path, then fetched → new."""
    text = Text()
    for change in changes:
        text.append(visible(change.path_text), style="bold")
        text.append("\n  ")
        text.append(value_text(change.before, limit=width), style="red")
        text.append("  →  ", style=MUTED)
        text.append(value_text(change.after, limit=width), style=CHANGED)
        text.append("\n")
    return text
