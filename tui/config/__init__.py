"""Connection settings: flags, then environment, then a profile of the config file.

``resolve_settings`` merges the three layers; ``connection_for`` turns the result into
a ``tui.api.connection.Connection``. No Textual here: the headless commands use it too. Reading a
config file (``tui.config.parse``, pydantic) is imported only when there is one.
"""

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
from tui.config.secrets import run_secret_command
from tui.config.settings import (
    ENV_VARS,
    FLAGS,
    PROFILE_ENV,
    SETTINGS,
    Settings,
    resolve_settings,
)

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
    "Settings",
    "Tuning",
    "connection_for",
    "default_config_path",
    "load_config",
    "missing_message",
    "resolve_settings",
    "run_secret_command",
]
