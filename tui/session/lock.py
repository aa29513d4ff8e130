"""One sender at a time per group: check-then-PUT is not interleaved by two processes.

Two tgedit processes of one user on one machine (an editor's submit, ``set``, ``apply``,
``revert``) that send to the same group take turns: each holds a lock file of the state
folder, ``locks/<group id>-<server digest>.lock``, from its conflict re-check until the
PUT's audit entry is settled. The second waits its turn (saying so once), then does its
own re-check, so it never overwrites unseen what the first just sent, and its audit
entry's "before" is what it replaced (design.md, "Nothing lost, at the edges too").

``fcntl.flock``: the lock goes with the process, a killed one leaves none behind. Where
there is no ``fcntl`` (Windows) there is no lock either, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from tui.user_dirs import private_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# How often a waiting process tries the lock again (s): the holder's PUT takes longer.
POLL_SECONDS = 0.05


class GroupBusy(Exception):
    """Another process held the group's lock for longer than the wait allowed."""


def lock_path(folder: Path, base_url: str, group_id: int) -> Path:
    from tui.session.draft import public_base_url

    digest = hashlib.sha256(public_base_url(base_url).encode()).hexdigest()[:12]
    return folder / "locks" / f"{group_id}-{digest}.lock"


def try_lock(fd: int) -> bool:
    """Take the exclusive lock of ``fd`` if free; False when another holder has it."""
    if fcntl is None:  # pragma: no cover - Windows
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.asynccontextmanager
async def group_lock(
    folder: Path,
    base_url: str,
    group_id: int,
    *,
    wait: float,
    waiting: Callable[[str], None] | None = None,
) -> AsyncIterator[OSError | None]:
    """Hold the lock of ``group_id`` at ``base_url`` while the block runs. Waits at most
    ``wait`` seconds for another holder (``waiting`` is told once, with a sentence), then
    raises GroupBusy. A lock file that cannot be made (a read-only state folder) does not
    stop the send: the block gets the OSError, to say so, instead of None."""
    path = lock_path(folder, base_url, group_id)
    try:
        private_dir(path.parent)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        yield error
        return
    try:
        deadline = time.monotonic() + wait
        told = False
        while not try_lock(fd):
            if not told and waiting is not None:
                waiting(f"Waiting for another tgedit process that is sending to group {group_id}…")
                told = True
            if time.monotonic() >= deadline:
                raise GroupBusy(
                    f"another tgedit process has been sending to group {group_id} for "
                    f"{wait:g} s (its lock is {path}); nothing was sent: try again"
                )
            await asyncio.sleep(POLL_SECONDS)
        yield None
    finally:
        os.close(fd)  # closing releases the lock
