"""The text tree of ``tgedit show``: the group as the editor would show it, on stdout.

Each field line starts with a mark from ``tui.fields.marks`` (⊘ read-only, ● changed in
a draft, blank when editable) so the meaning survives a pipe and NO_COLOR; colour only
dims read-only lines and highlights changed ones. Server text goes through
``visible`` so an escape sequence in a name is printed, never obeyed.
"""

from __future__ import annotations

import json
from typing import Any

from tui.cli.style import Painter
from tui.fields import EDITABLE_PATTERNS, FieldPath, format_path, spec_for
from tui.fields.marks import CHANGED_BELOW_MARK, CHANGED_MARK, EDITABLE_MARK, READ_ONLY_MARK
from tui.fields.paths import MapKey, child_segment, pattern_of
from tui.fields.terminal_text import visible
from tui.session import ABSENT, EditSession

INDENT = "  "
# These lists get a section of their own, after the group's plain fields.
SECTIONS = ("periods", "streaks", "targets")


def value_text(value: Any) -> str:
    """One line for a value: text as it is (controls made visible), the rest as JSON."""
    if isinstance(value, str):
        return visible(value, keep_newlines=False) if value else '""'
    return visible(json.dumps(value, ensure_ascii=False), keep_newlines=False)


def _text(value: Any, fallback: str = "—") -> str:
    return value_text(value) if value is not None and value != "" else fallback


def period_title(period: dict[str, Any]) -> str:
    """``30148 · Cycle_2 · 2025-05-11 → 2025-05-11 · ENDED``"""
    start, end = _text(period.get("startDate"), "?"), _text(period.get("endDate"), "?")
    parts = [_text(period.get("id")), _text(period.get("refCode")), f"{start} → {end}"]
    parts.append(_text(period.get("periodStatus")))
    if period.get("active") is False:
        parts.append("inactive")
    return " · ".join(parts)


def streak_title(streak: dict[str, Any]) -> str:
    count = streak.get("targetCountOfSequence")
    return f"{_text(streak.get('id'))} · {_text(streak.get('name'))} · {_text(count, '?')} in a row"


def target_title(target: dict[str, Any]) -> str:
    kind = " on ".join(_text(target[k]) for k in ("targetType", "targetEntity") if target.get(k))
    return " · ".join(p for p in (_text(target.get("id")), _text(target.get("name")), kind) if p)


def _who(user: Any) -> str:
    if not isinstance(user, dict):
        return "?"
    name = user.get("name") or user.get("code")
    return f"{_text(name)} ({_text(user.get('id'))})" if name else _text(user.get("id"), "?")


def attribution_text(attribution: dict[str, Any]) -> str:
    created = f"created {_text(attribution.get('createdOn'), '?')} by {_who(attribution.get('createdBy'))}"
    updated = _text(attribution.get("lastUpdatedOn"), "?")
    return f"{created} · last updated {updated} by {_who(attribution.get('lastUpdatedBy'))}"


def _one_line(path: FieldPath, value: dict[str, Any]) -> str | None:
    """The objects that read best as one line, as that line; None for the others."""
    if path and path[-1] == "attribution":
        return attribution_text(value)
    pattern = spec_for(path).pattern
    if pattern == "activePeriod":
        return period_title(value)
    if pattern == "targets[*].extendedFieldInfo":
        return " · ".join(_text(value.get(k), "?") for k in ("name", "aggregateFunction"))
    return None


def _editable_below(pattern: str) -> bool:
    return any(
        p == pattern or p.startswith(pattern + ".") or p.startswith(pattern + "[")
        for p in EDITABLE_PATTERNS
    )


class TreeWriter:
    def __init__(self, session: EditSession, painter: Painter) -> None:
        self.session = session
        self.paint = painter
        self.group = session.current_group()
        self.periods: dict[int, dict[str, Any]] = {
            p["id"]: p
            for p in self.group.get("periods") or []
            if isinstance(p, dict) and isinstance(p.get("id"), int)
        }
        self.lines: list[str] = []

    # --- lines ------------------------------------------------------------------------

    def heading(self, depth: int, path: FieldPath, title: str) -> None:
        if self.session.has_changes_below(path):
            self._line(depth, CHANGED_BELOW_MARK, title, self.paint.changed)
        elif _editable_below(pattern_of(path)):
            self._line(depth, EDITABLE_MARK, self.paint.bold(title), str)
        else:
            self._line(depth, READ_ONLY_MARK, title, self.paint.dim)

    def field(self, depth: int, path: FieldPath, key: str, shown: str, width: int) -> None:
        # A key the API docs do not name is server text too: shown, never obeyed.
        label = f"{visible(key, keep_newlines=False)}:".ljust(width + 1)
        if self.session.is_changed(path):
            before = self.session.original_value(path)
            was = "(absent)" if before is ABSENT else value_text(before)
            self._line(
                depth, CHANGED_MARK, f"{label} {shown}   (server: {was})", self.paint.changed
            )
        elif spec_for(path).editable:
            self._line(depth, EDITABLE_MARK, f"{label} {shown}", str)
        else:
            self._line(depth, READ_ONLY_MARK, f"{label} {shown}", self.paint.dim)

    def _line(self, depth: int, mark: str, text: str, paint: Any) -> None:
        self.lines.append(INDENT * depth + paint(f"{mark}{text}"))

    # --- the group --------------------------------------------------------------------

    def write_group(self) -> list[str]:
        group = self.group
        title = f"Target group {_text(group.get('id'))} · {_text(group.get('name'))}"
        self.lines.append(self.paint.bold(title))
        self.write_object(group, (), 1, sections=SECTIONS)
        return self.lines

    def write_object(
        self, obj: dict[str, Any], path: FieldPath, depth: int, sections: tuple[str, ...] = ()
    ) -> None:
        """Plain fields first (in the order received), then lists and objects, then the
        fields the API docs do not name, so the eye finds the editable ones at the top."""
        keyed = [(key, value, (*path, child_segment(obj, key))) for key, value in obj.items()]
        plain = [
            k for k in keyed if spec_for(k[2]).documented and not self._is_section(k, sections)
        ]
        nested = [k for k in keyed if spec_for(k[2]).documented and self._is_section(k, sections)]
        unknown = [k for k in keyed if not spec_for(k[2]).documented]
        width = max((len(key) for key, _, _ in plain), default=0)
        for key, value, child in plain:
            self.field(depth, child, key, self._compact(child, value), width)
        for key, value, child in nested:
            self.write_nested(key, value, child, depth)
        if unknown:
            title = "Other fields (not in the API docs, sent back unchanged)"
            self._line(depth, READ_ONLY_MARK, title, self.paint.dim)
            width = max(len(key) for key, _, _ in unknown)
            for key, value, child in unknown:
                self.field(depth + 1, child, key, value_text(value), width)

    def _is_section(self, item: tuple[str, Any, FieldPath], sections: tuple[str, ...]) -> bool:
        key, value, path = item
        if key in sections or isinstance(value, list):
            return True
        # Small objects read best on one line; the rest get a block.
        return isinstance(value, dict) and _one_line(path, value) is None

    def _compact(self, path: FieldPath, value: Any) -> str:
        line = _one_line(path, value) if isinstance(value, dict) else None
        return line if line is not None else value_text(value)

    def write_nested(self, key: str, value: Any, path: FieldPath, depth: int) -> None:
        spec = spec_for(path)
        title = spec.label if spec.documented else visible(key, keep_newlines=False)
        if isinstance(value, list):
            self.heading(depth, path, f"{title} [{len(value)}]")
            for index, element in enumerate(value):
                self.write_element(element, (*path, child_segment(value, index)), depth + 1)
        elif spec.kind == "map" and isinstance(value, dict):
            # Keyed by period id: one line per entry, like the list it mirrors.
            self.heading(depth, path, f"{title} [{len(value)}]")
            for map_key, element in value.items():
                self.write_element(element, (*path, MapKey(map_key)), depth + 1)
        elif isinstance(value, dict):
            self.heading(depth, path, title)
            self.write_object(value, path, depth + 1)

    def write_element(self, element: Any, path: FieldPath, depth: int) -> None:
        pattern = spec_for(path).pattern
        if not isinstance(element, dict):
            self.heading(depth, path, value_text(element))
        elif pattern == "periods[*]":
            self.heading(depth, path, period_title(element))
        elif pattern == "streaks[*]":
            self.heading(depth, path, streak_title(element))
        elif pattern == "targets[*]":
            self.heading(depth, path, f"{target_title(element)}   ({format_path(path)})")
            self.write_object(element, path, depth + 1)
        elif pattern in (
            "targets[*].defaultValues[*]",
            "targets[*].targetPeriodDefaultValuesMap[*]",
        ):
            self.heading(depth, path, self.default_value_title(element))
        elif pattern == "targets[*].filters[*]":
            ids = ", ".join(value_text(i) for i in element.get("entityIds") or [])
            self.heading(depth, path, f"{_text(element.get('entityType'), 'filter')}: {ids or '—'}")
        else:
            self.heading(depth, path, value_text(element))

    def default_value_title(self, item: dict[str, Any]) -> str:
        period_id = item.get("periodId")
        period = self.periods.get(period_id) if isinstance(period_id, int) else None
        if period:
            start, end = _text(period.get("startDate"), "?"), _text(period.get("endDate"), "?")
            where = f"{_text(period.get('refCode'), _text(period_id))} · {start} → {end}"
        else:
            where = f"period {_text(period_id, '?')}"
        return f"{_text(item.get('id'))} · {where} = {_text(item.get('defaultValue'), '?')}"


def render_group(session: EditSession, painter: Painter) -> list[str]:
    return TreeWriter(session, painter).write_group()


def legend(group_id: int, session: EditSession) -> str:
    example = next(
        (
            f"'targets[{t['id']}].expression=…'"
            for t in session.original.get("targets") or []
            if isinstance(t, dict) and isinstance(t.get("id"), int)
        ),
        "name=…",
    )
    return (
        f"{READ_ONLY_MARK.strip()} read-only · {CHANGED_MARK.strip()} changed in your draft · "
        f"change a field: tgedit set {group_id} {example}"
    )
