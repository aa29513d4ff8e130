"""Server text made safe for a terminal: control characters become visible symbols.

A name is free text typed by a loyalty admin. An escape sequence in it (``ESC [2J``,
an OSC 52 clipboard write, a bell) must reach the terminal as text, never as a command.
"""

from __future__ import annotations

import re

# C0 controls map onto the Unicode "control pictures" block (U+2400 + code); DEL and the
# C1 range have no picture, so they are written as \\xNN. The bidirectional overrides
# and isolates (U+202A-202E, U+2066-2069) reorder what follows them on screen, so a
# name could show text in an order it is not stored in: they are written as \\uNNNN.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code > 0xFF:
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"


def visible(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every control character shown as a symbol (␛ for ESC, ␇ for BEL…)."""
    shown = _CONTROL.sub(_picture, text)
    shown = shown.replace("\t", "␉")
    if not keep_newlines:
        shown = shown.replace("\r", "␍").replace("\n", "⏎")
    return shown


def first_line(text: str, limit: int = 120) -> str:
    """One line for a tree label: cut at the first newline (marked ⏎…) or at ``limit``."""
    line, newline, _ = text.partition("\n")
    shown = visible(line, keep_newlines=False)
    cut = len(shown) > limit
    if cut:
        shown = shown[: limit - 1]
    if newline:
        return shown + " ⏎…"
    return shown + "…" if cut else shown


# What json.dumps(..., ensure_ascii=False) leaves raw that a terminal may still obey: DEL,
# the C1 range (U+009B is a one-character CSI for some terminals), and the bidirectional
# overrides and isolates. Inside a JSON string, ``\u0089`` is the same character.
# (As text: ``re`` compiles it at the first use and keeps it. A class of characters past
# U+00FF takes ~2.5 M instructions to compile, and the editor's first frame escapes no JSON.)
_RAW_IN_JSON = "[\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


def json_for_terminal(text: str) -> str:
    """JSON text (or a command holding it) with those characters written as ``\\uNNNN``.

    The JSON still means exactly the same value; C0 controls are escaped by json.dumps.
    """
    return re.sub(_RAW_IN_JSON, lambda m: f"\\u{ord(m.group()):04x}", text)


# --- in an editor -----------------------------------------------------------------------
# An input field draws its text as it is, so a control character in a value being edited
# would reach the terminal. The editors hold an *editable* form instead: each control
# character as its visible symbol, and turn it back on commit, so a value survives an
# edit unchanged wherever the person did not touch it. (Typing a literal ␛ or \x9b into
# a value is the one thing this cannot express; no loyalty name needs it.)

# As text, compiled at the first commit of an edit (see _RAW_IN_JSON).
_EDITABLE_BACK = r"[\u2400-\u241f\u2421]|\\x[89][0-9a-f]|\\u(?:202[a-e]|206[6-9])"


def _editable_picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x7F:
        return "\u2421"  # ␡
    return _picture(match)


def to_editable(text: str) -> str:
    """``text`` for an input field: control characters as symbols (newlines and tabs kept)."""
    return _CONTROL.sub(_editable_picture, text)


def _control_back(match: re.Match[str]) -> str:
    token = match.group()
    if len(token) == 1:
        code = ord(token)
        return "\x7f" if code == 0x2421 else chr(code - 0x2400)
    return chr(int(token[2:], 16))


def from_editable(text: str) -> str:
    """The value an editor's text stands for: the inverse of :func:`to_editable`."""
    return re.sub(_EDITABLE_BACK, _control_back, text)
