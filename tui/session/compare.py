"""Field-by-field differences between two versions of a target group, as field paths.

Inside one group (a fetch and a newer fetch, a file and the live group) array elements
pair by ``id``. Across two different groups (``tgedit diff A B``) ids mean nothing, so
targets and streaks pair by ``name`` and every other array of objects (periods, default
values, filters) by position; those elements are named by the left side's id (or the
right side's when only it has the element). A pair the strategy cannot make (no ids,
a name used twice) is compared as one value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.fields.paths import ElementId, FieldPath, Index, child_segment, pattern_of
from tui.session.changes import ABSENT

Difference = tuple[FieldPath, Any, Any]
# How two arrays' elements pair: (segment naming the pair, left element, right element),
# or None when they cannot be paired (the arrays are then compared whole).
Pairing = Callable[[FieldPath, list[Any], list[Any]], list[tuple[Any, Any, Any]] | None]

BY_NAME = frozenset({"targets", "streaks"})


def same(a: Any, b: Any) -> bool:
    # 1 == 1.0 == True in Python; a changed type is a difference worth showing.
    return type(a) is type(b) and a == b


def leaf_differences(a: Any, b: Any, *, across_groups: bool = False) -> list[Difference]:
    """Every leaf that differs, ABSENT for a side that lacks it, in document order."""
    return _walk(a, b, (), pair_across if across_groups else pair_by_id)


def _walk(a: Any, b: Any, path: FieldPath, pairing: Pairing) -> list[Difference]:
    if isinstance(a, dict) and isinstance(b, dict):
        found: list[Difference] = []
        for key in list(a) + [k for k in b if k not in a]:
            seg = child_segment(a if key in a else b, key)
            found += _walk(a.get(key, ABSENT), b.get(key, ABSENT), (*path, seg), pairing)
        return found
    if isinstance(a, list) and isinstance(b, list):
        pairs = pairing(path, a, b)
        if pairs is not None:
            found = []
            for seg, left, right in pairs:
                found += _walk(left, right, (*path, seg), pairing)
            return found
    return [] if same(a, b) else [(path, a, b)]


def _ids(items: list[Any]) -> dict[Any, int] | None:
    """id → position when every element is an object with a unique id, else None."""
    at = {e.get("id"): i for i, e in enumerate(items) if isinstance(e, dict) and "id" in e}
    return at if len(at) == len(items) else None


def pair_by_id(path: FieldPath, a: list[Any], b: list[Any]) -> list[tuple[Any, Any, Any]] | None:
    at_a, at_b = _ids(a), _ids(b)
    if at_a is None or at_b is None:
        return None
    pairs = []
    # ids are unique on both sides here: look positions up, never scan for them
    for element_id in list(at_a) + [i for i in at_b if i not in at_a]:
        container, index = (a, at_a[element_id]) if element_id in at_a else (b, at_b[element_id])
        left = a[at_a[element_id]] if element_id in at_a else ABSENT
        right = b[at_b[element_id]] if element_id in at_b else ABSENT
        pairs.append((child_segment(container, index), left, right))
    return pairs


def pair_across(path: FieldPath, a: list[Any], b: list[Any]) -> list[tuple[Any, Any, Any]] | None:
    if not all(isinstance(e, dict) for e in [*a, *b]):
        return None
    if pattern_of(path) in BY_NAME:
        names_a = [e.get("name") for e in a]
        names_b = [e.get("name") for e in b]
        if len(set(names_a)) != len(a) or len(set(names_b)) != len(b):
            return None  # a name used twice pairs nothing for certain
        at_b = {name: i for i, name in enumerate(names_b)}
        pairs = [(_named(a[i], i), a[i], _get(b, at_b.get(n))) for i, n in enumerate(names_a)]
        left_names = set(names_a)
        pairs += [
            (_named(b[i], i), ABSENT, b[i]) for i, n in enumerate(names_b) if n not in left_names
        ]
        return pairs
    longest = max(len(a), len(b))
    return [
        (
            _named(a[i] if i < len(a) else b[i], i),
            a[i] if i < len(a) else ABSENT,
            b[i] if i < len(b) else ABSENT,
        )
        for i in range(longest)
    ]


def _get(items: list[Any], index: int | None) -> Any:
    return ABSENT if index is None else items[index]


def _named(element: dict[str, Any], index: int) -> Any:
    """The segment for a pair: the (left) element's id, else its position."""
    element_id = element.get("id")
    if isinstance(element_id, int) and not isinstance(element_id, bool):
        return ElementId(element_id)
    return Index(index)
