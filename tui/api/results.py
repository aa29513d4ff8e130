"""What the client's calls return besides a fetched group (``fetched``): an edit's
result, a conflict, and a record of each request sent (for "show me the curl")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tui.api.curl import curl_command, is_secret_header
from tui.api.fetched import last_updated_on
from tui.api.replies import WarningItem
from tui.api.urls import public_url


@dataclass(slots=True)
class EditResult:
    """The reply to the edit call: the whole updated group, warnings, and the HTTP status."""

    group: dict[str, Any] = field(repr=False)  # as FetchedGroup's
    warnings: list[WarningItem]
    status: int
    text: str = field(default="", repr=False)

    @property
    def last_updated_on(self) -> str | None:
        return last_updated_on(self.group)


@dataclass(slots=True)
class Conflict:
    """The group changed on the server since it was fetched: its change marker moved."""

    expected: str | None
    actual: str | None
    current_group: dict[str, Any] = field(repr=False)  # as FetchedGroup's


@dataclass(slots=True)
class SentRequest:
    """One request as it went out. ``repr()`` hides credential headers; ``curl()`` too,
    unless asked to reveal them. A token call's body is stored redacted."""

    method: str
    url: str
    headers: dict[str, str]
    body_text: str | None

    def curl(self, *, reveal_secrets: bool = False) -> str:
        return curl_command(
            self.method, self.url, self.headers, self.body_text, reveal_secrets=reveal_secrets
        )

    def __repr__(self) -> str:
        shown = {k: ("<redacted>" if is_secret_header(k) else v) for k, v in self.headers.items()}
        return (
            f"SentRequest(method={self.method!r}, url={public_url(self.url)!r}, "
            f"headers={shown!r}, body_text={self.body_text!r})"
        )


def same_instant(a: str | None, b: str | None) -> bool:
    """True when two change markers name the same moment.

    Compared as instants when both parse (``…+0000``, ``…Z`` and ``+05:30`` spellings of
    one moment are equal), otherwise as text; a missing marker equals only a missing one.
    """
    if a is None or b is None:
        return a is b
    if a == b:
        return True
    try:
        first, second = datetime.fromisoformat(a), datetime.fromisoformat(b)
    except ValueError:
        return False
    if (first.tzinfo is None) != (second.tzinfo is None):
        return False
    return first == second
