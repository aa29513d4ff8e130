"""Where tgedit keeps its files: the per-user config and state directories.

One rule for both: ``$XDG_CONFIG_HOME/tgedit`` and ``$XDG_STATE_HOME/tgedit`` when the
variable holds an absolute path, on every platform (platformdirs ignores them on macOS
and Windows, and a test or a second install sets them to move everything at once);
otherwise the platform's own place.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

APP = "tgedit"
Kind = Literal["config", "state"]

_VARIABLE: dict[Kind, str] = {"config": "XDG_CONFIG_HOME", "state": "XDG_STATE_HOME"}
# The XDG defaults, relative to the home directory.
_XDG_DEFAULT: dict[Kind, str] = {"config": ".config", "state": ".local/state"}


def user_dir(kind: Kind, env: Mapping[str, str] | None = None) -> Path:
    """The directory for ``kind``, read from ``env`` (``os.environ`` unless given)."""
    env = os.environ if env is None else env
    value = env.get(_VARIABLE[kind]) or ""
    if os.path.isabs(value):  # the XDG spec says to ignore a relative value
        return Path(value) / APP
    if sys.platform in ("darwin", "win32"):
        import platformdirs  # only here: it costs start-up time and Linux does not need it

        where = platformdirs.user_config_dir if kind == "config" else platformdirs.user_state_dir
        return Path(where(APP, appauthor=False))
    # platformdirs reads os.environ and keeps a relative XDG value: spelled out instead,
    # from the mapping given, it is the same XDG default.
    return Path(env.get("HOME", "~")).expanduser() / _XDG_DEFAULT[kind] / APP


def private_dir(path: Path) -> Path:
    """``path``, made with every missing folder above it readable by this user only.

    ``mkdir(parents=True, mode=0o700)`` gives that mode to the last folder alone: the
    state folder above the drafts would be left readable by others. A folder of
    tgedit's own that an earlier version made 0755 is made private too.
    """
    missing: list[Path] = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    for folder in (path, *path.parents):
        if folder.name == APP:
            folder.chmod(0o700)
            break
    return path
