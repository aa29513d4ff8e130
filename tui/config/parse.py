"""Reading the config file strictly: pydantic models of its tables.

``tui.config.file`` imports this only when there is a file. Each table is a model that
forbids unknown keys, so a typo such as ``pasword`` or a misspelt binding id under
``[keys]`` is an error naming the file, the table and the key, never ignored in silence.
Each key's ``description`` says what it must be, and is the error's wording. Secrets are
``SecretStr``: a repr of a profile shows ``**********``. A file that holds a secret must
be readable by its owner only; one that names a command to run must not be writable by
anyone else.
"""

from __future__ import annotations

import shlex
import stat
import tomllib
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    create_model,
)
from pydantic_core import ErrorDetails

from tui.config.file import (
    CLIPBOARD_MODES,
    MAX_JOBS,
    BodyMode,
    ClipboardMode,
    ConfigError,
    ConfigFile,
    Tuning,
)

# Every binding id of the editor (``tui.app``: its action registry and its screens'
# bindings), which a [keys] entry may remap. Listed here, not imported, so reading the
# config never imports Textual; tests/test_config.py checks it against the app.
BINDING_IDS = (
    "edit",
    "edit-field",
    "find",
    "find-next",
    "find-previous",
    "revert",
    "undo",
    "redo",
    "preview",
    "submit",
    "write-file",
    "reload",
    "help",
    "quit",
    "back",
    "up",
    "down",
    "expand",
    "collapse",
    "edit-cancel",
    "edit-submit",
    "edit-undo",
    "edit-redo",
    "edit-help",
    "ask-yes",
    "ask-no",
    "ask-cancel",
    "ask-enter",
    "quit-write",
    "error-close",
    "help-close",
    "confirm-send",
    "confirm-back",
    "conflict-reapply",
    "conflict-overwrite",
    "conflict-cancel",
    "draft-restore",
    "draft-discard",
    "draft-later",
    "picker-up",
    "picker-down",
    "picker-quit",
    "picker-reload",
    "preview-close",
    "preview-mode",
    "preview-copy-body",
    "preview-copy-curl",
    "preview-next-tab",
    "preview-previous-tab",
    "preview-submit",
    "preview-help",
    "text-edit-apply",
    "text-edit-cancel",
    "text-edit-external",
    "text-edit-format",
    "text-edit-help",
    "write-cancel",
)
SECRET_KEYS = ("password", "client_secret", "token")
COMMAND_KEYS = ("password_command", "client_secret_command")


def _stripped(value: str) -> str:
    if not value.strip():
        raise ValueError("it is blank")
    return value.strip()


def _stripped_secret(value: SecretStr) -> SecretStr:
    return SecretStr(_stripped(value.get_secret_value()))


def _command_line(value: Any) -> Any:
    """``"pass show cap/eu"`` is split as a shell would, without running one."""
    if isinstance(value, str):
        return shlex.split(value)  # ValueError (an open quote) says why it cannot be split
    return value


def _whole_command(words: list[str]) -> list[str]:
    if not words or not all(words):
        raise ValueError("it is empty")
    return words


Text = Annotated[str, AfterValidator(_stripped)]
Secret = Annotated[SecretStr, AfterValidator(_stripped_secret)]
Command = Annotated[list[str], BeforeValidator(_command_line), AfterValidator(_whole_command)]
Seconds = Annotated[float, Field(gt=0)]
Jobs = Annotated[int, Field(ge=1, le=MAX_JOBS)]

TEXT = "a non-empty string"
COMMAND = 'a command line, e.g. "pass show cap/eu" or ["pass", "show", "cap/eu"]'


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _TuningTable(_Table):
    """What a profile, or the file's top level, sets besides the connection."""

    timeout_connect: Seconds | None = Field(None, description="a positive number of seconds")
    timeout_read: Seconds | None = Field(None, description="a positive number of seconds")
    body: BodyMode | None = Field(None, description='"minimal" or "full"')
    ca_bundle: Text | None = Field(None, description="the path of a PEM file of CAs")
    allow_http: bool | None = Field(None, description="true or false")
    jobs: Jobs | None = Field(None, description=f"a whole number from 1 to {MAX_JOBS}")

    def tuning(self) -> Tuning:
        return Tuning(
            self.timeout_connect,
            self.timeout_read,
            self.body,
            self.ca_bundle,
            self.allow_http,
            self.jobs,
        )


class ProfileTable(_TuningTable):
    """A ``[profiles.NAME]`` table."""

    base_url: Text | None = Field(None, description=TEXT)
    cluster: Text | None = Field(None, description=TEXT)
    username: Text | None = Field(None, description=TEXT)
    password: Secret | None = Field(None, description=TEXT)
    client_key: Text | None = Field(None, description=TEXT)
    client_secret: Secret | None = Field(None, description=TEXT)
    token: Secret | None = Field(None, description=TEXT)
    password_command: Command | None = Field(None, description=COMMAND)
    client_secret_command: Command | None = Field(None, description=COMMAND)


# [keys]: one optional key name per binding id (ids hold '-', so each is an alias).
_KEY_FIELDS: dict[str, Any] = {
    binding_id.replace("-", "_"): (
        Text | None,
        Field(None, alias=binding_id, description='a key name, e.g. "ctrl+s"'),
    )
    for binding_id in BINDING_IDS
}
KeysTable = create_model("KeysTable", __base__=_Table, **_KEY_FIELDS)


class ConfigTable(_TuningTable):
    """The whole file."""

    default_profile: Text | None = Field(None, description="a string naming a [profiles.NAME]")
    clipboard: ClipboardMode | None = Field(
        None, description="one of " + ", ".join(f'"{mode}"' for mode in CLIPBOARD_MODES)
    )
    keys: KeysTable = Field(
        default_factory=KeysTable, description='a table of binding id = "key", under [keys]'
    )
    profiles: dict[str, ProfileTable] = Field(
        default_factory=dict, description="tables, written [profiles.NAME]"
    )


@dataclass(frozen=True, slots=True)
class Profile:
    """A checked ``[profiles.NAME]`` table; its repr shows no secret."""

    name: str
    table: ProfileTable

    @property
    def values(self) -> dict[str, str]:
        """The connection settings it gives, secrets revealed: for resolving, never printing."""
        given = self.table.model_dump(
            include={"base_url", "cluster", "username", "client_key", *SECRET_KEYS},
            exclude_none=True,
        )
        return {
            key: value.get_secret_value() if isinstance(value, SecretStr) else value
            for key, value in given.items()
        }

    @property
    def commands(self) -> dict[str, list[str]]:
        return self.table.model_dump(include=set(COMMAND_KEYS), exclude_none=True)

    @property
    def tuning(self) -> Tuning:
        return self.table.tuning()


def parse_config(raw: bytes, mode: int, path: Path) -> ConfigFile:
    """The config file ``path`` from its bytes and its permission ``mode``; ConfigError
    naming the file and what to change when it cannot be used."""
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    try:
        table = ConfigTable.model_validate(document)
    except ValidationError as error:
        raise ConfigError(f"{path}: {_sentence(error.errors()[0])}") from None
    profiles = {name: Profile(name, profile) for name, profile in table.profiles.items()}
    for profile in profiles.values():
        where = f"profiles.{profile.name}."
        for secret, command in zip(("password", "client_secret"), COMMAND_KEYS, strict=True):
            if getattr(profile.table, secret) and getattr(profile.table, command):
                raise ConfigError(
                    f"{path}: {where}{secret} and {where}{command} both given; keep one"
                )
    default = table.default_profile
    if default is not None and default not in profiles:
        known = "profiles there: " + ", ".join(sorted(profiles)) if profiles else "it has none"
        raise ConfigError(
            f"{path}: default_profile = {default!r} names no [profiles.{default}] table ({known})"
        )
    _check_permissions(profiles, mode, path)
    return ConfigFile(
        path=path,
        default_profile=default,
        profiles=profiles,
        keys=table.keys.model_dump(by_alias=True, exclude_none=True),
        tuning=table.tuning(),
        clipboard=table.clipboard,
    )


def _sentence(error: ErrorDetails) -> str:
    """pydantic's first error as one sentence naming the table and the key."""
    loc = [str(part) for part in error["loc"]]
    table: type[BaseModel]
    if loc[0] == "profiles" and len(loc) == 2:
        return f"profiles.{loc[1]} must be a table, written [profiles.{loc[1]}]"
    if loc[0] == "profiles" and len(loc) > 2:
        table, where, key = ProfileTable, f"profiles.{loc[1]}.", loc[2]
    elif loc[0] == "keys" and len(loc) > 1:
        table, where, key = KeysTable, "keys.", loc[1]
    else:
        table, where, key = ConfigTable, "", loc[0]
    names = [field.alias or name for name, field in table.model_fields.items()]
    if error["type"] == "extra_forbidden":
        near = get_close_matches(key, names, n=1)
        guess = f"did you mean {near[0]}?" if near else ""
        if table is KeysTable:
            hint = guess or "the README's Keys table lists them"
            return f"unknown key keys.{key}: not a binding id ({hint})"
        return f"unknown key {where}{key} ({guess + ' ' if guess else ''}allowed here: {', '.join(names)})"
    field = next(f for name, f in table.model_fields.items() if key in (name, f.alias))
    sentence = f"{where}{key} must be {field.description}"
    if error["type"] == "literal_error":  # a choice, never a secret: say what was given
        sentence += f", not {error['input']!r}"
    elif error["type"] == "value_error":
        sentence += f" ({error['ctx']['error']})"
    return sentence


def _check_permissions(profiles: dict[str, Profile], mode: int, path: Path) -> None:
    tables = [profile.table for profile in profiles.values()]
    holds_secret = any(getattr(table, key) for table in tables for key in SECRET_KEYS)
    runs_command = any(getattr(table, key) for table in tables for key in COMMAND_KEYS)
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
