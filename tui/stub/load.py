"""How busy the stand-in is: requests in flight (for the tests of a bounded client), and a
rate limit (for the tests and the bench of a client that must slow down when told).

The rate limit is the API's (api.md: 429 for rate limiting): above ``per_second``
requests answered in the last second, a request is answered 429 with ``Retry-After: 1``
and the API's error envelope, and counts for nothing. A client that obeys waits the
second out before it sends again; a request that arrives during such a pause is counted
in ``during_pause``. A request sent before its client could have read the 429 arrives
within a few milliseconds of it: ``PAUSE_GRACE`` leaves those out.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

RETRY_AFTER_SECONDS = 1
# A request that arrives this soon after a 429 was sent was on its way before the client
# could have read it (127.0.0.1: well under a millisecond).
PAUSE_GRACE = 0.05


class Load:
    """Requests in flight now and at most, rate-limit answers and requests during a pause.

    Thread-safe: each request is handled on a thread of its own.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self.per_second: float | None = None  # None: no rate limit
        self._in_flight = 0
        self._peak = 0
        self._answered: deque[float] = (
            deque()
        )  # when each request of the last second was let through
        self._pauses: deque[float] = deque()  # when each 429 of the last pause was sent
        self._limited = 0
        self._during_pause = 0

    # --- what the tests and the bench read ---------------------------------------------

    @property
    def in_flight(self) -> int:
        """Requests received and not yet answered."""
        with self._lock:
            return self._in_flight

    @property
    def peak_in_flight(self) -> int:
        """The most requests in flight at one moment since the start (or ``reset()``)."""
        with self._lock:
            return self._peak

    @property
    def limited(self) -> int:
        """Requests answered 429 by the rate limit."""
        with self._lock:
            return self._limited

    @property
    def during_pause(self) -> int:
        """Requests that arrived while a 429 of the rate limit asked the client to wait."""
        with self._lock:
            return self._during_pause

    def reset(self) -> None:
        with self._lock:
            self._peak = self._in_flight
            self._limited = self._during_pause = 0
            self._answered.clear()
            self._pauses.clear()

    # --- used by the handler -----------------------------------------------------------

    def arrived(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
            now = self._clock()
            while self._pauses and self._pauses[0] + RETRY_AFTER_SECONDS <= now:
                self._pauses.popleft()
            if any(sent + PAUSE_GRACE < now for sent in self._pauses):
                self._during_pause += 1

    def answered(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def over_limit(self) -> bool:
        """Whether this request is to be answered 429 (and then ``paused()`` once it is);
        a request let through counts towards the limit."""
        with self._lock:
            if self.per_second is None:
                return False
            now = self._clock()
            while self._answered and self._answered[0] <= now - 1.0:
                self._answered.popleft()
            if len(self._answered) >= self.per_second:
                self._limited += 1
                return True
            self._answered.append(now)
            return False

    def paused(self) -> None:
        """A 429 of the rate limit was sent just now: the client must wait from here."""
        with self._lock:
            self._pauses.append(self._clock())
