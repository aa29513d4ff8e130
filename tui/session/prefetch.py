"""The first GET of the editor, started in a thread while the editor's code imports.

``tgedit edit ID`` spends its first few hundred milliseconds importing Textual; the
group's GET needs none of it. Started right after the arguments are parsed, the GET
runs meanwhile in a thread of its own; the editor takes the reply when it mounts. It is
the standard library's GET (``tui.api.plain_get``): httpx's import would compete with
Textual's for the one GIL, and the app imports httpx only when it sends again. A
failure is the editor's to show; it is not repeated over httpx. The reply is not
yet checked against the models: the editor checks it after its first frame
(``GroupService.check_fetched``), and a submit waits for that check.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.api import Connection, FetchedGroup


class Prefetch:
    """One group's GET in a daemon thread; ``reply()`` gives its result or raises its error."""

    def __init__(self, connection: Connection, group_id: int) -> None:
        self.connection = connection
        self.group_id = group_id
        self._done = threading.Event()
        self._fetched: FetchedGroup | None = None
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._waiters: list[Callable[[], object]] = []
        self._thread = threading.Thread(target=self._run, name="tgedit-prefetch", daemon=True)

    def start(self) -> Prefetch:
        # The GET's modules (http.client, email, the reply reading: ~10 ms) are imported
        # here, before the thread starts. Imported in the thread, they ran while this thread
        # imported Textual, and the two handed the interpreter lock to each other at every
        # file they read: ~450 context switches before the first frame against the bare
        # app's ~70, and about 5 % more wall time (paired runs, whole processes).
        import tui.api.plain_get  # noqa: F401

        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self._fetched = self._fetch()
        except BaseException as error:  # handed to whoever waits, as the editor's fetch would
            self._error = error
        finally:
            with self._lock:
                self._done.set()
                waiters, self._waiters = self._waiters, []
            for waiter in waiters:
                with contextlib.suppress(RuntimeError):  # that loop has closed: none waits
                    waiter()

    def _fetch(self) -> FetchedGroup:
        from tui.api.plain_get import fetch_group

        return fetch_group(self.connection, self.group_id, check=False)

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
