"""The node tree of ``expressionJson``, as plain dicts, and how to load one safely.

A node is ``{"arity", "value"?, "type"?, "operands"?}`` (api.md, "Expressions"). Nodes
are built and serialised with their keys in that order, the order of the API's example.

Paths name a node by operand indices: ``root`` is the tree itself, ``root[0][1]`` the
second operand of the root's first operand. Error messages and differences use them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from tui.expressions.errors import ExpressionTreeError

Node = dict[str, Any]

LITERAL: Final = "literal"
NAME: Final = "name"
OBJECT_DEREFERENCE: Final = "object_dereference"
METHOD_CALL: Final = "method_call"
BINARY_OPERATION: Final = "binary_operation"
UNARY_OPERATION: Final = "unary_operation"

# Deeper trees are refused: real rules are a few levels deep, and a bound keeps every
# recursive walk in this package far from Python's recursion limit.
MAX_DEPTH: Final = 200

Path = tuple[int, ...]


def make_node(
    arity: str,
    value: str | None = None,
    type_: str | None = None,
    operands: Sequence[Node] | None = None,
) -> Node:
    """A node with its keys in the API's order; absent parts are left out, not null."""
    node: Node = {"arity": arity}
    if value is not None:
        node["value"] = value
    if type_:
        node["type"] = type_
    if operands:
        node["operands"] = list(operands)
    return node


def operands_of(node: Mapping[str, Any]) -> list[Node]:
    """A node's operands; a leaf (missing or null ``operands``) has none."""
    return list(node.get("operands") or [])


def node_location(path: Path) -> str:
    return "root" + "".join(f"[{index}]" for index in path)


def load_tree(source: str | Mapping[str, Any]) -> Node:
    """A tree from JSON text (any formatting) or from a dict, checked for shape.

    Checks what every node must satisfy (arity a string; value and type strings when
    present; operands a list of nodes) and the depth bound. What each arity needs is
    the printer's business. A dict is returned as given, not copied.
    """
    if isinstance(source, str):
        try:
            tree = json.loads(source)
        except (ValueError, RecursionError) as error:
            raise ExpressionTreeError(f"expressionJson is not valid JSON: {error}") from None
    else:
        tree = source
    _check_shape(tree)
    return tree if isinstance(tree, dict) else dict(tree)


def _check_shape(tree: object) -> None:
    # Iterative, so a hostile tree cannot exhaust the stack before the depth check.
    stack: list[tuple[object, Path]] = [(tree, ())]
    while stack:
        node, path = stack.pop()
        where = node_location(path)
        if len(path) > MAX_DEPTH:
            raise ExpressionTreeError(f"{where}: the tree is nested deeper than {MAX_DEPTH} levels")
        if not isinstance(node, Mapping):
            raise ExpressionTreeError(f"{where}: a node must be a JSON object, not {_kind(node)}")
        arity = node.get("arity")
        if not isinstance(arity, str) or not arity:
            raise ExpressionTreeError(f"{where}: 'arity' must be a non-empty string")
        for key in ("value", "type"):
            if node.get(key) is not None and not isinstance(node[key], str):
                raise ExpressionTreeError(
                    f"{where}: '{key}' must be a string, not {_kind(node[key])}"
                )
        operands = node.get("operands")
        if operands is None:
            continue
        if not isinstance(operands, list):
            raise ExpressionTreeError(f"{where}: 'operands' must be a list")
        stack.extend((child, (*path, index)) for index, child in enumerate(operands))


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number" if isinstance(value, int | float) else "a value")
