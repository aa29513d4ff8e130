"""The check of a target group's shape, generated from the field catalog.

The catalog (``tui.fields.catalog``) is the one declaration of the group's shape: each
field's kind gives the JSON type its value must have, the ``[*]`` rows give what a list or
map holds, and ``required`` marks what every element must carry (its id). This module
turns those rows into a walker once, at import, and the walker:

- is strict: a string where a number is documented is refused, and so is a boolean;
- lets every field but a required one be null or missing, as real replies do;
- leaves fields the catalog does not know alone, so a round trip loses nothing;
- refuses two elements with one id in a list whose elements are named by id, since a
  field path could not tell them apart;
- reports the first problem as one sentence naming its field path
  (``periods[30148].startDate``), in ``ModelError.path`` too.

It never copies or changes the document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui.fields.catalog import CATALOG, ROOT, FieldKind, FieldSpec, canonical_pattern
from tui.fields.paths import Segment, child_segment, format_path
from tui.model.errors import ModelError, describe

# What the API promises for each kind of the catalog: the JSON types a value may have
# (by exact type, so that True is not taken for 1), and the words that say so.
_TYPES: dict[FieldKind, tuple[frozenset[type], str]] = {
    "string": (frozenset({str}), "a string"),
    "date": (frozenset({str}), "a string"),
    "timestamp": (frozenset({str}), "a string"),
    "enum": (frozenset({str}), "a string"),  # a value the docs never named still loads
    "json-string": (frozenset({str}), "a string"),
    "integer": (frozenset({int}), "a whole number"),
    "epoch-ms": (frozenset({int}), "a whole number"),
    "number": (frozenset({int, float}), "a number"),
    "boolean": (frozenset({bool}), "true or false"),
    "object": (frozenset({dict}), "an object"),
    "list": (frozenset({list}), "a list"),
    "map": (frozenset({dict}), "an object"),
}

_MISSING = object()

# Checks the contents of a value whose own type is already known to fit.
Inner = Callable[[Any], None]


class _Wrong(Exception):
    """A value that does not fit. Raised with the path below the level that found it;
    each level it passes on the way out puts its own segment in front."""

    def __init__(self, value: Any, wanted: str | None, path: list[Segment] | None = None) -> None:
        self.value, self.wanted = value, wanted
        self.path: list[Segment] = path or []


class _Duplicate(_Wrong):
    """Two elements of one list with the same id; the path names the list."""

    def __init__(self, element_id: int) -> None:
        super().__init__(element_id, None)


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    required: bool
    types: frozenset[type] | None  # None: any JSON value (a kind the catalog calls unknown)
    wanted: str
    inner: Inner | None  # the check of what an object, list or map holds


def _children(pattern: str) -> list[FieldSpec]:
    """The catalog rows of the fields of the object at ``pattern``, in the catalog's order."""
    # An object that repeats a documented shape (activePeriod, every attribution) folds
    # onto the rows of that shape, as spec_for does for a single path.
    base = canonical_pattern(f"{pattern}.x").removesuffix(".x") if pattern else ""
    prefix = f"{base}." if base else ""
    return [
        spec
        for spec in CATALOG.values()
        if spec.pattern.startswith(prefix)
        and "." not in spec.pattern[len(prefix) :]
        and not spec.pattern.endswith("]")
    ]


def _field(spec: FieldSpec, name: str) -> _Field:
    if spec.kind == "unknown":
        return _Field(name, spec.required, None, "", None)
    types, wanted = _TYPES[spec.kind]
    return _Field(name, spec.required, types, wanted, _inner(spec))


def _inner(spec: FieldSpec) -> Inner | None:
    if spec.kind == "object":
        return _object_check(spec.pattern)
    if spec.kind not in ("list", "map"):
        return None
    element = CATALOG.get(f"{spec.pattern}[*]")
    if element is None or element.kind == "unknown":
        return None
    each = _field(element, "")
    if spec.kind == "map":
        return _map_check(each)
    ids_unique = element.kind == "object" and any(
        child.pattern.endswith(".id") and child.required for child in _children(element.pattern)
    )
    return _list_check(each, ids_unique)


def _check_value(field: _Field, value: Any) -> None:
    """``value`` (not a missing field) against ``field``; _Wrong's path is below it."""
    if field.types is None:
        return
    if type(value) not in field.types:
        raise _Wrong(value, field.wanted)
    if field.inner is not None:
        field.inner(value)


def _object_check(pattern: str) -> Inner:
    fields = tuple(_field(spec, spec.pattern.rpartition(".")[2]) for spec in _children(pattern))

    def check(document: dict[str, Any]) -> None:
        for field in fields:
            value = document.get(field.name, _MISSING)
            if value is None or value is _MISSING:
                if field.required:  # a missing id is "no X", a null one a wrong type
                    wanted = None if value is _MISSING else field.wanted
                    raise _Wrong(value, wanted, [field.name])
                continue
            if field.types is None or (type(value) in field.types and field.inner is None):
                continue  # the common case, without a call
            try:
                _check_value(field, value)
            except _Wrong as wrong:
                wrong.path.insert(0, field.name)
                raise

    return check


def _list_check(each: _Field, ids_unique: bool) -> Inner:
    def check(elements: list[Any]) -> None:
        seen: set[int] = set()
        for index, element in enumerate(elements):
            try:
                _check_value(each, element)  # an element is never null
            except _Wrong as wrong:
                wrong.path.insert(0, child_segment(elements, index))
                raise
            if ids_unique:
                element_id = element["id"]  # a whole number: checked just above
                if element_id in seen:
                    raise _Duplicate(element_id)
                seen.add(element_id)

    return check


def _map_check(each: _Field) -> Inner:
    def check(elements: dict[str, Any]) -> None:
        for key, element in elements.items():
            try:
                _check_value(each, element)
            except _Wrong as wrong:
                wrong.path.insert(0, child_segment(elements, key, as_map=True))
                raise

    return check


_GROUP = _object_check(ROOT.pattern)

# The source that sends (check_group's ``source``); anything else is a file, which has.
SERVER = "the server"


def check_group(data: object, *, source: str) -> None:
    """Check ``data`` against the catalog's shape of a target group; never changes it.

    ModelError names the first field that does not fit, and ``source`` (``the server``,
    a file name) as the one that sent it (a file "has" it: a file sends nothing).
    """
    sent = "sent" if source == SERVER else "has"
    if not isinstance(data, dict):
        raise ModelError(f"{source} {sent} {describe(data)} where a target group object belongs")
    try:
        _GROUP(data)
    except _Duplicate as duplicate:
        where = format_path(tuple(duplicate.path))
        raise ModelError(
            f"{source} {sent} two elements with id {duplicate.value} in {where}", where
        ) from None
    except _Wrong as wrong:
        where = format_path(tuple(wrong.path)) or "the top level"
        if wrong.wanted is None:
            raise ModelError(
                f"{source} {sent} no {where}, which every element needs", where
            ) from None
        raise ModelError(
            f"{source} {sent} {describe(wrong.value)} at {where}, "
            f"where the API promises {wrong.wanted}",
            where,
        ) from None
