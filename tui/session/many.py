"""Many groups at once: a fetch for each of many items, at most ``jobs`` of them at a time,
each result handed on in the order of the items, whatever the order they arrive in.

Every request still leaves through the one client (``tui.api.client``): its send loop
keeps the retry policy, and its ``Pause`` holds every fetch when the server answers 429.
Results wait for their turn in a window of a few times ``jobs``, so a slow first group
holds back at most that many, never the whole organisation (``export --all`` of 1,000
groups keeps about 30 in memory, not 1,000).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Fetched results that may wait for an earlier one, per request in flight.
AHEAD = 4


async def each_in_order(
    items: Iterable[T],
    fetch: Callable[[T], Awaitable[R]],
    take: Callable[[T, R], None],
    *,
    jobs: int,
) -> None:
    """``take(item, await fetch(item))`` for each item, in the order of ``items``, with up
    to ``jobs`` fetches running at once. The first failure (of a fetch, in the order of the
    items, or of ``take``) cancels the fetches still running and is raised: what was taken
    before it stays taken, nothing after it is."""
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    running = asyncio.Semaphore(jobs)

    async def one(item: T) -> R:
        async with running:
            return await fetch(item)

    pending: deque[tuple[T, asyncio.Task[R]]] = deque()
    try:
        for item in items:
            pending.append((item, asyncio.ensure_future(one(item))))
            while len(pending) >= jobs * AHEAD:
                _take_next(pending, take, await pending[0][1])
        while pending:
            _take_next(pending, take, await pending[0][1])
    finally:
        for _, task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*(task for _, task in pending), return_exceptions=True)


def _take_next(
    pending: deque[tuple[T, asyncio.Task[R]]], take: Callable[[T, R], None], result: R
) -> None:
    item, _ = pending.popleft()
    take(item, result)
