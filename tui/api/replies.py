"""Reading a reply: the envelope, its error and warning items, and a clean excerpt of
anything else. (``errors`` holds the exception types, ``error_messages`` builds them,
``results`` holds what a successful call returns.)

Lenient on purpose: an error reply must never make error handling itself fail, so an
error item with a string code or a missing message is still read.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

EXCERPT_LIMIT = 200

# Patterns as text: ``re`` compiles each at its first use and keeps it. Only a failed
# request's message needs them, and compiling them at import took ~3 M instructions on
# the way to the editor's first frame.
_INVISIBLE_BLOCKS = r"(?is)<(script|style|head)\b.*?</\1\s*>"
_TITLE = r"(?is)<title\b[^>]*>(.*?)</title\s*>"
_TAG = r"<[^>]*>"
_COMMENT = r"(?s)<!--.*?-->"
# C0 and C1 control characters (ESC, BEL, CR, …) and DEL: they could move the cursor or
# retitle a terminal if shown raw.
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_SPACE = r"\s+"
# Whole terminal escape sequences (CSI such as ESC[2J, OSC such as ESC]52;…BEL), so that
# no "[2J" debris is left once the ESC itself is gone.
_ESCAPE_SEQUENCE = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]"


def clean_text(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """Control characters removed, whitespace folded, at most ``limit`` characters."""
    folded = re.sub(_SPACE, " ", re.sub(_ESCAPE_SEQUENCE, "", text))
    cleaned = re.sub(_SPACE, " ", re.sub(_CONTROL, "", folded)).strip()
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def clean_excerpt(body: str, limit: int = EXCERPT_LIMIT) -> str:
    """A short readable excerpt of a reply that is not an envelope (e.g. a proxy's HTML page).

    Tags are stripped (a page's title kept, its head, scripts and styles dropped),
    entities decoded, whitespace folded and control characters removed.
    """
    text = body
    if "<" in text and ">" in text:
        import html  # only for a page that is not the API's JSON

        title = re.search(_TITLE, text)
        text = re.sub(_COMMENT, " ", text)
        text = re.sub(_INVISIBLE_BLOCKS, " ", text)
        text = re.sub(_TAG, " ", text)
        text = html.unescape(text)
        if title:
            title_text = html.unescape(re.sub(_TAG, " ", title.group(1))).strip()
            if title_text and title_text not in text:
                text = f"{title_text} {text}"
    return clean_text(text, limit)


class ReplyItem:
    """One item of an envelope's ``errors`` or ``warnings``: ``{"code": 310008, "message": "…"}``.

    A plain class, not @dataclass: a few per reply at most, and a dataclass compiles its
    methods at import, before the editor's first frame.
    """

    __slots__ = ("code", "message", "other")

    def __init__(self, code: int | None, message: str, other: dict[str, Any] | None = None) -> None:
        self.code = code
        self.message = message
        # Any other keys the item had (``{"field": "orgId"}``), kept for the audit log.
        self.other: dict[str, Any] = {} if other is None else other

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ReplyItem) or type(other) is not type(self):
            return NotImplemented  # an error is never equal to a warning
        return (self.code, self.message, self.other) == (other.code, other.message, other.other)

    def __repr__(self) -> str:  # an ApiError's, in a log or a test
        return (
            f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, "
            f"other={self.other!r})"
        )

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.code is not None else self.message

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.other}


# The two kinds add no field: they inherit ReplyItem's (equal only to an item of the same
# kind, shown under their own name).


class ErrorItem(ReplyItem):
    """An item of ``errors``: the call failed."""

    __slots__ = ()


class WarningItem(ReplyItem):
    """An item of ``warnings``: the call succeeded, and the server adds a remark."""

    __slots__ = ()


Item = TypeVar("Item", bound=ReplyItem)


class Envelope:
    """``{"data", "errors", "warnings"}``; ``has_data`` tells a missing ``data`` from null.

    A plain class, not @dataclass: one per reply, never compared, and a dataclass compiles
    its methods at import, before the editor's first frame.
    """

    __slots__ = ("data", "errors", "has_data", "warnings")

    def __init__(
        self,
        data: Any = None,
        has_data: bool = False,
        errors: list[ErrorItem] | None = None,
        warnings: list[WarningItem] | None = None,
    ) -> None:
        self.data = data
        self.has_data = has_data
        self.errors: list[ErrorItem] = [] if errors is None else errors
        self.warnings: list[WarningItem] = [] if warnings is None else warnings


def reply_items(raw: Any, kind: type[Item]) -> list[Item]:
    """The items of an ``errors`` or ``warnings`` list as ``kind``; a bare string or
    value is an item without a code."""
    if not isinstance(raw, list):
        return []
    items: list[Item] = []
    for entry in raw:
        if isinstance(entry, dict):
            other = {k: v for k, v in entry.items() if k not in ("code", "message")}
            items.append(kind(_code(entry.get("code")), _message(entry.get("message")), other))
        elif entry is not None:
            items.append(kind(None, _message(entry)))
    return items


def error_items(raw: Any) -> list[ErrorItem]:
    return reply_items(raw, ErrorItem)


def warning_items(raw: Any) -> list[WarningItem]:
    return reply_items(raw, WarningItem)


def _code(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _message(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# From this size on a reply is parsed by pydantic-core's JSON parser (jiter, in Rust) in
# about 55 % of json.loads's time: 14 ms instead of 25 ms at 365 × 50 (2.6 MB), ~110 ms
# instead of ~180 ms at 1000 × 100 (12 MB). Loading the parser costs ~1.3 ms
# (``fast_json``), which it wins back from ~350 KB; smaller replies, the most, keep
# the standard library's.
FAST_JSON_FROM = 500_000


def parse_json(text: str) -> Any:
    """``json.loads(text)``, the same objects and the same errors, faster for a big text."""
    if len(text) >= FAST_JSON_FROM:
        from tui.api.fast_json import from_json

        try:
            return from_json()(text)
        except Exception:  # json.loads says what is wrong (or, where jiter is stricter, parses)
            pass
    return json.loads(text)


def decode_envelope(text: str) -> Envelope | None:
    """The envelope of a reply, or None when the text is not a JSON object with its keys."""
    try:
        document = parse_json(text)
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    if not ({"data", "errors", "warnings"} & document.keys()):
        return None
    return Envelope(
        data=document.get("data"),
        has_data="data" in document,
        errors=error_items(document.get("errors")),
        # Older replies leave warnings out: a missing key is an empty list.
        warnings=warning_items(document.get("warnings")),
    )


def format_errors(items: list[ErrorItem], status: int | None = None) -> str:
    """``310008: name too long; 300004: invalid input``, cleaned for a terminal.

    An item whose code is the HTTP ``status`` itself (``401`` with HTTP 401) shows only
    its message: the sentence names the status once already.
    """
    return "; ".join(
        clean_text(item.message if item.code == status and item.message else str(item), 300)
        for item in items
    )


_WHITESPACE = " \t\n\r"


def raw_member(text: str, key: str) -> str | None:
    """The text of ``key``'s value in the JSON object ``text``, byte for byte as sent.

    ``tgedit show --json`` prints this, so that spacing, key order and number spelling
    are the server's own. None when ``text`` is not an object holding ``key``; a key sent
    twice gives its last value, as ``json.loads`` does.
    """
    decoder = json.JSONDecoder()
    found: str | None = None
    at = _skip(text, 0)
    if text[at : at + 1] != "{":
        return None
    at = _skip(text, at + 1)
    if text[at : at + 1] == "}":
        return None
    try:
        while True:
            name, at = decoder.raw_decode(text, at)
            at = _skip(text, at)
            if not isinstance(name, str) or text[at : at + 1] != ":":
                return None
            start = _skip(text, at + 1)
            _, end = decoder.raw_decode(text, start)
            if name == key:
                found = text[start:end]
            at = _skip(text, end)
            if text[at : at + 1] == "}":
                return found
            if text[at : at + 1] != ",":
                return None
            at = _skip(text, at + 1)
    except ValueError:
        return None


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in _WHITESPACE:
        at += 1
    return at
