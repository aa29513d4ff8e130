"""Find: a field path jumps to its field; text finds the next field whose name or value holds it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tui.fields import FieldPath, PathError, child_segment, exists, format_path, parse_path
from tui.fields.catalog import is_map
from tui.session import EditSession


def walk(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every node of a document in order, containers before their children."""
    yield path, value
    if isinstance(value, dict):
        as_map = is_map(path)
        for key, child in value.items():
            yield from walk(child, (*path, child_segment(value, key, as_map=as_map)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk(child, (*path, child_segment(value, index)))


def as_field_path(session: EditSession, query: str) -> FieldPath | None:
    """The query as a path that exists in the group, or None when it is plain text."""
    try:
        path = parse_path(query)
    except PathError:
        return None
    return path if exists(session.original, path) else None


def matches(session: EditSession, query: str) -> list[FieldPath]:
    """Paths whose key, path text or current value holds ``query`` (case folded), in order."""
    needle = query.casefold()
    found: list[FieldPath] = []
    for path, value in walk(session.original):
        if not path:
            continue
        if session.is_changed(path):
            value = session.value(path)
        shown = "" if isinstance(value, dict | list) else str(value)
        if needle in shown.casefold() or needle in format_path(path[-1:]).casefold():
            found.append(path)
    return found
