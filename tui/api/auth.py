"""The three ways to authenticate, and the headers each one sends.

No object here makes a request: ``OAuthClientAuth`` only holds the cached token and
decides when it is due for renewal; the client generates tokens (client.py). Secrets
are kept out of ``repr()`` so that a logged or printed connection never shows them.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeAlias

from tui.api.redaction import register

AUTHORIZATION = "Authorization"
OAUTH_TOKEN_HEADER = "X-CAP-API-OAUTH-TOKEN"

# Headers every request carries (api.md, "Authentication").
BASE_HEADERS: dict[str, str] = {
    "Accept": "application/json",
    "Content-Type": "application/json",
}

# Renew a token when less than this much of its life is left ...
RENEW_MARGIN_SECONDS = 30.0
# ... or, for short-lived tokens, this share of its life: a 20 s token is not renewed
# on every call, yet never used in its last 10 %.
RENEW_MARGIN_SHARE = 0.1


def basic_authorization(username: str, password: str) -> str:
    """``Basic base64(username ":" md5hex(password))``: the API hashes the password first."""
    digest = hashlib.md5(password.encode("utf-8")).hexdigest()
    token = base64.b64encode(f"{username}:{digest}".encode()).decode("ascii")
    return f"Basic {token}"


# Each repr (a Connection's shows it) leaves the secrets out. Each credential registers
# its secrets with ``tui.api.redaction`` as soon as it exists (a token when issued).


@dataclass(slots=True)
class BasicAuth:
    username: str
    password: str = field(repr=False)

    def __post_init__(self) -> None:
        # The MD5 of the password is what the API checks, so it is as good as the password.
        digest = hashlib.md5(self.password.encode("utf-8")).hexdigest()
        register(self.password, digest, self.headers()[AUTHORIZATION].removeprefix("Basic "))

    def headers(self) -> dict[str, str]:
        return {AUTHORIZATION: basic_authorization(self.username, self.password)}

    def refused_advice(self) -> str:
        return "check the username and password"


@dataclass(slots=True)
class TokenAuth:
    """A ready OAuth token (e.g. from ``CAP_API_TOKEN``); it cannot be renewed."""

    token: str = field(repr=False)

    def __post_init__(self) -> None:
        register(self.token)

    def headers(self) -> dict[str, str]:
        return {OAUTH_TOKEN_HEADER: self.token}

    def refused_advice(self) -> str:
        return "the token was refused or has expired: generate a new one"


@dataclass(slots=True, eq=False)
class OAuthClientAuth:
    """A client key and secret, traded for a token that is cached and renewed."""

    client_key: str = field(repr=False)
    client_secret: str = field(repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    _token: str | None = field(default=None, init=False, repr=False)
    _expires_at: float = field(default=0.0, init=False, repr=False)
    _ttl: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        register(self.client_key, self.client_secret)

    def token_request_body(self) -> dict[str, str]:
        return {"key": self.client_key, "secret": self.client_secret}

    @property
    def token(self) -> str | None:
        return self._token

    def needs_token(self) -> bool:
        """True when there is no token or it is in the last part of its life."""
        if self._token is None:
            return True
        margin = min(RENEW_MARGIN_SECONDS, self._ttl * RENEW_MARGIN_SHARE)
        return self._expires_at - self.clock() < margin

    def accept_token(self, token: str, ttl_seconds: float) -> None:
        register(token)  # before anything can quote it back
        self._token = token
        self._ttl = ttl_seconds
        self._expires_at = self.clock() + ttl_seconds

    def invalidate(self) -> None:
        """Forget the token (after a 401) so that the next call generates a new one; it
        stays registered as a secret, since a reply may still quote it."""
        self._token = None
        self._expires_at = 0.0

    def headers(self) -> dict[str, str]:
        if self._token is None:
            raise RuntimeError("no OAuth token yet: the client generates one before a request")
        return {OAUTH_TOKEN_HEADER: self._token}

    def refused_advice(self) -> str:
        return "check the client key and secret"


Auth: TypeAlias = BasicAuth | OAuthClientAuth | TokenAuth


def credential_headers(auth: Auth) -> dict[str, str]:
    """The credential header the auth sends; empty value when no token is known yet."""
    if isinstance(auth, OAuthClientAuth):
        return {OAUTH_TOKEN_HEADER: auth.token or ""}
    if isinstance(auth, BasicAuth | TokenAuth):
        return auth.headers()
    raise TypeError(f"unknown auth {type(auth).__name__}")
