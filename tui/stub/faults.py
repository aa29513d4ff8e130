"""Switches that make the stand-in server misbehave the ways the real one (or a proxy) can.

Tests set them on ``server.faults`` while the server runs; each is read per request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields
from http import HTTPStatus
from typing import Any

# The error item a faulted reply carries when a test gives none of its own. The codes
# the API documents are used where one fits; the others reuse the HTTP status.
_FAULT_ERRORS: dict[int, tuple[int, str]] = {
    400: (300004, "invalid input"),
    401: (401, "the credentials were refused"),
    403: (403, "access denied: this client may not use target groups"),
    404: (404, "not found"),
    429: (429, "too many requests: the limit is 100 calls a minute"),
}


def fault_errors(status: int) -> list[dict[str, Any]]:
    code, message = _FAULT_ERRORS.get(status, (status, _phrase(status)))
    return [{"code": code, "message": message}]


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "error"


class Gate:
    """Replies held until the test lets them go: "while loading" as a state, not a window.

    ``hold()`` (optionally only for one method and/or path) makes every matching request
    wait at the gate after it was received and recorded; ``wait_until_held(n)`` returns
    once ``n`` requests have arrived there since ``hold()``; ``release()`` lets every held
    request go on and stops holding. ``StubServer.stop()`` releases the gate, so a test
    that never releases it still ends.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._holding = False
        self._method: str | None = None
        self._path: str | None = None
        self._arrived = 0
        self._held = 0

    def hold(self, method: str | None = None, path: str | None = None) -> None:
        """Hold every request from now on (only ``method`` / ``path`` when given)."""
        with self._changed:
            self._holding = True
            self._method = method.upper() if method else None
            self._path = path
            self._arrived = 0

    def release(self) -> None:
        """Let every held request go on, and hold no more."""
        with self._changed:
            self._holding = False
            self._changed.notify_all()

    @property
    def arrived(self) -> int:
        """How many requests reached the gate since ``hold()`` (held now or let go since)."""
        with self._changed:
            return self._arrived

    @property
    def held(self) -> int:
        """How many requests wait at the gate now."""
        with self._changed:
            return self._held

    def wait_until_held(self, count: int = 1, timeout: float = 10.0) -> bool:
        """Block until ``count`` requests have arrived since ``hold()``; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self._arrived >= count, timeout)

    def pass_through(self, method: str, path: str) -> None:
        """Called by the handler for each request: returns at once, or when released."""
        with self._changed:
            if not self._matches(method, path):
                return
            self._arrived += 1
            self._held += 1
            self._changed.notify_all()
            self._changed.wait_for(lambda: not self._holding)
            self._held -= 1
            self._changed.notify_all()

    def _matches(self, method: str, path: str) -> bool:
        return (
            self._holding
            and (self._method is None or self._method == method.upper())
            and (self._path is None or self._path == path)
        )


@dataclass
class Faults:
    """What to break. All off by default; ``clear()`` turns them all off again.

    - ``put_status``: answer every PUT with this status and an error envelope
      (``put_errors`` or a default item); nothing is applied.
    - ``status_for_get``: answer every GET with this status and an error envelope.
    - ``get_statuses``: answer the next GETs with these statuses, one each, then normally
      (e.g. ``[503, 503]``: two failures, then success).
    - ``retry_after``: a ``Retry-After`` header on faulted 429 and 503 replies.
    - ``html_error``: answer every request with a proxy's HTML page, status ``html_status``.
    - ``delay``: seconds to wait before answering anything (cut short by ``stop()``).
      A read timeout is what it is for; for "while a request is in flight" use ``gate``.
    - ``gate``: a ``Gate`` that holds replies until the test releases them.
    - ``drop_connection``: close the socket without answering.
    - ``concurrent_edit``: someone else edits the group: before answering the next GET or
      PUT of a group that this server has already sent once (GET of that one group), the
      server changes its description and moves ``attribution.lastUpdatedOn``, then the
      switch turns itself off. So it may be set before or after the client loads the
      group: the load is answered as it was, and the conflict check (or the PUT, if the
      client skips the check) meets the other person's change.
    - ``errors_on_success``: error items added to every 2xx reply (data kept).
    - ``omit_data``: 2xx replies leave out the ``data`` key.
    """

    put_status: int | None = None
    put_errors: list[dict[str, Any]] | None = None
    status_for_get: int | None = None
    get_statuses: list[int] = field(default_factory=list)
    retry_after: str | None = None
    html_error: bool = False
    html_status: int = 502
    delay: float = 0.0
    drop_connection: bool = False
    concurrent_edit: bool = False
    errors_on_success: list[dict[str, Any]] | None = None
    omit_data: bool = False
    gate: Gate = field(default_factory=Gate, compare=False, repr=False)

    def clear(self) -> None:
        for spec in fields(self):
            if spec.name == "gate":
                # The same gate stays (tests hold on to it); what it holds goes on.
                self.gate.release()
                continue
            default = spec.default_factory() if callable(spec.default_factory) else spec.default
            setattr(self, spec.name, default)

    def next_get_status(self) -> int | None:
        """The status a GET is to be answered with instead of its real answer, if any."""
        if self.get_statuses:
            return self.get_statuses.pop(0)
        return self.status_for_get
