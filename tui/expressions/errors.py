"""The exceptions of the expression package: one base, so a caller can catch broadly."""

from __future__ import annotations


class ExpressionError(ValueError):
    """Anything wrong with an expression or with an expression tree."""


class ExpressionSyntaxError(ExpressionError):
    """The expression text does not follow the grammar.

    ``column`` is 1-based and counts characters from the start of the text (a newline
    counts as one character); ``message`` says what was expected there and repeats the
    column, so ``str(error)`` alone is enough for a status line.
    """

    def __init__(self, message: str, column: int) -> None:
        # Both go to args so the exception pickles and compares like any other.
        super().__init__(message, column)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return self.message


class ExpressionTreeError(ExpressionError):
    """An expressionJson tree that is not valid JSON or not a tree this package can read."""
