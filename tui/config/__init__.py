"""Connection settings: flags, then environment, then a profile of the config file.

``resolve_settings`` merges the three layers; ``connection_for`` turns the result into
a ``tui.api.Connection``. No Textual here: the headless commands use it too.

Every name is imported from its module on first use (``tui.lazy_exports``): reading a
config file strictly (``parse``) is only needed when there is one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from tui.config.connection import WAYS_TO_CONNECT, connection_for, missing_message
    from tui.config.file import (
        CLIPBOARD_MODES,
        ClipboardMode,
        ConfigError,
        ConfigFile,
        Tuning,
        default_config_path,
        load_config,
    )
    from tui.config.parse import Profile
    from tui.config.secrets import run_secret_command
    from tui.config.settings import (
        ENV_VARS,
        FLAGS,
        PROFILE_ENV,
        SETTINGS,
        Settings,
        resolve_settings,
    )

_LAZY = {
    **dict.fromkeys(
        ("WAYS_TO_CONNECT", "connection_for", "missing_message"), "tui.config.connection"
    ),
    **dict.fromkeys(
        (
            "CLIPBOARD_MODES",
            "ClipboardMode",
            "ConfigError",
            "ConfigFile",
            "Tuning",
            "default_config_path",
            "load_config",
        ),
        "tui.config.file",
    ),
    "Profile": "tui.config.parse",
    "run_secret_command": "tui.config.secrets",
    **dict.fromkeys(
        ("ENV_VARS", "FLAGS", "PROFILE_ENV", "SETTINGS", "Settings", "resolve_settings"),
        "tui.config.settings",
    ),
}

if not TYPE_CHECKING:  # mypy reads the imports above, and so catches a misspelt name
    __getattr__ = lazy_exports(__name__, _LAZY)

__all__ = [
    "CLIPBOARD_MODES",
    "ENV_VARS",
    "FLAGS",
    "PROFILE_ENV",
    "SETTINGS",
    "WAYS_TO_CONNECT",
    "ClipboardMode",
    "ConfigError",
    "ConfigFile",
    "Profile",
    "Settings",
    "Tuning",
    "connection_for",
    "default_config_path",
    "load_config",
    "missing_message",
    "resolve_settings",
    "run_secret_command",
]
