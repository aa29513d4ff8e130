"""Node tree → expression text, in the API's compact style (``currentTxn.value>500``).

No spaces, except one between a minus and a following minus (``a- -b``) so the text
never shows ``--``. A negative literal from a foreign tree (the parser makes none)
prints as ``-5``, which reads back as unary minus on ``5``. Parentheses only where the tree needs them: a left operand is
wrapped when it binds more loosely than its parent, a right operand also when it binds
equally (every operator is left-associative), so parsing the output gives the same tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.expressions.errors import ExpressionTreeError
from tui.expressions.lexer import KEYWORDS, is_identifier, is_number_text, quote
from tui.expressions.operators import ATOM_LEVEL, BINARY_LEVELS, UNARY_LEVEL, UNARY_OPERATORS
from tui.expressions.tree import (
    BINARY_OPERATION,
    LITERAL,
    METHOD_CALL,
    NAME,
    OBJECT_DEREFERENCE,
    UNARY_OPERATION,
    Path,
    load_tree,
    node_location,
    operands_of,
)


def print_expression(tree: Mapping[str, Any]) -> str:
    """The expression text of a tree. Raises ExpressionTreeError for a tree that no
    text could produce (unknown arity or operator, wrong operand count, a name that
    is not a name)."""
    return _text(load_tree(tree), ())


def literal_text(value: str, type_: str | None) -> str:
    """A literal as written: bare when spelled like a number or boolean and not typed
    as a string, quoted otherwise."""
    is_string = (type_ or "").split(":", 1)[0] == "string"
    if not is_string and (is_number_text(value) or value in KEYWORDS or _is_negative(value)):
        return value
    return quote(value)


def _is_negative(value: str) -> bool:
    # The parser never makes a negative literal ("-5" is unary minus on 5), but a tree
    # from elsewhere may hold one; "-5" keeps its meaning, quoting it would not.
    return value.startswith("-") and is_number_text(value[1:])


def level_of(node: Mapping[str, Any]) -> int:
    """How tightly a node binds, for deciding parentheses."""
    arity = node.get("arity")
    if arity == BINARY_OPERATION:
        return BINARY_LEVELS.get(node.get("value") or "", 0)
    if arity == UNARY_OPERATION:
        return UNARY_LEVEL
    if arity == LITERAL and literal_text(node.get("value") or "", node.get("type")).startswith("-"):
        return UNARY_LEVEL  # reads back as a unary minus, so it needs the same parentheses
    return ATOM_LEVEL


def _text(node: Mapping[str, Any], path: Path) -> str:
    arity = node["arity"]
    value = node.get("value")
    operands = operands_of(node)
    if arity == LITERAL:
        _expect_operands(operands, 0, path, arity)
        return literal_text(_required_value(value, path, arity), node.get("type"))
    if arity == NAME:
        _expect_operands(operands, 0, path, arity)
        name = _required_value(value, path, arity)
        if not is_identifier(name) or name in KEYWORDS:
            raise ExpressionTreeError(
                f"{node_location(path)}: {name!r} cannot be written as a name"
            )
        return name
    if arity == OBJECT_DEREFERENCE:
        _expect_operands(operands, 2, path, arity)
        return f"{_receiver(operands[0], (*path, 0))}.{_member(operands[1], (*path, 1))}"
    if arity == METHOD_CALL:
        if len(operands) < 2:
            raise ExpressionTreeError(
                f"{node_location(path)}: a method_call needs a receiver and a method name"
            )
        receiver = _receiver(operands[0], (*path, 0))
        method = _member(operands[1], (*path, 1))
        arguments = ",".join(
            _text(argument, (*path, index)) for index, argument in enumerate(operands[2:], 2)
        )
        return f"{receiver}.{method}({arguments})"
    if arity == BINARY_OPERATION:
        return _binary(node, operands, path)
    if arity == UNARY_OPERATION:
        return _unary(node, operands, path)
    raise ExpressionTreeError(f"{node_location(path)}: unknown arity {arity!r}")


def _binary(node: Mapping[str, Any], operands: list[Any], path: Path) -> str:
    operator = node.get("value")
    if operator not in BINARY_LEVELS:
        raise ExpressionTreeError(f"{node_location(path)}: unknown binary operator {operator!r}")
    _expect_operands(operands, 2, path, BINARY_OPERATION)
    level = BINARY_LEVELS[operator]
    left = _wrapped(operands[0], (*path, 0), level_of(operands[0]) < level)
    right = _wrapped(operands[1], (*path, 1), level_of(operands[1]) <= level)
    return left + operator + (" " if operator == "-" and right.startswith("-") else "") + right


def _unary(node: Mapping[str, Any], operands: list[Any], path: Path) -> str:
    operator = node.get("value")
    if operator not in UNARY_OPERATORS:
        raise ExpressionTreeError(f"{node_location(path)}: unknown unary operator {operator!r}")
    _expect_operands(operands, 1, path, UNARY_OPERATION)
    operand = _wrapped(operands[0], (*path, 0), level_of(operands[0]) < UNARY_LEVEL)
    return operator + (" " if operator == "-" and operand.startswith("-") else "") + operand


def _receiver(node: Mapping[str, Any], path: Path) -> str:
    return _wrapped(node, path, level_of(node) < ATOM_LEVEL)


def _member(node: Mapping[str, Any], path: Path) -> str:
    """A member or method name: any identifier, ``true`` included (``x.true``)."""
    name = node.get("value")
    if node.get("arity") != NAME or not isinstance(name, str) or not is_identifier(name):
        raise ExpressionTreeError(f"{node_location(path)}: expected a name node after the '.'")
    _expect_operands(operands_of(node), 0, path, NAME)
    return name


def _wrapped(node: Mapping[str, Any], path: Path, parenthesise: bool) -> str:
    text = _text(node, path)
    return f"({text})" if parenthesise else text


def _required_value(value: str | None, path: Path, arity: str) -> str:
    if value is None:
        raise ExpressionTreeError(f"{node_location(path)}: a {arity} node needs a value")
    return value


def _expect_operands(operands: list[Any], count: int, path: Path, arity: str) -> None:
    if len(operands) != count:
        raise ExpressionTreeError(
            f"{node_location(path)}: a {arity} node needs {count} operand(s), has {len(operands)}"
        )
