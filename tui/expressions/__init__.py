"""The expression language of target rules: text ⇄ ``expressionJson`` tree.

No Textual and no HTTP here. The grammar and the choices api.md leaves open are
written down in ``parser.py``; how types are chosen in ``types.py``.
"""

from tui.expressions.compare import same_tree, tree_differences
from tui.expressions.convert import (
    consistent,
    expression_from_json,
    expression_json_for,
    parse_expression,
    serialise,
)
from tui.expressions.errors import ExpressionError, ExpressionSyntaxError, ExpressionTreeError
from tui.expressions.printer import print_expression
from tui.expressions.tree import Node, load_tree
from tui.expressions.types import assign_types, untyped_nodes

__all__ = [
    "ExpressionError",
    "ExpressionSyntaxError",
    "ExpressionTreeError",
    "Node",
    "assign_types",
    "consistent",
    "expression_from_json",
    "expression_json_for",
    "load_tree",
    "parse_expression",
    "print_expression",
    "same_tree",
    "serialise",
    "tree_differences",
    "untyped_nodes",
]
