"""Expression text → node tree (the shape of ``expressionJson``).

Grammar (whitespace, newlines included, is insignificant between tokens)::

    expression  := or
    or          := and ( "||" and )*
    and         := equality ( "&&" equality )*
    equality    := comparison ( ("==" | "!=") comparison )*
    comparison  := additive ( ("<" | ">" | "<=" | ">=") additive )*
    additive    := term ( ("+" | "-") term )*
    term        := unary ( ("*" | "/" | "%") unary )*
    unary       := ("!" | "-")* postfix
    postfix     := primary ( "." NAME [ "(" [ expression ("," expression)* ] ")" ] )*
    primary     := NUMBER | STRING | "true" | "false" | NAME | "(" expression ")"

Choices made where api.md shows no example:

- ``&&``, ``||``, arithmetic and comparisons are ``binary_operation`` nodes whose
  ``value`` is the operator as written (``"&&"``, ``"%"``, ``">="``); every binary
  operator is left-associative: ``a-b-c`` is ``(a-b)-c``.
- ``!x`` and ``-x`` are ``{"arity": "unary_operation", "value": "!" | "-", "operands":
  [x]}``. There is no unary ``+``. ``-5`` is a unary minus applied to the literal
  ``5``: number literals are never negative, so a tree holding a literal ``"-5"``
  prints as ``-5`` and reads back as the unary form.
- Parentheses only group; they leave no node in the tree.
- Literal kinds are told apart by ``type``: a number gets ``number:primitive``, a
  string ``string:primitive`` (its value is the text between the quotes, escapes
  decoded), ``true``/``false`` get ``boolean:primitive``. The printer quotes a literal
  when its type starts with ``string``, or when its value is not spelled like a number
  or a boolean (so an untyped ``"500"`` prints as the number 500).
- Numbers are ``digits`` or ``digits.digits``, kept as written (``007`` stays
  ``"007"``); no exponent, no leading or trailing dot.
- Strings are double-quoted, with JSON's escapes (``\\" \\\\ \\/ \\b \\f \\n \\r \\t
  \\uXXXX``) plus ``\\'``; any other escape is a syntax error.
- Names are ``[A-Za-z_$][A-Za-z0-9_$]*``; ``true`` and ``false`` are literals, except
  after a ``.``, where any name is a member name. ``null`` is an ordinary name.
- Member access ``a.b`` is ``object_dereference`` with operands ``[a, name b]``; a call
  ``a.b(x, y)`` is ``method_call`` with operands ``[a, name b, x, y]``: the receiver is
  the object left of the last dot. Only methods can be called: ``f(x)`` is an error.
- Nesting is bounded: at most 100 levels of parentheses or call arguments and a tree
  at most 200 levels deep; deeper input is a syntax error rather than a crash.
- Error columns are 1-based character offsets from the start of the text.
"""

from __future__ import annotations

from typing import Final, NoReturn

from tui.expressions.errors import ExpressionSyntaxError
from tui.expressions.lexer import KEYWORDS, Token, tokenize
from tui.expressions.operators import BINARY_LEVELS, UNARY_OPERATORS
from tui.expressions.tree import (
    BINARY_OPERATION,
    LITERAL,
    MAX_DEPTH,
    METHOD_CALL,
    NAME,
    OBJECT_DEREFERENCE,
    UNARY_OPERATION,
    Node,
    make_node,
    operands_of,
)

# Each level of parentheses costs a few Python frames; stay well inside the stack.
MAX_NESTING: Final = 100

NUMBER_TYPE: Final = "number:primitive"
STRING_TYPE: Final = "string:primitive"
BOOLEAN_TYPE: Final = "boolean:primitive"


def parse(text: str) -> Node:
    """The tree of ``text``, with types on literals only (their kind is syntax).

    Raises ExpressionSyntaxError with the 1-based column of the problem.
    """
    return _Parser(tokenize(text)).parse()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._position = 0
        self._nesting = 0

    def parse(self) -> Node:
        tree = self._binary(1)
        if self._peek().kind != "end":
            self._fail("an operator or end of input")
        _check_depth(tree)
        return tree

    # -- helpers --

    def _peek(self) -> Token:
        return self._tokens[self._position]

    def _advance(self) -> Token:
        token = self._tokens[self._position]
        if token.kind != "end":
            self._position += 1
        return token

    def _previous(self) -> Token | None:
        return self._tokens[self._position - 1] if self._position else None

    def _at(self, operator: str) -> bool:
        token = self._peek()
        return token.kind == "operator" and token.text == operator

    def _fail(self, expected: str, note: str = "") -> NoReturn:
        token = self._peek()
        hint = ""
        if token.kind == "operator" and token.text == "(" and expected.startswith("an operator"):
            hint = " (only methods can be called, as in object.method(...))"
        raise ExpressionSyntaxError(
            f"expected {expected} at column {token.column}{note}, found {token.describe()}{hint}",
            token.column,
        )

    def _nest(self, opener: Token) -> None:
        self._nesting += 1
        if self._nesting > MAX_NESTING:
            raise ExpressionSyntaxError(
                f"expected at most {MAX_NESTING} nested levels at column {opener.column}, "
                "found more",
                opener.column,
            )

    # -- grammar --

    def _binary(self, min_level: int) -> Node:
        """Precedence climbing: loops for left-associativity, recurses one level up."""
        left = self._unary()
        while True:
            token = self._peek()
            level = BINARY_LEVELS.get(token.text) if token.kind == "operator" else None
            if level is None or level < min_level:
                return left
            self._advance()
            right = self._binary(level + 1)
            left = make_node(BINARY_OPERATION, token.text, operands=[left, right])

    def _unary(self) -> Node:
        # Collected in a loop, so a long run of "!" costs no stack.
        operators: list[str] = []
        while self._peek().kind == "operator" and self._peek().text in UNARY_OPERATORS:
            operators.append(self._advance().text)
        node = self._postfix()
        for operator in reversed(operators):
            node = make_node(UNARY_OPERATION, operator, operands=[node])
        return node

    def _postfix(self) -> Node:
        node = self._primary()
        while self._at("."):
            self._advance()
            member = self._peek()
            if member.kind != "name":
                self._fail("a member name after '.'")
            self._advance()
            member_node = make_node(NAME, member.text)
            if self._at("("):
                arguments = self._arguments()
                node = make_node(METHOD_CALL, operands=[node, member_node, *arguments])
            else:
                node = make_node(OBJECT_DEREFERENCE, operands=[node, member_node])
        return node

    def _arguments(self) -> list[Node]:
        opener = self._advance()  # "("
        self._nest(opener)
        arguments: list[Node] = []
        if not self._at(")"):
            while True:
                arguments.append(self._binary(1))
                if self._at(","):
                    self._advance()
                    continue
                if not self._at(")"):
                    self._fail("',' or ')'", f" in the call opened at column {opener.column}")
                break
        self._advance()  # ")"
        self._nesting -= 1
        return arguments

    def _primary(self) -> Node:
        token = self._peek()
        if token.kind == "number":
            self._advance()
            return make_node(LITERAL, token.text, NUMBER_TYPE)
        if token.kind == "string":
            self._advance()
            return make_node(LITERAL, token.value, STRING_TYPE)
        if token.kind == "name":
            self._advance()
            if token.text in KEYWORDS:
                return make_node(LITERAL, token.text, BOOLEAN_TYPE)
            return make_node(NAME, token.text)
        if token.kind == "operator" and token.text == "(":
            self._advance()
            self._nest(token)
            inner = self._binary(1)
            if not self._at(")"):
                self._fail("')'", f" to close the '(' at column {token.column}")
            self._advance()
            self._nesting -= 1
            return inner
        previous = self._previous()
        if previous is not None and previous.kind == "operator" and previous.text != "(":
            self._fail(f"an operand after '{previous.text}'")
        self._fail("an expression")


def _check_depth(tree: Node) -> None:
    """Refuse trees deeper than MAX_DEPTH (long chains such as a+a+...+a build them
    without recursion, but every later walk over the tree recurses)."""
    level: list[Node] = [tree]
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise ExpressionSyntaxError(
                f"expected an expression at most {MAX_DEPTH} levels deep at column 1, "
                "found a deeper one",
                1,
            )
        level = [child for node in level for child in operands_of(node)]
