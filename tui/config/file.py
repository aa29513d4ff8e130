"""The config file: ``$XDG_CONFIG_HOME/tgedit/config.toml``, and what it gives.

``load_config`` reads it strictly (``tui.config.parse``): unknown keys are errors naming
the file and the key, and a file that holds a secret must be private.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tui.user_dirs import user_dir

if TYPE_CHECKING:
    from tui.config.parse import Profile

BodyMode = Literal["minimal", "full"]
# How the editor copies: plain OSC 52, OSC 52 in tmux's passthrough wrapper, or not at all.
ClipboardMode = Literal["osc52", "tmux-passthrough", "off"]
CLIPBOARD_MODES: tuple[ClipboardMode, ...] = ("osc52", "tmux-passthrough", "off")


class ConfigError(ValueError):
    """A config or setting that cannot be used; the message says what to change."""


# Tuning and ConfigFile are plain classes, not @dataclass: one or two per run, never
# compared, and a dataclass compiles its methods at import, before the first frame.
class Tuning:
    """What a profile, or the file's top level, sets besides the connection; None: not set."""

    __slots__ = ("allow_http", "body", "ca_bundle", "timeout_connect", "timeout_read")

    def __init__(
        self,
        timeout_connect: float | None = None,
        timeout_read: float | None = None,
        body: BodyMode | None = None,
        ca_bundle: str | None = None,
        allow_http: bool | None = None,
    ) -> None:
        self.timeout_connect = timeout_connect
        self.timeout_read = timeout_read
        self.body = body
        # A private CA to trust besides the public ones, and plain http to a remote host.
        self.ca_bundle = ca_bundle
        self.allow_http = allow_http


class ConfigFile:
    __slots__ = ("clipboard", "default_profile", "keys", "path", "profiles", "tuning")

    def __init__(
        self,
        path: Path | None,
        default_profile: str | None = None,
        profiles: Mapping[str, Profile] | None = None,
        keys: Mapping[str, str] | None = None,
        tuning: Tuning | None = None,
        clipboard: ClipboardMode | None = None,
    ) -> None:
        self.path = path
        self.default_profile = default_profile
        self.profiles: Mapping[str, Profile] = {} if profiles is None else profiles
        self.keys: Mapping[str, str] = {} if keys is None else keys
        self.tuning = Tuning() if tuning is None else tuning
        # None: decide by the terminal (plain OSC 52; tmux's wrapper only where tmux allows it).
        self.clipboard = clipboard

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "the config file"


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
    # Only when there is a file: most runs have none, and reading one strictly (tomllib,
    # the profiles) costs more than the rest of this module.
    from tui.config.parse import parse_config

    return parse_config(raw, mode, path)
