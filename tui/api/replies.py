"""Reading a reply: the envelope, its error and warning items, and a clean excerpt of
anything else. (``errors`` holds the exception types, ``error_messages`` builds them,
``results`` holds what a successful call returns.)

Lenient on purpose: an error reply must never make error handling itself fail, so an
error item with a string code or a missing message is still read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

import jiter

EXCERPT_LIMIT = 200

# Only the start of a page is read for an excerpt: an excerpt is 200 characters, and a
# reply may be megabytes.
EXCERPT_SOURCE_LIMIT = 65_536
# C0 and C1 control characters (ESC, BEL, CR, …) and DEL: they could move the cursor or
# retitle a terminal if shown raw.
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_SPACE = r"\s+"
# Whole terminal escape sequences (CSI such as ESC[2J, OSC such as ESC]52;…BEL), so that
# no "[2J" debris is left once the ESC itself is gone.
_ESCAPE_SEQUENCE = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]"
# Elements whose content is not shown on a page.
_INVISIBLE = ("script", "style", "head")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def clean_text(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """Control characters removed, whitespace folded, at most ``limit`` characters."""
    folded = re.sub(_SPACE, " ", re.sub(_ESCAPE_SEQUENCE, "", text[:EXCERPT_SOURCE_LIMIT]))
    cleaned = re.sub(_SPACE, " ", re.sub(_CONTROL, "", folded)).strip()
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def clean_excerpt(body: str, limit: int = EXCERPT_LIMIT) -> str:
    """A short readable excerpt of a reply that is not an envelope (e.g. a proxy's HTML page).

    Tags are stripped (a page's title kept, its head, scripts and styles dropped),
    entities decoded, whitespace folded and control characters removed.
    """
    text = body[:EXCERPT_SOURCE_LIMIT]
    if "<" in text and ">" in text:
        import html  # only for a page that is not the API's JSON

        lowered = text.translate(_ASCII_LOWER)  # same length, so indexes carry over
        title = _title(text, lowered)
        text = html.unescape(_visible_text(text, lowered))
        if title:
            title_text = html.unescape(title).strip()
            if title_text and title_text not in text:
                text = f"{title_text} {text}"
    return clean_text(text, limit)


def _title(text: str, lowered: str) -> str:
    start = lowered.find("<title")
    opened = lowered.find(">", start) if start >= 0 else -1
    end = lowered.find("</title", opened) if opened >= 0 else -1
    return _visible_text(text[opened + 1 : end], lowered[opened + 1 : end]) if end >= 0 else ""


def _visible_text(text: str, lowered: str) -> str:
    """The text outside tags, comments, and head/script/style elements.

    One pass with ``str.find``, each search starting where the last ended: linear in the
    length (a regex with ``.*?`` rescanned the rest at every unclosed ``<head>``).
    """
    parts: list[str] = []
    at = 0
    while True:
        start = text.find("<", at)
        if start < 0:
            parts.append(text[at:])
            break
        parts.append(text[at:start])
        if lowered.startswith("<!--", start):
            end = lowered.find("-->", start + 4)
            at = len(text) if end < 0 else end + 3
            parts.append(" ")
            continue
        close = lowered.find(">", start)
        if close < 0:  # no tag can close after here: the rest is text
            parts.append(text[start:])
            break
        name = lowered[start + 1 : close].split(None, 1)[0] if close > start + 1 else ""
        at = close + 1
        if name in _INVISIBLE:
            end = lowered.find(f"</{name}", at)
            if end < 0:  # never closed: the rest is inside it
                break
            close = lowered.find(">", end)
            at = len(text) if close < 0 else close + 1
        parts.append(" ")
    return "".join(parts)


@dataclass(slots=True)
class ReplyItem:
    """One item of an envelope's ``errors`` or ``warnings``: ``{"code": 310008, "message": "…"}``.

    Equal only to an item of the same kind (an error is never equal to a warning).
    """

    code: int | None
    message: str
    # Any other keys the item had (``{"field": "orgId"}``), kept for the audit log.
    other: dict[str, Any] = field(default_factory=dict)

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


@dataclass(slots=True, eq=False)
class Envelope:
    """``{"data", "errors", "warnings"}``; ``has_data`` tells a missing ``data`` from null."""

    data: Any = None
    has_data: bool = False
    errors: list[ErrorItem] = field(default_factory=list)
    warnings: list[WarningItem] = field(default_factory=list)


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


def parse_json(data: str | bytes) -> Any:
    """The JSON value of a reply, parsed by ``jiter`` (see the performance document).

    Stricter than ``json.loads`` where a reply cannot be a group: nesting deeper than
    200 and unpaired surrogate escapes are ValueErrors.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return jiter.from_json(data)


def json_problem(data: bytes) -> str | None:
    """What makes ``data`` unreadable, when it is more than "not JSON": for a message."""
    try:
        parse_json(data)
    except ValueError as error:
        said = str(error)
        if "recursion limit" in said:
            return "JSON nested deeper than any target group"
        if "utf-8" in said.lower() or "unicode" in said.lower() or "hex escape" in said:
            return f"JSON that is not valid unicode ({clean_text(said, 80)})"
    return None


def decode_envelope(text: str | bytes) -> Envelope | None:
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
