"""Field paths: one syntax everywhere (CLI, find box, errors, drafts).

``name``, ``periods[30148].refCode``, ``targets[3006].defaultValues[127052].defaultValue``.
A bracket holds the element's ``id``, never its position. Two rarer forms exist for
what has no id: ``filters[#0]`` (the position in an array whose elements carry no id)
and ``targetPeriodDefaultValuesMap["30147"]`` (a key of a JSON object used as a map).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TypeAlias, cast


@dataclass(frozen=True, slots=True)
class ElementId:
    """An array element picked by its ``id`` field."""

    id: int


@dataclass(frozen=True, slots=True)
class Index:
    """An array element picked by position: only for elements that carry no id."""

    index: int


@dataclass(frozen=True, slots=True)
class MapKey:
    """A key of a JSON object that is used as a map (its keys are data, not names)."""

    key: str


Segment: TypeAlias = str | ElementId | Index | MapKey
FieldPath: TypeAlias = tuple[Segment, ...]


class PathError(ValueError):
    """A field path that cannot be parsed, or names nothing in the group."""


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IDENT_ONLY = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True, slots=True)
class Every:
    """``[*]``: every element of an array (or value of a map), in a selector only."""


SelectorSegment: TypeAlias = Segment | Every
Selector: TypeAlias = tuple[SelectorSegment, ...]


def parse_path(text: str) -> FieldPath:
    """Parse ``targets[3006].expression`` into segments; raise PathError with the column."""
    return cast(FieldPath, _parse(text, every=False))  # no Every without every=True


def parse_selector(text: str) -> Selector:
    """A field path in which ``[*]`` stands for every element: ``targets[*].expression``
    (``tgedit list --where``); PathError with the column, as ``parse_path``."""
    return _parse(text, every=True)


def _parse(text: str, *, every: bool) -> Selector:
    source = text.strip()
    if not source:
        raise PathError("an empty field path; try e.g. name or targets[3006].expression")
    segments: list[SelectorSegment] = []
    pos = 0
    expect_name = True
    while pos < len(source):
        char = source[pos]
        if char == ".":
            if expect_name:
                raise PathError(_at(source, pos, "a field name before '.'"))
            pos += 1
            match = _NAME.match(source, pos)
            if not match:
                raise PathError(_at(source, pos, "a field name after '.'"))
            segments.append(match.group())
            pos = match.end()
        elif char == "[":
            if not segments:
                raise PathError(_at(source, pos, "a field name before '['"))
            star = _STAR.match(source, pos + 1) if every else None
            if star:
                segments.append(Every())
                pos = star.end()
                continue
            segment, pos = _parse_bracket(source, pos)
            segments.append(segment)
        elif expect_name:
            match = _NAME.match(source, pos)
            if not match:
                raise PathError(_at(source, pos, "a field name"))
            segments.append(match.group())
            pos = match.end()
        else:
            raise PathError(_at(source, pos, "'.' or '['"))
        expect_name = False
    return tuple(segments)


_ID = re.compile(r"\s*(#?)(-?[0-9]+)\s*\]")
_STAR = re.compile(r"\s*\*\s*\]")
_QUOTED = re.compile(r"\s*(?=\")")
_CLOSE = re.compile(r"\s*\]")


def _parse_bracket(source: str, pos: int) -> tuple[Segment, int]:
    """The segment in the brackets that open at ``pos``, and the position after the ']'."""
    quoted = _QUOTED.match(source, pos + 1)
    if quoted:
        # A JSON string, scanned as one: a ']' or '"' inside a key is part of the key.
        try:
            key, end = json.JSONDecoder().raw_decode(source, quoted.end())
        except ValueError:
            raise PathError(_at(source, pos, 'a quoted key such as ["30147"]')) from None
        close = _CLOSE.match(source, end)
        if not close:
            after_spaces = len(source) - len(source[end:].lstrip())
            raise PathError(_at(source, after_spaces, "a closing ']'"))
        return MapKey(key), close.end()
    if source.find("]", pos) < 0:
        raise PathError(_at(source, pos, "a closing ']'"))
    # ASCII digits only: str.isdigit() also accepts '²', which int() then refuses.
    number = _ID.match(source, pos + 1)
    if not number:
        raise PathError(_at(source, pos, "an element id in brackets, such as [3006]"))
    value = int(number.group(2))
    if number.group(1):
        if value < 0:
            raise PathError(_at(source, pos, "a position such as [#0]"))
        return Index(value), number.end()
    return ElementId(value), number.end()


def _at(source: str, pos: int, expected: str) -> str:
    return f"malformed field path {source!r}: expected {expected} at column {pos + 1}"


def format_path(path: FieldPath) -> str:
    parts: list[str] = []
    for segment in path:
        if isinstance(segment, str):
            parts.append(("." if parts else "") + segment)
        elif isinstance(segment, ElementId):
            parts.append(f"[{segment.id}]")
        elif isinstance(segment, Index):
            parts.append(f"[#{segment.index}]")
        else:
            parts.append(f"[{json.dumps(segment.key, ensure_ascii=False)}]")
    return "".join(parts)


def selector_text(selector: Selector) -> str:
    """A selector written back: ``targets[*].expression``."""
    parts: list[str] = []
    for position, segment in enumerate(selector):
        if isinstance(segment, Every):
            parts.append("[*]")
        else:
            text = format_path((segment,))
            parts.append("." + text if position and isinstance(segment, str) else text)
    return "".join(parts)


def select(document: object, selector: Selector) -> list[tuple[FieldPath, object]]:
    """Every value ``selector`` names in ``document``, with its path (ids in brackets);
    ``[*]`` takes each element of an array, or each value of a map. What is not there
    names nothing (no error): a group without streaks has no ``streaks[*].name``."""
    found: list[tuple[FieldPath, object]] = [((), document)]
    for segment in selector:
        following: list[tuple[FieldPath, object]] = []
        for path, node in found:
            if isinstance(segment, Every):
                if isinstance(node, list):
                    following += [
                        ((*path, child_segment(node, i)), item) for i, item in enumerate(node)
                    ]
                elif isinstance(node, dict):
                    following += [
                        ((*path, child_segment(node, key, as_map=True)), value)
                        for key, value in node.items()
                    ]
                continue
            try:
                following.append(((*path, segment), resolve(node, (segment,))))
            except PathError:
                continue
        found = following
    return found


def pattern_of(path: Selector) -> str:
    """The catalog pattern of a path: every element id, position or map key becomes ``*``."""
    parts: list[str] = []
    for segment in path:
        if isinstance(segment, str):
            parts.append(("." if parts else "") + segment)
        else:
            parts.append("[*]")
    return "".join(parts)


def is_plain_key(key: str) -> bool:
    """Whether ``key`` may follow a dot in a field path (else it is written ``["key"]``)."""
    return bool(_IDENT_ONLY.match(key))


def child_segment(container: object, key: str | int, *, as_map: bool = False) -> Segment:
    """The segment that names ``container[key]``: by id for arrays of objects with ids."""
    if isinstance(container, list):
        assert isinstance(key, int)
        element = container[key]
        if isinstance(element, dict):
            element_id = element.get("id")
            if isinstance(element_id, int) and not isinstance(element_id, bool):
                return ElementId(element_id)
        return Index(key)
    assert isinstance(key, str)
    if as_map or not is_plain_key(key):
        return MapKey(key)
    return key


_MISSING = object()


def resolve(document: object, path: FieldPath) -> object:
    """The value at ``path``; PathError names the first segment that finds nothing."""
    node = document
    for depth, segment in enumerate(path):
        where = format_path(path[:depth]) or "the target group"
        if isinstance(segment, str | MapKey):
            key = segment if isinstance(segment, str) else segment.key
            if not isinstance(node, dict) or key not in node:
                raise PathError(f"{where} has no field {key!r}")
            node = node[key]
        elif isinstance(segment, ElementId):
            if not isinstance(node, list):
                raise PathError(f"{where} is not a list, so [{segment.id}] names nothing")
            found = next(
                (e for e in node if isinstance(e, dict) and _same_id(e.get("id"), segment.id)),
                _MISSING,
            )
            if found is _MISSING:
                ids = [e.get("id") for e in node if isinstance(e, dict)]
                known = ", ".join(str(i) for i in ids[:10]) or "none"
                raise PathError(f"{where} has no element with id {segment.id} (ids: {known})")
            node = found
        else:
            if not isinstance(node, list) or not 0 <= segment.index < len(node):
                raise PathError(f"{where} has no element at position {segment.index}")
            node = node[segment.index]
    return node


def _same_id(value: object, wanted: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value == wanted


def exists(document: object, path: FieldPath) -> bool:
    try:
        resolve(document, path)
    except PathError:
        return False
    return True
