"""The three ways to authenticate, and the headers each one sends.

No object here makes a request: ``OAuthClientAuth`` only holds the cached token and
decides when it is due for renewal; the client generates tokens (client.py). Secrets
are kept out of ``repr()`` so that a logged or printed connection never shows them.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Callable, Iterable
from typing import TypeAlias

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


# The three are plain classes, not @dataclass: one per run, and a dataclass compiles its
# methods at import, on the way to the editor's first frame. Each repr (a Connection's
# shows it) is written out, so that no secret can reach one.


class BasicAuth:
    __slots__ = ("password", "username")

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r})"

    def __eq__(self, other: object) -> bool:  # the same credentials: tests check which
        if not isinstance(other, BasicAuth):
            return NotImplemented
        return (self.username, self.password) == (other.username, other.password)

    def headers(self) -> dict[str, str]:
        return {AUTHORIZATION: basic_authorization(self.username, self.password)}

    def secrets(self) -> list[str]:
        """Strings that must never be shown, to scrub from anything we print.

        The MD5 of the password is among them: it is what the API checks, so it is as
        good as the password to anyone who reads it.
        """
        digest = hashlib.md5(self.password.encode("utf-8")).hexdigest()
        return [self.password, digest, self.headers()[AUTHORIZATION].removeprefix("Basic ")]

    def refused_advice(self) -> str:
        return "check the username and password"


class TokenAuth:
    """A ready OAuth token (e.g. from ``CAP_API_TOKEN``); it cannot be renewed."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __repr__(self) -> str:
        return "TokenAuth()"

    def headers(self) -> dict[str, str]:
        return {OAUTH_TOKEN_HEADER: self.token}

    def secrets(self) -> list[str]:
        return [self.token]

    def refused_advice(self) -> str:
        return "the token was refused or has expired: generate a new one"


class OAuthClientAuth:
    """A client key and secret, traded for a token that is cached and renewed."""

    __slots__ = (
        "_expires_at",
        "_retired",
        "_token",
        "_ttl",
        "client_key",
        "client_secret",
        "clock",
    )

    def __init__(
        self, client_key: str, client_secret: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.client_key = client_key
        self.client_secret = client_secret
        self.clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._ttl = 0.0
        # Tokens given up after a 401: a reply may still quote one, so they stay secret.
        self._retired: list[str] = []

    def __repr__(self) -> str:
        return "OAuthClientAuth()"

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
        self._token = token
        self._ttl = ttl_seconds
        self._expires_at = self.clock() + ttl_seconds

    def invalidate(self) -> None:
        """Forget the token (after a 401) so that the next call generates a new one."""
        if self._token is not None:
            self._retired = [*self._retired[-9:], self._token]
        self._token = None
        self._expires_at = 0.0

    def headers(self) -> dict[str, str]:
        if self._token is None:
            raise RuntimeError("no OAuth token yet: the client generates one before a request")
        return {OAUTH_TOKEN_HEADER: self._token}

    def secrets(self) -> list[str]:
        return [s for s in (self.client_key, self.client_secret, self._token, *self._retired) if s]

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


# A secret at least this long (an MD5, a base64 header, a token) cannot occur by chance
# in the data, so it is removed wherever it is, even glued to other letters (as in a
# percent-encoded echo). A shorter one (the demo password "demo") is removed only where
# it stands as itself, so that a user code like "tillrulocaldemonightly1" stays whole.
ANYWHERE_LENGTH = 16
# Not a letter or digit (any script): what may stand next to a short secret.
_NOT_ALNUM_BEFORE = r"(?<![^\W_])"
_NOT_ALNUM_AFTER = r"(?![^\W_])"


def _secret_pattern(secret: str) -> str:
    pattern = re.escape(secret)
    if len(secret) >= ANYWHERE_LENGTH:
        return pattern
    # A boundary is only needed where the secret's own edge is a letter or digit.
    if secret[0].isalnum():
        pattern = _NOT_ALNUM_BEFORE + pattern
    if secret[-1].isalnum():
        pattern += _NOT_ALNUM_AFTER
    return pattern


def redact_secrets(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``<redacted>``: a last line of defence for
    messages that quote something the server sent back.

    A secret shorter than ``ANYWHERE_LENGTH`` counts only where it stands as itself
    (between non-alphanumeric characters or the text's ends), not inside a longer word.
    """
    # Longest first, each over the whole text: a shorter secret that overlaps a longer
    # one must not consume part of it and leave the rest readable.
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        text = re.sub(_secret_pattern(secret), "<redacted>", text)
    return text
