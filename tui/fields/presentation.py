"""What the CLI's ``show`` and the editor's tree say about a group: the words, not the looks.

Plain strings (server text with its control characters made visible) and the state of
each line (read-only, editable, changed, changed below); ``tui/cli/render.py`` and
``tui/app/labels.py`` only style them, so both front ends name a period, a streak or a
target the same way.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from tui.fields.catalog import FieldSpec, holds_editable, spec_for
from tui.fields.marks import CHANGED_BELOW_MARK, CHANGED_MARK, EDITABLE_MARK, READ_ONLY_MARK
from tui.fields.paths import FieldPath
from tui.terminal_text import first_line, visible

# --- values -------------------------------------------------------------------------------


def value_text(value: Any) -> str:
    """The whole value on one line: text as it is (``""`` when empty), the rest as JSON."""
    if isinstance(value, str):
        return visible(value, keep_newlines=False) if value else '""'
    return visible(json.dumps(value, ensure_ascii=False), keep_newlines=False)


def short_value_text(value: Any, *, limit: int = 80) -> str:
    """A value in a tree cell or a list row: text cut at its first newline or at ``limit``,
    an object as ``{…}`` and a list as ``[N]`` (their fields have rows of their own)."""
    if isinstance(value, str):
        return first_line(value, limit) if value else '""'
    if isinstance(value, dict):
        return "{…}" if value else "{}"
    if isinstance(value, list):
        return f"[{len(value)}]"
    return json.dumps(value)


def part_text(value: Any, fallback: str = "—") -> str:
    """One part of a title; a missing or empty value reads as ``fallback``."""
    return value_text(value) if value is not None and value != "" else fallback


# --- titles of list elements --------------------------------------------------------------


def period_title(period: dict[str, Any]) -> str:
    """``30148 · Cycle_2 · 2025-05-11 → 2025-05-11 · ENDED`` (and ``· inactive``)."""
    start, end = part_text(period.get("startDate"), "?"), part_text(period.get("endDate"), "?")
    parts = [part_text(period.get("id")), part_text(period.get("refCode")), f"{start} → {end}"]
    parts.append(part_text(period.get("periodStatus")))
    if period.get("active") is False:
        parts.append("inactive")
    return " · ".join(parts)


def streak_title(streak: dict[str, Any]) -> str:
    """``1415 · streakTest13 · 1 in a row``"""
    count = part_text(streak.get("targetCountOfSequence"), "?")
    return f"{part_text(streak.get('id'))} · {part_text(streak.get('name'))} · {count} in a row"


def target_title(target: dict[str, Any]) -> str:
    """``3006 · spend · TRANSACTION on TRANSACTION_VALUE``"""
    kind = " on ".join(
        part_text(target[k]) for k in ("targetType", "targetEntity") if target.get(k)
    )
    return " · ".join(
        p for p in (part_text(target.get("id")), part_text(target.get("name")), kind) if p
    )


def default_value_title(item: dict[str, Any], periods: dict[int, dict[str, Any]]) -> str:
    """``40001 · Cycle_2 · 2025-05-11 → 2025-05-11 = 500``: the period by name when known."""
    period_id = item.get("periodId")
    period = periods.get(period_id) if isinstance(period_id, int) else None
    if period:
        start, end = part_text(period.get("startDate"), "?"), part_text(period.get("endDate"), "?")
        where = f"{part_text(period.get('refCode'), part_text(period_id))} · {start} → {end}"
    else:
        where = f"period {part_text(period_id, '?')}"
    return f"{part_text(item.get('id'))} · {where} = {part_text(item.get('defaultValue'), '?')}"


def filter_title(item: dict[str, Any]) -> str:
    """``CUSTOMER_LABEL · 3 ids``: the ids themselves are the rows below."""
    ids = item.get("entityIds")
    count = len(ids) if isinstance(ids, list) else 0
    return f"{part_text(item.get('entityType'), 'filter')} · {count} id{'' if count == 1 else 's'}"


DEFAULT_VALUE_PATTERNS = (
    "targets[*].defaultValues[*]",
    "targets[*].targetPeriodDefaultValuesMap[*]",
)
# The list elements with a title of their own (element_title names any other object by
# its id and name, which the editor can afford: its fields are one keypress away).
TITLED_PATTERNS = (
    "periods[*]",
    "streaks[*]",
    "targets[*]",
    *DEFAULT_VALUE_PATTERNS,
    "targets[*].filters[*]",
)


def element_title(path: FieldPath, element: Any, periods: dict[int, dict[str, Any]]) -> str:
    """A list element's title by what it is: a period, a streak, a target, a default value,
    a filter; another object by its id and name."""
    if not isinstance(element, dict):
        return short_value_text(element)
    pattern = spec_for(path).pattern
    if pattern == "periods[*]":
        return period_title(element)
    if pattern == "streaks[*]":
        return streak_title(element)
    if pattern == "targets[*]":
        return target_title(element)
    if pattern in DEFAULT_VALUE_PATTERNS:
        return default_value_title(element, periods)
    if pattern == "targets[*].filters[*]":
        return filter_title(element)
    if "id" in element:
        name = element.get("name")
        return part_text(element["id"]) + (f" · {part_text(name)}" if name else "")
    return "{…}"


def periods_by_id(group: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The group's periods by id, for the titles of default values."""
    return {
        p["id"]: p
        for p in group.get("periods") or []
        if isinstance(p, dict) and isinstance(p.get("id"), int)
    }


# --- the state of a line ------------------------------------------------------------------

State = Literal["read-only", "editable", "changed", "changed-below"]

MARKS: dict[State, str] = {
    "read-only": READ_ONLY_MARK,
    "editable": EDITABLE_MARK,
    "changed": CHANGED_MARK,
    "changed-below": CHANGED_BELOW_MARK,
}


def field_state(spec: FieldSpec, *, changed: bool) -> State:
    if changed:
        return "changed"
    return "editable" if spec.editable else "read-only"


def container_state(path: FieldPath, *, changed_below: bool) -> State:
    """An object or list: changed below, else editable when a field in it may be edited."""
    if changed_below:
        return "changed-below"
    return "editable" if holds_editable(path) else "read-only"
