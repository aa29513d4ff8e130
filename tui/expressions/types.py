"""The ``type`` of each node of a new tree: kept from the old tree, else from a small table.

The server's types cannot be derived from the text alone, so a new tree borrows them:

1. From the old tree, the node at the same position when it is the same node: same
   arity and value, for ``object_dereference`` and ``method_call`` (which have no value)
   the same member or method name, and for a literal the same spelling (a string
   ``"500"`` does not borrow the type of the number ``500``).
2. Else from an identical subtree (types aside) anywhere in the old tree, so wrapping
   an old rule in ``(...)&&...`` keeps its types. Member and method names are only
   matched as part of their parent, since their type depends on it.
3. Else a type the new node already has (the parser types every literal).
4. Else the table below; otherwise no type (``untyped_nodes`` lists those).

The table: ``currentTxn`` ``tx:object:primitive`` and ``currentLineItem``
``tx.item:object:primitive`` (as published); ``currentCustomer``
``customer:object:primitive`` (a guess in the same pattern); the member ``value``
``real:object:primitive``; number literals ``number:primitive``, strings
``string:primitive``, ``true``/``false`` ``boolean:primitive``; comparisons, ``==``,
``!=``, ``&&``, ``||`` and ``!`` ``boolean:primitive``; ``-`` on a ``number:primitive``
``number:primitive``; an ``object_dereference`` takes its member's type. Arithmetic,
method calls, method names and unknown names get no type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, Literal

from tui.expressions.lexer import KEYWORDS, is_number_text
from tui.expressions.operators import BOOLEAN_OPERATORS
from tui.expressions.printer import literal_text, print_expression
from tui.expressions.tree import (
    BINARY_OPERATION,
    LITERAL,
    METHOD_CALL,
    NAME,
    OBJECT_DEREFERENCE,
    UNARY_OPERATION,
    Node,
    load_tree,
    make_node,
    node_location,
    operands_of,
)

NAME_TYPES: Final[dict[str, str]] = {
    "currentTxn": "tx:object:primitive",
    "currentLineItem": "tx.item:object:primitive",
    "currentCustomer": "customer:object:primitive",
}
MEMBER_TYPES: Final[dict[str, str]] = {"value": "real:object:primitive"}
NUMBER: Final = "number:primitive"
STRING: Final = "string:primitive"
BOOLEAN: Final = "boolean:primitive"

# Where a name node stands: its type depends on it.
Role = Literal["free", "member", "method"]


def assign_types(new_tree: Mapping[str, Any], old_tree: Mapping[str, Any] | None = None) -> Node:
    """A copy of ``new_tree`` with types assigned by the rules above; inputs are untouched."""
    new = load_tree(new_tree)
    old = load_tree(old_tree) if old_tree is not None else None
    index: dict[str, Mapping[str, Any]] = {}
    if old is not None:
        _index_subtrees(old, "free", index)
    return _assign(new, old, "free", index)


def untyped_nodes(tree: Mapping[str, Any]) -> list[str]:
    """One line per node without a type, e.g. ``contains (name at root[1])``, in
    reading order (parents before their operands)."""
    found: list[str] = []
    _collect_untyped(load_tree(tree), (), found)
    return found


def _assign(
    new: Mapping[str, Any],
    old_here: Mapping[str, Any] | None,
    role: Role,
    index: Mapping[str, Mapping[str, Any]],
) -> Node:
    counterpart = old_here if old_here is not None and _same_node(new, old_here) else None
    if counterpart is None and role == "free":
        counterpart = index.get(_key(new))
    # Operands line up with the matched node's, else with the old node at this position.
    aligned = counterpart if counterpart is not None else old_here
    old_operands = operands_of(aligned) if aligned is not None else []
    operands = [
        _assign(
            operand,
            old_operands[position] if position < len(old_operands) else None,
            _role(new["arity"], position),
            index,
        )
        for position, operand in enumerate(operands_of(new))
    ]
    type_ = (counterpart or {}).get("type") or new.get("type") or _table_type(new, operands, role)
    return make_node(new["arity"], new.get("value"), type_, operands)


def _same_node(new: Mapping[str, Any], old: Mapping[str, Any]) -> bool:
    arity = new["arity"]
    if arity != old.get("arity") or new.get("value") != old.get("value"):
        return False
    if arity in (OBJECT_DEREFERENCE, METHOD_CALL):
        return _member_name(new) is not None and _member_name(new) == _member_name(old)
    if arity == LITERAL:
        value = new.get("value") or ""
        return literal_text(value, new.get("type")) == literal_text(value, old.get("type"))
    return True


def _member_name(node: Mapping[str, Any]) -> str | None:
    operands = operands_of(node)
    return operands[1].get("value") if len(operands) > 1 else None


def _role(parent_arity: str, position: int) -> Role:
    if position == 1 and parent_arity == OBJECT_DEREFERENCE:
        return "member"
    if position == 1 and parent_arity == METHOD_CALL:
        return "method"
    return "free"


def _key(node: Mapping[str, Any]) -> str:
    """A subtree's identity, types aside (a literal's kind kept through its spelling)."""

    def strip(n: Mapping[str, Any]) -> object:
        value = n.get("value")
        if n["arity"] == LITERAL:
            value = literal_text(value or "", n.get("type"))
        return [n["arity"], value, [strip(child) for child in operands_of(n)]]

    return json.dumps(strip(node))


def _index_subtrees(
    node: Mapping[str, Any], role: Role, index: dict[str, Mapping[str, Any]]
) -> None:
    if role == "free":
        key = _key(node)
        # Prefer an occurrence that carries a type.
        if key not in index or (not index[key].get("type") and node.get("type")):
            index[key] = node
    for position, operand in enumerate(operands_of(node)):
        _index_subtrees(operand, _role(node["arity"], position), index)


def _table_type(node: Mapping[str, Any], operands: list[Node], role: Role) -> str | None:
    arity, value = node["arity"], node.get("value")
    if arity == LITERAL:
        text = literal_text(value or "", node.get("type"))
        return BOOLEAN if text in KEYWORDS else NUMBER if is_number_text(text) else STRING
    if arity == NAME and value is not None:
        table = {"free": NAME_TYPES, "member": MEMBER_TYPES, "method": {}}[role]
        return table.get(value)
    if arity == OBJECT_DEREFERENCE and len(operands) == 2:
        member_type: str | None = operands[1].get("type")
        return member_type
    if arity == BINARY_OPERATION and value in BOOLEAN_OPERATORS:
        return BOOLEAN
    if arity == UNARY_OPERATION and value == "!":
        return BOOLEAN
    if arity == UNARY_OPERATION and value == "-" and operands and operands[0].get("type") == NUMBER:
        return NUMBER
    return None


def _collect_untyped(node: Mapping[str, Any], path: tuple[int, ...], found: list[str]) -> None:
    if not node.get("type"):
        found.append(f"{_describe(node)} ({node['arity']} at {node_location(path)})")
    for position, operand in enumerate(operands_of(node)):
        _collect_untyped(operand, (*path, position), found)


def _describe(node: Mapping[str, Any]) -> str:
    """The node as text when it prints, else its value or arity; kept short for one line."""
    try:
        text = print_expression(node)
    except ValueError:
        text = str(node.get("value") or node["arity"])
    return text if len(text) <= 40 else text[:37] + "..."
