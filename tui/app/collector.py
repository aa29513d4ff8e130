"""The garbage collector waits while the editor starts (why, with the figures:
docs/performance.md, "The collector waits for the first frame")."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def pause() -> None:
    """From the editor's start (before its imports and the group's loading)."""
    gc.disable()


def resume() -> None:
    """At the first frame. What exists then lives as long as the run: it is frozen out of
    the collector's walks, which would otherwise go over all of it at the first keys."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """Around reading a group file (a big one is a million objects); the collector is as
    it was after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
