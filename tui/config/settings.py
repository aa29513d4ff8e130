"""Where each connection setting comes from: flags, then environment, then a profile.

Every setting is taken from the first of the three layers that gives it. The kind of
credential is chosen the same way: the first layer that names any credential decides
whether a token, an OAuth client or a username is used (within one layer: token, then
client, then username), so ``--username`` on the command line beats a token in a
profile. Secret commands run only when their secret is the one needed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tui.config.file import (
    DEFAULT_JOBS,
    BodyMode,
    ClipboardMode,
    ConfigError,
    ConfigFile,
    Tuning,
    default_config_path,
    load_config,
)
from tui.config.secrets import run_secret_command

if TYPE_CHECKING:
    from tui.config.parse import Profile

AuthKind = Literal["token", "oauth", "basic"]

SETTINGS = ("base_url", "cluster", "username", "password", "client_key", "client_secret", "token")
SECRETS = frozenset({"password", "client_secret", "token"})
ENV_VARS: dict[str, str] = {name: "CAP_API_" + name.upper() for name in SETTINGS}
PROFILE_ENV = "TGEDIT_PROFILE"
FLAGS: dict[str, str] = {name: "--" + name.replace("_", "-") for name in SETTINGS}

# The keys each kind of credential needs, in the order a message names them.
NEEDS: dict[AuthKind, tuple[str, ...]] = {
    "token": ("token",),
    "oauth": ("client_key", "client_secret"),
    "basic": ("username", "password"),
}
# The profile's commands stand in for a secret when choosing the kind.
COMMAND_FOR = {"password": "password_command", "client_secret": "client_secret_command"}


@dataclass(slots=True, kw_only=True)
class Settings:
    """The resolved settings. Secrets are left out of its repr."""

    base_url: str | None = None
    cluster: str | None = None
    auth: AuthKind | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    client_key: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    profile: str | None = None
    timeout_connect: float | None = None
    timeout_read: float | None = None
    body: BodyMode = "minimal"
    keys: Mapping[str, str] = field(default_factory=dict)
    config_path: Path | None = None
    # TLS is always verified; a CA bundle adds a private CA to the public ones.
    ca_bundle: Path | None = None
    # Plain http:// to a host that is not this machine sends credentials in clear text.
    allow_http: bool = False
    # Requests in flight at once when many groups are read (--jobs, the jobs key).
    jobs: int = DEFAULT_JOBS
    # How to copy (the file's top-level clipboard key); None: decide by the terminal.
    clipboard: ClipboardMode | None = None
    # setting → where it came from ("--token", "CAP_API_TOKEN", "profile eu"); no values.
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def has_server(self) -> bool:
        return bool(self.base_url or self.cluster)

    @property
    def has_credentials(self) -> bool:
        return self.auth is not None and all(getattr(self, k) for k in NEEDS[self.auth])


@dataclass(slots=True)
class _Layer:
    label: str  # how a message names it: "the command line", "profile eu"
    values: dict[str, str] = field(repr=False)
    source: dict[str, str]  # setting → the flag, variable or profile that gave it
    commands: Mapping[str, list[str]] = field(default_factory=dict)

    def gives(self, key: str) -> bool:
        return key in self.values or COMMAND_FOR.get(key, "") in self.commands


def resolve_settings(
    flags: Mapping[str, str | None],
    env: Mapping[str, str] | None = None,
    *,
    config_path: Path | None = None,
    timeout: float | None = None,
    body: BodyMode | None = None,
    ca_bundle: Path | None = None,
    allow_http: bool = False,
    jobs: int | None = None,
) -> Settings:
    """Merge flags (keys as in SETTINGS plus ``profile``), environment and config file.

    ``timeout``, ``body``, ``ca_bundle``, ``allow_http`` and ``jobs`` are flags of their
    own; a profile's (or the file's top-level) tuning fills in what they leave out.
    """
    env = os.environ if env is None else env
    path = config_path or default_config_path(env)
    config = load_config(path)
    profile = _chosen_profile(flags.get("profile") or env.get(PROFILE_ENV), config, path)
    layers = [
        _Layer(
            "the command line",
            {k: v for k in SETTINGS if (v := (flags.get(k) or "").strip())},
            {k: FLAGS[k] for k in SETTINGS if flags.get(k)},
        ),
        _Layer(
            "the environment",
            {k: v for k in SETTINGS if (v := env.get(ENV_VARS[k], "").strip())},
            {k: ENV_VARS[k] for k in SETTINGS if env.get(ENV_VARS[k], "").strip()},
        ),
    ]
    if profile is not None:
        label = f"profile {profile.name}"
        given = profile.values
        layers.append(_Layer(label, given, dict.fromkeys(given, label), profile.commands))

    chosen: dict[str, str] = {}
    sources: dict[str, str] = {}
    base_url, cluster = _server(layers, chosen, sources)
    auth = _auth_kind(layers)
    for key in NEEDS[auth] if auth else ():
        _fill(key, layers, chosen, sources)
    tuning = profile.tuning if profile else Tuning()
    return Settings(
        base_url=base_url,
        cluster=cluster,
        auth=auth,
        username=chosen.get("username"),
        password=chosen.get("password"),
        client_key=chosen.get("client_key"),
        client_secret=chosen.get("client_secret"),
        token=chosen.get("token"),
        profile=profile.name if profile else None,
        timeout_connect=tuning.timeout_connect or config.tuning.timeout_connect,
        timeout_read=timeout or tuning.timeout_read or config.tuning.timeout_read,
        body=body or tuning.body or config.tuning.body or "minimal",
        keys=dict(config.keys),
        config_path=path,
        sources=sources,
        ca_bundle=ca_bundle or _ca_bundle(tuning, config, path),
        allow_http=allow_http or bool(_first(tuning.allow_http, config.tuning.allow_http)),
        clipboard=config.clipboard,
        jobs=jobs or tuning.jobs or config.tuning.jobs or DEFAULT_JOBS,
    )


def _first(profile_value: bool | None, file_value: bool | None) -> bool | None:
    return profile_value if profile_value is not None else file_value


def _ca_bundle(tuning: Tuning, config: ConfigFile, path: Path) -> Path | None:
    """The file's ca_bundle, relative to the config file's folder when not absolute."""
    given = tuning.ca_bundle or config.tuning.ca_bundle
    if given is None:
        return None
    bundle = Path(given).expanduser()
    return bundle if bundle.is_absolute() else path.parent / bundle


def _chosen_profile(name: str | None, config: ConfigFile, path: Path) -> Profile | None:
    if name is None:
        name = config.default_profile
        if name is None:
            return None
    if config.path is None:
        raise ConfigError(f"profile {name!r} was asked for, but there is no config file at {path}")
    profile = config.profiles.get(name)
    if profile is None:
        known = ", ".join(sorted(config.profiles)) or "none"
        raise ConfigError(f"{path} has no [profiles.{name}] (profiles there: {known})")
    return profile


def _server(
    layers: list[_Layer], chosen: dict[str, str], sources: dict[str, str]
) -> tuple[str | None, str | None]:
    """The first layer that names a server decides it; one layer may not name two."""
    for layer in layers:
        base_url, cluster = layer.values.get("base_url"), layer.values.get("cluster")
        if base_url and cluster:
            raise ConfigError(
                f"{layer.label} gives both a base URL ({layer.source['base_url']}) and a cluster "
                f"({layer.source['cluster']}); keep one"
            )
        for key, value in (("base_url", base_url), ("cluster", cluster)):
            if value:
                chosen[key] = value
                sources[key] = layer.source[key]
        if base_url or cluster:
            return base_url, cluster
    return None, None


def _auth_kind(layers: list[_Layer]) -> AuthKind | None:
    for layer in layers:
        for kind, keys in NEEDS.items():
            if any(layer.gives(key) for key in keys):
                return kind
    return None


def _fill(key: str, layers: list[_Layer], chosen: dict[str, str], sources: dict[str, str]) -> None:
    for layer in layers:
        if key in layer.values:
            chosen[key] = layer.values[key]
            sources[key] = layer.source[key]
            return
        command_key = COMMAND_FOR.get(key)
        if command_key and command_key in layer.commands:
            what = f"{command_key} of {layer.label}"
            chosen[key] = run_secret_command(list(layer.commands[command_key]), what=what)
            sources[key] = what
            return
