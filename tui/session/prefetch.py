"""The first GET of the editor, sent from a thread before the editor's code imports.

``tgedit edit ID`` spends its first few hundred milliseconds importing Textual; the
group's GET needs none of it. It goes out through the one send loop
(``tui.api.client``, driven blocking over ``httpx.Client``) in a thread of its own, and ``start``
returns once the request is on its way (its imports and TLS set-up done), bounded by
``SENT_WAIT_SECONDS``: imported side by side, httpx and Textual would share the one
interpreter lock and the GET would leave late. The editor takes the reply when it
mounts. A failure is the editor's to show. The reply is not yet checked against the
group's shape: the editor checks it after its first frame (``GroupService.check_fetched``),
and a submit waits for that check.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.api.connection import Connection
    from tui.api.fetched import FetchedGroup

# The longest ``start`` waits for the request to leave before the editor imports on.
SENT_WAIT_SECONDS = 1.0


class Prefetch:
    """One group's GET in a daemon thread; ``reply()`` gives its result or raises its error."""

    def __init__(self, connection: Connection, group_id: int) -> None:
        self.connection = connection
        self.group_id = group_id
        self._sent = threading.Event()
        self._done = threading.Event()
        self._fetched: FetchedGroup | None = None
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._waiters: list[Callable[[], object]] = []
        self._thread = threading.Thread(target=self._run, name="tgedit-prefetch", daemon=True)

    def start(self) -> Prefetch:
        self._thread.start()
        self._sent.wait(SENT_WAIT_SECONDS)
        return self

    def _run(self) -> None:
        try:
            # The send loop driven blocking (httpx.Client): neither asyncio nor anyio.
            from tui.api.client import fetch_group

            self._fetched = fetch_group(
                self.connection, self.group_id, check=False, on_connecting=self._sent.set
            )
        except BaseException as error:  # handed to whoever waits, as the editor's fetch would
            self._error = error
        finally:
            self._sent.set()
            with self._lock:
                self._done.set()
                waiters, self._waiters = self._waiters, []
            for waiter in waiters:
                with contextlib.suppress(RuntimeError):  # that loop has closed: none waits
                    waiter()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def result(self) -> FetchedGroup | None:
        """The reply of a finished, successful GET; None while running or after a failure."""
        return self._fetched if self._done.is_set() and self._error is None else None

    async def reply(self) -> FetchedGroup:
        """Wait (without blocking the caller's event loop) for the GET to finish.

        The thread wakes the loop when it is done; no thread of the loop's executor
        waits for it, as Python joins those at exit: ``q`` while a GET hangs would wait
        for the GET's timeout before the process could end.
        """
        if not self._done.is_set():
            import asyncio  # the app's loop is running: asyncio is imported already

            loop = asyncio.get_running_loop()
            finished = loop.create_future()

            def wake() -> None:
                if not finished.done():
                    finished.set_result(None)

            with self._lock:
                if self._done.is_set():
                    wake()
                else:
                    self._waiters.append(lambda: loop.call_soon_threadsafe(wake))
            await finished
        if self._error is not None:
            raise self._error
        assert self._fetched is not None
        return self._fetched
