"""When a request may be repeated, and how long to wait before it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Statuses that mean "try again shortly": rate limited, or a gateway in front of a
# server that is restarting. 500 is not among them: it usually repeats.
RETRY_STATUSES = frozenset({429, 502, 503, 504})

BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 8.0
RETRY_AFTER_CAP_SECONDS = 30.0


def backoff_delay(attempt: int) -> float:
    """Seconds before repeat number ``attempt`` (0, 1, 2 …): 0.5, 1, 2, 4, 8, 8 …

    No jitter: one person at a terminal is not a thundering herd, and fixed delays keep
    the tests exact.
    """
    return float(min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * (2**attempt)))


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds (a number or an HTTP date), capped; None when absent or bad."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, min(RETRY_AFTER_CAP_SECONDS, seconds))


def retry_delay(status: int | None, retry_after: str | None, attempt: int) -> float:
    """The wait before the next attempt: the server's Retry-After on a 429/503, else backoff."""
    if status in (429, 503):
        asked = parse_retry_after(retry_after)
        if asked is not None:
            return asked
    return backoff_delay(attempt)


class Pause:
    """The one pause of a client's run: a 429 holds every request of that client (every
    worker of ``export --all``, not only the one that got it) until the pause ends.

    The send loop consults it before each request (``_Calls._send_steps``); ``until`` is
    a ``time.monotonic()`` instant, 0 when no pause was ever asked for.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.until = 0.0
        self._clock = clock

    def hold(self, seconds: float) -> float:
        """Pause every request for ``seconds`` from now (a longer pause stays); returns the
        end of this one."""
        end = self._clock() + seconds
        self.until = max(self.until, end)
        return end

    def left(self) -> float:
        """Seconds until the pause ends (0 or less: no pause)."""
        return self.until - self._clock()
