"""Writing a file so that a reader (or a crash) sees the old bytes or the new, never half.

The one way drafts (``draft.py``) and exported groups (``export.py``) reach the disk.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def write_atomically(path: Path, write: Callable[[TextIO], object]) -> None:
    """Let ``write`` fill a temporary file beside ``path`` (UTF-8, ``\\n`` line ends), fsync
    it and rename it over ``path``. The file is private (0600, as ``mkstemp`` makes it)."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
