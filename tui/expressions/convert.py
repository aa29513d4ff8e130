"""Between ``expression`` and ``expressionJson``: the calls the editor makes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tui.expressions.compare import same_tree
from tui.expressions.errors import ExpressionError, ExpressionTreeError
from tui.expressions.parser import parse
from tui.expressions.printer import print_expression
from tui.expressions.tree import Node, load_tree, make_node, operands_of
from tui.expressions.types import assign_types


def parse_expression(text: str) -> Node:
    """The tree of ``text``, typed from the table alone (what ``expression_json_for``
    makes without an old tree). Raises ExpressionSyntaxError."""
    return assign_types(parse(text))


def expression_json_for(text: str, old_expression_json: str | None = None) -> str:
    """The compact ``expressionJson`` string for ``text``, reusing the types of the old
    tree where its nodes survive. An old value that is not a readable tree only costs
    its types. Raises ExpressionSyntaxError when ``text`` does not parse."""
    tree = parse(text)
    old: Node | None = None
    if old_expression_json is not None:
        try:
            old = load_tree(old_expression_json)
        except ExpressionTreeError:
            old = None
    return serialise(assign_types(tree, old))


def expression_from_json(json_text: str) -> str:
    """The expression text an ``expressionJson`` string describes.
    Raises ExpressionTreeError when it is not JSON or not a printable tree."""
    return print_expression(load_tree(json_text))


def consistent(expression: str, expression_json: str) -> bool | None:
    """Do the two fields describe the same rule (types aside)? None when either cannot
    be read, so the caller can tell "disagree" from "cannot tell"."""
    try:
        return same_tree(parse(expression), expression_json, ignore_type=True)
    except ExpressionError:
        return None


def serialise(tree: Mapping[str, Any]) -> str:
    """Compact JSON, keys in the API's order (arity, value, type, operands); other
    keys are dropped."""
    return json.dumps(_ordered(load_tree(tree)), separators=(",", ":"))


def _ordered(node: Mapping[str, Any]) -> Node:
    operands = [_ordered(operand) for operand in operands_of(node)]
    return make_node(node["arity"], node.get("value"), node.get("type"), operands)
