"""The export format: a target group as a file, shared by ``tgedit export``, ``apply``,
``diff`` and the editor's ``w``.

A file holds the ``data`` object of the group's GET reply exactly as fetched (no
envelope): JSON with a 2-space indent, the server's key order (``json.loads`` keeps it),
non-ASCII characters as they are, and a trailing newline. One server state always gives
the same bytes. Control characters inside strings are JSON escapes (``\\u001b``), so a
file never holds a raw escape sequence.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from tui.session.atomic_write import write_atomically
from tui.terminal_text import visible

# A 1000-period × 100-target group exports to 22 MB (measured); a file over twice that is
# not a target group someone edited, and reading it whole would cost memory for nothing.
MAX_FILE_BYTES = 48 * 1024 * 1024
DEFAULT_DIR = Path("target-groups")


class GroupFileError(ValueError):
    """A file that is not a target group in the export format; the message names it."""


def export_text(group: dict[str, Any]) -> str:
    return json.dumps(group, ensure_ascii=False, indent=2) + "\n"


def file_name(group_id: int) -> str:
    return f"{group_id}.json"


def write_group_file(path: Path, group: dict[str, Any]) -> None:
    """Write atomically (temporary file, fsync, rename): a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda handle: handle.write(export_text(group)))


def shown_name(path: Path | str) -> str:
    """A file name fit for one line on a terminal: control characters made visible."""
    return visible(str(path), keep_newlines=False)


class _TwiceOrNotJson(ValueError):
    """A file the json module would take that is still not a group to apply."""


def _one_of_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys silently: which one the author meant is unclear.
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _TwiceOrNotJson(f"has the key {json.dumps(key)} twice in one object")
        seen[key] = value
    return seen


def _no_constant(word: str) -> Any:
    # NaN and Infinity: Python reads them, JSON has no such values and no server sends them.
    raise _TwiceOrNotJson(f"holds {word}, which is not JSON")


def read_group_file(path: Path) -> dict[str, Any]:
    """A target group from a file in the export format (a saved reply envelope is taken
    too). GroupFileError, naming the file, for anything else: too big, not UTF-8, not
    JSON, not an object, no numeric id, or a group of the wrong shape."""
    from tui.model.check import check_group
    from tui.model.errors import ModelError, unwrap_group

    name = shown_name(path)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # /dev/zero or a pipe would never end
            raise GroupFileError(f"{name} is not a regular file")
        too_big = (
            f"a target group file may be at most {MAX_FILE_BYTES // 1024 // 1024} MB, "
            "so it was not read"
        )
        if status.st_size > MAX_FILE_BYTES:
            raise GroupFileError(f"{name} is {status.st_size / 1024 / 1024:.0f} MB; {too_big}")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # it may have grown since the stat
        if len(data) > MAX_FILE_BYTES:
            raise GroupFileError(f"{name} is over the limit; {too_big}")
        text = data.decode("utf-8")
    except OSError as error:
        raise GroupFileError(f"cannot read {name}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise GroupFileError(f"{name} is not UTF-8 text (byte {error.start + 1})") from None
    try:
        document = json.loads(text, object_pairs_hook=_one_of_each, parse_constant=_no_constant)
    except _TwiceOrNotJson as error:
        raise GroupFileError(f"{name} {error}") from None
    except ValueError as error:
        raise GroupFileError(f"{name} is not JSON: {error}") from None
    source = f"the file {name}"
    try:
        group = unwrap_group(document, source=source)
        group_id = group.get("id")
        if isinstance(group_id, bool) or not isinstance(group_id, int):
            raise ModelError(f'{source} holds no numeric target group id ("id")')
        check_group(group, source=source)
    except ModelError as error:
        raise GroupFileError(visible(str(error), keep_newlines=False)) from None
    return group
