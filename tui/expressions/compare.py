"""Are two expression trees the same, whatever their JSON formatting? And if not, where not?

Only the contract's keys count: ``arity``, ``value``, ``type`` (unless ignored) and
``operands``. Key order, whitespace and any other key are ignored; a missing ``value``
equals a null one and missing ``operands`` equal an empty list.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tui.expressions.tree import Path, load_tree, node_location, operands_of

TreeSource = str | Mapping[str, Any]


def same_tree(a: TreeSource, b: TreeSource, *, ignore_type: bool = False) -> bool:
    """True when both trees (dicts, or JSON text in any formatting) describe the same nodes.

    Raises ExpressionTreeError when either is not a tree.
    """
    return not _differences(load_tree(a), load_tree(b), ignore_type, limit=1)


def tree_differences(
    a: TreeSource, b: TreeSource, *, ignore_type: bool = False, limit: int = 20
) -> list[str]:
    """Human-readable differences, at most ``limit``, e.g.
    ``root[0][1] (name): value "value" vs "discount"``; empty when the trees are the same."""
    return _differences(load_tree(a), load_tree(b), ignore_type, limit)


def _differences(
    a: Mapping[str, Any], b: Mapping[str, Any], ignore_type: bool, limit: int
) -> list[str]:
    found: list[str] = []
    _walk(a, b, (), ignore_type, found, limit)
    return found[:limit]


def _walk(
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    path: Path,
    ignore_type: bool,
    found: list[str],
    limit: int,
) -> None:
    if len(found) >= limit:
        return
    where = f"{node_location(path)} ({a['arity']})"
    if a["arity"] != b["arity"]:
        # Different kinds of node: their values and operands are not comparable.
        found.append(f"{node_location(path)}: arity {_shown(a['arity'])} vs {_shown(b['arity'])}")
        return
    keys = ("value",) if ignore_type else ("value", "type")
    found.extend(
        f"{where}: {key} {_shown(a.get(key))} vs {_shown(b.get(key))}"
        for key in keys
        if a.get(key) != b.get(key)
    )
    left, right = operands_of(a), operands_of(b)
    if len(left) != len(right):
        found.append(f"{where}: {len(left)} operand(s) vs {len(right)}")
    for index, (x, y) in enumerate(zip(left, right, strict=False)):
        _walk(x, y, (*path, index), ignore_type, found, limit)


def _shown(value: object) -> str:
    return "none" if value is None else json.dumps(value, ensure_ascii=False)
