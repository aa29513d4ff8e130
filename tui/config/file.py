"""The config file: ``$XDG_CONFIG_HOME/tgedit/config.toml``, and what it gives.

``load_config`` reads it strictly (``tui.config.parse``, pydantic models of its tables):
unknown keys are errors naming the file, the table and the key, and a file that holds a
secret must be private.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tui.user_dirs import user_dir

if TYPE_CHECKING:
    from tui.config.parse import Profile

BodyMode = Literal["minimal", "full"]
# How the editor copies: plain OSC 52, OSC 52 in tmux's passthrough wrapper, or not at all.
ClipboardMode = Literal["osc52", "tmux-passthrough", "off"]
CLIPBOARD_MODES: tuple[ClipboardMode, ...] = ("osc52", "tmux-passthrough", "off")
# Requests in flight at once when many groups are read (``--jobs``, the ``jobs`` key).
DEFAULT_JOBS = 8
MAX_JOBS = 64


class ConfigError(ValueError):
    """A config or setting that cannot be used; the message says what to change."""


@dataclass(slots=True)
class Tuning:
    """What a profile, or the file's top level, sets besides the connection; None: not set."""

    timeout_connect: float | None = None
    timeout_read: float | None = None
    body: BodyMode | None = None
    # A private CA to trust besides the public ones, and plain http to a remote host.
    ca_bundle: str | None = None
    allow_http: bool | None = None
    # Requests in flight at once when many groups are read (export, diff, apply, list).
    jobs: int | None = None


@dataclass(slots=True)
class ConfigFile:
    path: Path | None
    default_profile: str | None = None
    profiles: Mapping[str, Profile] = field(default_factory=dict)
    keys: Mapping[str, str] = field(default_factory=dict)
    tuning: Tuning = field(default_factory=Tuning)
    # None: decide by the terminal (plain OSC 52; tmux's wrapper only where tmux allows it).
    clipboard: ClipboardMode | None = None


def default_config_path(env: Mapping[str, str]) -> Path:
    return user_dir("config", env) / "config.toml"


def load_config(path: Path) -> ConfigFile:
    """Read and check the file; a missing file is an empty config, not an error."""
    try:
        raw = path.read_bytes()
        mode = path.stat().st_mode
    except FileNotFoundError:
        return ConfigFile(path=None)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    # Only when there is a file: most runs have none, and pydantic's import is most of the
    # cost of reading one.
    from tui.config.parse import parse_config

    return parse_config(raw, mode, path)
