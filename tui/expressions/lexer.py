"""Tokens of the expression language: numbers, strings, names and operators.

Also the spelling rules the printer must obey to write text that reads back the same
(what a number looks like, what a name looks like, how a string is escaped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from tui.expressions.errors import ExpressionSyntaxError

TokenKind = Literal["number", "string", "name", "operator", "end"]

NUMBER_RE: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?")
IDENTIFIER_RE: Final = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
WHITESPACE_RE: Final = re.compile(r"\s+")
KEYWORDS: Final = frozenset({"true", "false"})

# Longest first, so ">=" is never read as ">" then "=".
OPERATORS: Final = (
    "&&", "||", "==", "!=", ">=", "<=",
    ">", "<", "+", "-", "*", "/", "%", "!", "(", ")", ",", ".",
)  # fmt: skip
# A lone character that starts a two-character operator: name the operator meant.
HALF_OPERATORS: Final = {"&": "&&", "|": "||", "=": "=="}

ESCAPES: Final = {'"': '"', "\\": "\\", "/": "/", "'": "'",
                  "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}  # fmt: skip
PRINT_ESCAPES: Final = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f",
                        "\n": "\\n", "\r": "\\r", "\t": "\\t"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str  # as written in the source
    value: str  # a string's decoded contents; the text for every other kind
    column: int  # 1-based

    def describe(self) -> str:
        """How an error message names this token ("found ...")."""
        if self.kind == "end":
            return "end of input"
        if self.kind == "operator":
            return f"'{self.text}'"
        if self.kind == "name" and self.text in KEYWORDS:
            return self.text
        shown = self.text if len(self.text) <= 20 else self.text[:17] + "..."
        return f"{self.kind} {shown}"


def is_number_text(text: str) -> bool:
    return NUMBER_RE.fullmatch(text) is not None


def is_identifier(text: str) -> bool:
    return IDENTIFIER_RE.fullmatch(text) is not None


def quote(value: str) -> str:
    """A string literal that reads back as ``value``; control characters are escaped so
    the text is safe to show in a terminal."""
    out = ['"']
    for char in value:
        if char in PRINT_ESCAPES:
            out.append(PRINT_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or 0xD800 <= ord(char) < 0xE000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an ``end`` token one column past the text."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        space = WHITESPACE_RE.match(text, position)
        if space:
            position = space.end()
            continue
        token = _token_at(text, position)
        tokens.append(token)
        position += len(token.text)
    tokens.append(Token("end", "", "", len(text) + 1))
    return tokens


def _token_at(text: str, position: int) -> Token:
    column = position + 1
    char = text[position]
    if char == '"':
        return _string_at(text, position)
    number = NUMBER_RE.match(text, position)
    if number:
        return Token("number", number.group(), number.group(), column)
    name = IDENTIFIER_RE.match(text, position)
    if name:
        return Token("name", name.group(), name.group(), column)
    for operator in OPERATORS:
        if text.startswith(operator, position):
            return Token("operator", operator, operator, column)
    if char in HALF_OPERATORS:
        wanted = HALF_OPERATORS[char]
        raise ExpressionSyntaxError(
            f"expected '{wanted}' at column {column}, found '{char}'", column
        )
    raise ExpressionSyntaxError(
        f"expected a name, number, string or operator at column {column}, "
        f"found unexpected character {char!r}",
        column,
    )


def _string_at(text: str, start: int) -> Token:
    """A double-quoted string starting at ``start``, with JSON's backslash escapes."""
    chars: list[str] = []
    position = start + 1
    while position < len(text):
        char = text[position]
        if char == '"':
            return Token("string", text[start : position + 1], "".join(chars), start + 1)
        if char != "\\":
            chars.append(char)
            position += 1
            continue
        decoded, position = _escape_at(text, position)
        chars.append(decoded)
    end = len(text) + 1
    raise ExpressionSyntaxError(
        f"expected '\"' at column {end} to end the string that starts at column {start + 1}, "
        "found end of input",
        end,
    )


def _escape_at(text: str, backslash: int) -> tuple[str, int]:
    """The character an escape stands for, and the position after the escape."""
    column = backslash + 1
    letter = text[backslash + 1 : backslash + 2]
    if letter in ESCAPES and letter:
        return ESCAPES[letter], backslash + 2
    if letter == "u":
        code = _hex4(text, backslash + 2)
        if code is None:
            raise ExpressionSyntaxError(
                f"expected four hex digits after '\\u' at column {column + 2}", column + 2
            )
        after = backslash + 6
        # A surrogate pair written as two escapes is one character, as in JSON.
        low = _hex4(text, after + 2) if text.startswith("\\u", after) else None
        if 0xD800 <= code < 0xDC00 and low is not None and 0xDC00 <= low < 0xE000:
            return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)), after + 6
        return chr(code), after
    found = "end of input" if not letter else repr(letter)
    raise ExpressionSyntaxError(
        f"expected one of \" \\ / ' b f n r t u after the backslash at column {column}, "
        f"found {found}",
        column,
    )


def _hex4(text: str, position: int) -> int | None:
    digits = text[position : position + 4]
    if len(digits) == 4 and all(c in "0123456789abcdefABCDEF" for c in digits):
        return int(digits, 16)
    return None
