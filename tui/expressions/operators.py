"""Operator precedence, shared by the parser and the printer so they cannot drift apart.

A higher level binds tighter. Every binary level is left-associative.
"""

from __future__ import annotations

from typing import Final

# Binary operators by level: || < && < equality < comparison < additive < multiplicative.
BINARY_LEVELS: Final[dict[str, int]] = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}

UNARY_OPERATORS: Final[frozenset[str]] = frozenset({"!", "-"})
UNARY_LEVEL: Final = 7
# Literals, names, member access and method calls: never need parentheses.
ATOM_LEVEL: Final = 8

# Operators whose result is a boolean, whatever their operands.
BOOLEAN_OPERATORS: Final[frozenset[str]] = frozenset({"||", "&&", "==", "!=", "<", ">", "<=", ">="})
