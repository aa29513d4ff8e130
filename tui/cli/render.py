"""The text tree of ``tgedit show``: the group as the editor would show it, on stdout.

Each field line starts with a mark from ``tui.fields.marks`` (⊘ read-only, ● changed in
a draft, blank when editable) so the meaning survives a pipe and NO_COLOR; colour only
dims read-only lines and highlights changed ones. Server text goes through
``visible`` so an escape sequence in a name is printed, never obeyed.
"""

from __future__ import annotations

import json
from typing import Any

from tui.cli.common import say
from tui.cli.style import Painter
from tui.fields.catalog import spec_for
from tui.fields.marks import CHANGED_MARK, READ_ONLY_MARK
from tui.fields.paths import FieldPath, MapKey, child_segment, format_path
from tui.fields.presentation import (
    MARKS,
    TITLED_PATTERNS,
    container_state,
    element_title,
    field_state,
    part_text,
    period_title,
    periods_by_id,
    value_text,
)
from tui.session.changes import ABSENT, FieldChange
from tui.session.edit import EditSession
from tui.terminal_text import json_for_terminal, visible

INDENT = "  "
# These lists get a section of their own, after the group's plain fields.
SECTIONS = ("periods", "streaks", "targets")


def _who(user: Any) -> str:
    if not isinstance(user, dict):
        return "?"
    name = user.get("name") or user.get("code")
    return (
        f"{part_text(name)} ({part_text(user.get('id'))})"
        if name
        else part_text(user.get("id"), "?")
    )


def attribution_text(attribution: dict[str, Any]) -> str:
    created = f"created {part_text(attribution.get('createdOn'), '?')} by {_who(attribution.get('createdBy'))}"
    updated = part_text(attribution.get("lastUpdatedOn"), "?")
    return f"{created} · last updated {updated} by {_who(attribution.get('lastUpdatedBy'))}"


def _one_line(path: FieldPath, value: dict[str, Any]) -> str | None:
    """The objects that read best as one line, as that line; None for the others."""
    if path and path[-1] == "attribution":
        return attribution_text(value)
    pattern = spec_for(path).pattern
    if pattern == "activePeriod":
        return period_title(value)
    if pattern == "targets[*].extendedFieldInfo":
        return " · ".join(part_text(value.get(k), "?") for k in ("name", "aggregateFunction"))
    return None


class TreeWriter:
    def __init__(self, session: EditSession, painter: Painter) -> None:
        self.session = session
        self.paint = painter
        self.group = session.current_group()
        self.periods = periods_by_id(self.group)
        self.lines: list[str] = []

    # --- lines ------------------------------------------------------------------------

    def heading(self, depth: int, path: FieldPath, title: str) -> None:
        state = container_state(path, changed_below=self.session.has_changes_below(path))
        if state == "editable":
            title = self.paint.bold(title)
        self._line(depth, MARKS[state], title, self._paint_for(state))

    def field(self, depth: int, path: FieldPath, key: str, shown: str, width: int) -> None:
        # A key the API docs do not name is server text too: shown, never obeyed.
        label = f"{visible(key, keep_newlines=False)}:".ljust(width + 1)
        state = field_state(spec_for(path), changed=self.session.is_changed(path))
        text = f"{label} {shown}"
        if state == "changed":
            before = self.session.original_value(path)
            was = "(absent)" if before is ABSENT else value_text(before)
            text += f"   (server: {was})"
        self._line(depth, MARKS[state], text, self._paint_for(state))

    def _paint_for(self, state: str) -> Any:
        """Colour only adds to the mark: dim read-only lines, highlight changed ones."""
        if state in ("changed", "changed-below"):
            return self.paint.changed
        return self.paint.dim if state == "read-only" else str

    def _line(self, depth: int, mark: str, text: str, paint: Any) -> None:
        self.lines.append(INDENT * depth + paint(f"{mark}{text}"))

    # --- the group --------------------------------------------------------------------

    def write_group(self) -> list[str]:
        # The title is what the server holds; a draft's name shows on its ● line below.
        held = self.session.original
        title = f"Target group {part_text(held.get('id'))} · {part_text(held.get('name'))}"
        self.lines.append(self.paint.bold(title))
        self.write_object(self.group, (), 1, sections=SECTIONS)
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
        if key in sections:
            return True
        if isinstance(value, list):
            # A filter's ids read best on one line, as the server sends them.
            return spec_for(path).pattern != "targets[*].filters[*].entityIds"
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
        if not isinstance(element, dict) or pattern not in TITLED_PATTERNS:
            self.heading(depth, path, value_text(element))  # the whole of it, on one line
            return
        title = element_title(path, element, self.periods)
        if pattern == "targets[*]":
            title += f"   ({format_path(path)})"
        self.heading(depth, path, title)
        if pattern in ("targets[*]", "targets[*].filters[*]"):
            self.write_object(element, path, depth + 1)


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


def safe_json(value: Any) -> str:
    """Indented JSON that is still exactly ``value``, with no raw control character in it."""
    return json_for_terminal(json.dumps(value, ensure_ascii=False, indent=2))


# --- values in change lines (set, apply, diff, revert) ----------------------------------

VALUE_LIMIT = 80


def change_value_text(value: Any) -> str:
    """A value in a change line: one line of at most VALUE_LIMIT characters, a whole
    element by its id and name, a list by its length (the tree's cells use
    ``short_value_text``, which shows less)."""
    if value is ABSENT:
        return "(absent)"
    if isinstance(value, dict) and "id" in value:
        return value_text({k: value[k] for k in ("id", "name") if k in value})[:-1] + ", …}"
    if isinstance(value, list):
        return f"[{len(value)} element(s)]"
    text = value_text(value)
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def short_change_lines(changes: list[FieldChange], indent: str = "  ") -> list[str]:
    """``path: before → after`` a change, each value cut by ``change_value_text``."""
    return [
        say(f"{indent}{c.path_text}: {change_value_text(c.before)} → {change_value_text(c.after)}")
        for c in changes
    ]
