"""From resolved settings to a ``tui.api.connection.Connection``, or one message naming every way.

When something is missing, the message lists every way to give it (flags, environment
variables, profile keys, password commands) at once, so a new user fixes it in one go.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.api.urls import is_loopback
from tui.config.file import ConfigError
from tui.config.settings import NEEDS, Settings

if TYPE_CHECKING:
    from tui.api.auth import Auth
    from tui.api.connection import Connection

WAYS_TO_CONNECT = """\
  the server:        --base-url or --cluster, CAP_API_BASE_URL or CAP_API_CLUSTER,
                     or base_url / cluster in a profile (clusters: india, apac2, eu, us, china)
  and one of:
  a token:           --token, CAP_API_TOKEN, or token in a profile
  an OAuth client:   --client-key and --client-secret, CAP_API_CLIENT_KEY and
                     CAP_API_CLIENT_SECRET, or client_key with client_secret or
                     client_secret_command in a profile
  a user:            --username and --password, CAP_API_USERNAME and CAP_API_PASSWORD,
                     or username with password or password_command in a profile"""

WORDS = {
    "token": "a token",
    "client_key": "a client key",
    "client_secret": "a client secret",
    "username": "a username",
    "password": "a password",
}


def missing_message(settings: Settings) -> str | None:
    """What stops a connection from being made, with every way to fix it; None if nothing."""
    problems: list[str] = []
    if not settings.has_server:
        problems.append("no server")
    if settings.auth is None:
        problems.append("no credentials")
    elif not settings.has_credentials:
        given = [k for k in NEEDS[settings.auth] if getattr(settings, k)]
        lacking = [k for k in NEEDS[settings.auth] if not getattr(settings, k)]
        problems.append(
            " and ".join(f"{WORDS[k]} (from {settings.sources[k]})" for k in given)
            + (" but " if given else "")
            + "no "
            + " and no ".join(WORDS[k].split(" ", 1)[1] for k in lacking)
        )
    if not problems:
        return None
    return (
        f"cannot reach the API: {'; '.join(problems)}. Give\n{WAYS_TO_CONNECT}\n"
        f"A profile is a [profiles.NAME] table of {_config_path(settings)},\n"
        'chosen with --profile NAME, TGEDIT_PROFILE or default_profile = "NAME".\n'
        "To try tgedit without a server: tgedit demo"
    )


def _config_path(settings: Settings) -> Path | str:
    return settings.config_path or "$XDG_CONFIG_HOME/tgedit/config.toml"


def connection_for(settings: Settings) -> Connection:
    """The connection the settings describe; ConfigError when something is missing."""
    from tui.api.auth import BasicAuth, OAuthClientAuth, TokenAuth
    from tui.api.connection import Connection, Timeouts
    from tui.api.urls import base_url_for

    problem = missing_message(settings)
    if problem:
        raise ConfigError(problem)
    try:
        base_url = base_url_for(settings.cluster, settings.base_url)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    auth: Auth
    if settings.auth == "token" and settings.token:
        auth = TokenAuth(settings.token)
    elif settings.auth == "oauth" and settings.client_key and settings.client_secret:
        auth = OAuthClientAuth(settings.client_key, settings.client_secret)
    elif settings.username and settings.password:
        auth = BasicAuth(settings.username, settings.password)
    else:  # missing_message said nothing is missing
        raise AssertionError("credentials checked above")
    refuse_clear_text(base_url, allow_http=settings.allow_http)
    defaults = Timeouts()
    timeouts = Timeouts(
        connect=settings.timeout_connect or defaults.connect,
        read=settings.timeout_read or defaults.read,
    )
    verify: bool | str = True if settings.ca_bundle is None else str(settings.ca_bundle)
    connection = Connection(base_url=base_url, auth=auth, timeouts=timeouts, verify=verify)
    if settings.ca_bundle is not None:
        try:  # a missing or broken bundle is a setting to fix, found before any request
            connection.ssl_verify()
        except ValueError as error:
            raise ConfigError(str(error)) from None
    return connection


def refuse_clear_text(base_url: str, *, allow_http: bool) -> None:
    """Plain http to another machine would send the credentials readable on the way."""
    from tui.api.urls import public_url

    parts = urlsplit(base_url)
    if parts.scheme != "http" or allow_http or is_loopback(parts.hostname or ""):
        return
    raise ConfigError(
        f"the base URL {public_url(base_url)} is plain http to another machine, which would "
        "send the credentials and the group unencrypted; use https:// "
        "(or pass --allow-http if the link is private and you accept that)"
    )
