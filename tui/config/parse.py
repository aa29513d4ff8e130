"""Reading the config file strictly (``tui.config.file`` imports this only when there is one).

Unknown keys are errors naming the file and the key (a typo such as ``pasword`` must
not be ignored in silence). A file that holds a secret must be readable by its owner
only; one that names a command to run must not be writable by anyone else.
"""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.config.file import CLIPBOARD_MODES, ClipboardMode, ConfigError, ConfigFile, Tuning

# The keys a [profiles.NAME] table may hold, and what each is.
PROFILE_STRING_KEYS = (
    "base_url",
    "cluster",
    "username",
    "password",
    "client_key",
    "client_secret",
    "token",
)
PROFILE_COMMAND_KEYS = ("password_command", "client_secret_command")
SECRET_KEYS = ("password", "client_secret", "token")
TUNING_KEYS = ("timeout_connect", "timeout_read", "body", "ca_bundle", "allow_http")
TOP_LEVEL_KEYS = ("default_profile", "keys", "profiles", "clipboard", *TUNING_KEYS)
PROFILE_KEYS = (*PROFILE_STRING_KEYS, *PROFILE_COMMAND_KEYS, *TUNING_KEYS)

# A binding id as the editor's action registry spells them: "submit", "find-next".
_BINDING_ID = re.compile(r"\A[a-z][a-z0-9-]*\Z")


# Here, beside the reading, and not in tui.config.file: only a file has profiles.
@dataclass(frozen=True)
class Profile:
    name: str
    # Only the keys the file gave; secrets among them never reach a repr.
    values: Mapping[str, str] = field(repr=False)
    commands: Mapping[str, list[str]] = field(default_factory=dict)
    tuning: Tuning = field(default_factory=Tuning)

    def __repr__(self) -> str:
        return f"Profile(name={self.name!r}, keys={sorted(self.values) + sorted(self.commands)})"


def parse_config(raw: bytes, mode: int, path: Path) -> ConfigFile:
    """The config file ``path`` from its bytes and its permission ``mode``; ConfigError
    naming the file and what to change when it cannot be used."""
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    config = _parse(document, path)
    _check_permissions(config, mode, path)
    return config


def _parse(document: dict[str, Any], path: Path) -> ConfigFile:
    _reject_unknown(document, TOP_LEVEL_KEYS, path, "")
    default = document.get("default_profile")
    if default is not None and not isinstance(default, str):
        raise ConfigError(f"{path}: default_profile must be a string naming a [profiles.NAME]")
    profiles_table = document.get("profiles", {})
    if not isinstance(profiles_table, dict):
        raise ConfigError(f"{path}: profiles must be tables, written [profiles.NAME]")
    profiles = {name: _parse_profile(name, table, path) for name, table in profiles_table.items()}
    if default is not None and default not in profiles:
        raise ConfigError(
            f"{path}: default_profile = {default!r} names no [profiles.{default}] table "
            f"({_known(profiles)})"
        )
    return ConfigFile(
        path=path,
        default_profile=default,
        profiles=profiles,
        keys=_parse_keys(document.get("keys", {}), path),
        tuning=_parse_tuning(document, path, ""),
        clipboard=_parse_clipboard(document.get("clipboard"), path),
    )


def _parse_clipboard(value: Any, path: Path) -> ClipboardMode | None:
    if value is None:
        return None
    for mode in CLIPBOARD_MODES:
        if value == mode:
            return mode
    choices = ", ".join(f'"{mode}"' for mode in CLIPBOARD_MODES)
    raise ConfigError(f"{path}: clipboard must be one of {choices}, not {value!r}")


def _parse_profile(name: str, table: Any, path: Path) -> Profile:
    where = f"profiles.{name}."
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: profiles.{name} must be a table, written [profiles.{name}]")
    _reject_unknown(table, PROFILE_KEYS, path, where)
    values: dict[str, str] = {}
    for key in PROFILE_STRING_KEYS:
        if key in table:
            value = table[key]
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{path}: {where}{key} must be a non-empty string")
            values[key] = value.strip()
    commands = {
        key: _parse_command(table[key], path, where + key)
        for key in PROFILE_COMMAND_KEYS
        if key in table
    }
    for secret, command in (
        ("password", "password_command"),
        ("client_secret", "client_secret_command"),
    ):
        if secret in values and command in commands:
            raise ConfigError(f"{path}: {where}{secret} and {where}{command} both given; keep one")
    return Profile(name, values, commands, _parse_tuning(table, path, where))


def _parse_command(value: Any, path: Path, key: str) -> list[str]:
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return list(value)
    if isinstance(value, str):
        import shlex

        try:
            words = shlex.split(value)
        except ValueError as error:
            raise ConfigError(f"{path}: {key} cannot be split into words ({error})") from None
        if words:
            return words
    raise ConfigError(
        f'{path}: {key} must be a command line, e.g. {key.rsplit(".", 1)[-1]} = "pass show cap/eu"'
    )


def _parse_tuning(table: Mapping[str, Any], path: Path, where: str) -> Tuning:
    timeouts: dict[str, float | None] = {}
    for key in ("timeout_connect", "timeout_read"):
        value = table.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or value <= 0
        ):
            raise ConfigError(f"{path}: {where}{key} must be a positive number of seconds")
        timeouts[key] = float(value) if value is not None else None
    body = table.get("body")
    if body is not None and body not in ("minimal", "full"):
        raise ConfigError(f'{path}: {where}body must be "minimal" or "full", not {body!r}')
    ca_bundle = table.get("ca_bundle")
    if ca_bundle is not None and (not isinstance(ca_bundle, str) or not ca_bundle.strip()):
        raise ConfigError(f"{path}: {where}ca_bundle must be the path of a PEM file of CAs")
    allow_http = table.get("allow_http")
    if allow_http is not None and not isinstance(allow_http, bool):
        raise ConfigError(f"{path}: {where}allow_http must be true or false")
    return Tuning(
        timeouts["timeout_connect"],
        timeouts["timeout_read"],
        body,
        ca_bundle.strip() if ca_bundle is not None else None,
        allow_http,
    )


def _parse_keys(table: Any, path: Path) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ConfigError(f'{path}: keys must be a table of binding id = "key", under [keys]')
    keys: dict[str, str] = {}
    for binding_id, key in table.items():
        if not _BINDING_ID.match(binding_id):
            raise ConfigError(f"{path}: keys.{binding_id} is not a binding id (e.g. submit)")
        if not isinstance(key, str) or not key.strip():
            raise ConfigError(f'{path}: keys.{binding_id} must be a key name, e.g. "ctrl+s"')
        keys[binding_id] = key.strip()
    return keys


def _reject_unknown(
    table: Mapping[str, Any], allowed: tuple[str, ...], path: Path, where: str
) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(
                f"{path}: unknown key {where}{key} (allowed here: {', '.join(allowed)})"
            )


def _known(profiles: Mapping[str, Profile]) -> str:
    return "profiles there: " + ", ".join(sorted(profiles)) if profiles else "it has no profiles"


def _check_permissions(config: ConfigFile, mode: int, path: Path) -> None:
    holds_secret = any(
        key in profile.values for profile in config.profiles.values() for key in SECRET_KEYS
    )
    runs_command = any(profile.commands for profile in config.profiles.values())
    if holds_secret and mode & (stat.S_IRGRP | stat.S_IROTH):
        raise ConfigError(
            f"{path} holds a secret and other users can read it; "
            f"make it private with: chmod 600 {path}"
        )
    # Whoever can write the file chooses the command tgedit runs as you.
    if runs_command and mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ConfigError(
            f"{path} names a command to run and other users can change it; "
            f"make it private with: chmod 600 {path}"
        )
