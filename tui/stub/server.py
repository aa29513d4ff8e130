"""A stand-in of the target-group API on 127.0.0.1, for ``tgedit demo`` and the tests.

A real HTTP server (``ThreadingHTTPServer`` in a daemon thread) that answers the five
endpoints of api.md with the reply envelope, checks credentials as the API does (Basic
with the MD5-hashed password, or an OAuth token it issued), validates the edit call
with the field catalog, and can be made to fail on purpose through ``faults``.

Choices where api.md says nothing: a refused credential is answered 401 with error code
401; an unknown group 404 with code 300004; a known path with the wrong method 405.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Iterable
from typing import Any

from tui.stub.faults import Faults
from tui.stub.handler import Handler, HttpServer
from tui.stub.load import Load
from tui.stub.messages import ReceivedRequest, RequestHeaders
from tui.stub.samples import sample_groups
from tui.stub.store import GroupStore


def _md5hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


class StubServer:
    """The stand-in API. ``start()`` binds 127.0.0.1 (a free port when ``port=0``)."""

    def __init__(
        self,
        groups: Iterable[dict[str, Any]] | None = None,
        *,
        port: int = 0,
        host: str = "127.0.0.1",
        username: str = "demo",
        password: str = "demo",
        client_key: str = "demo-key",
        client_secret: str = "demo-secret",
        token_ttl: int = 3600,
    ) -> None:
        self.store = GroupStore(sample_groups() if groups is None else groups)
        self.faults = Faults()
        # Requests in flight, and the rate limit (``load.per_second``): see ``tui.stub.load``.
        self.load = Load()
        self.host = host
        self.port = port
        self.username = username
        self.token_ttl = token_ttl
        self._password_md5 = _md5hex(password)
        self._client_key = client_key
        self._client_secret = client_secret
        self._lock = threading.RLock()
        self._arrival = threading.Condition(self._lock)
        self._received: list[ReceivedRequest] = []
        self._tokens: dict[str, float] = {}  # token → monotonic expiry
        self._stopping = threading.Event()
        self._http: HttpServer | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle ------------------------------------------------------------------

    def start(self) -> StubServer:
        if self._http is not None:
            raise RuntimeError("the stub server is running already")
        self._stopping.clear()
        self._http = HttpServer((self.host, self.port), Handler, self)
        self.port = self._http.server_address[1]
        self._thread = threading.Thread(
            target=self._http.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"tgedit-stub-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; a request held by ``faults.delay`` or
        ``faults.gate`` is let go."""
        self._stopping.set()  # ends any faults.delay wait at once
        self.faults.gate.release()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # --- looking in and steering -------------------------------------------------------

    @property
    def received(self) -> list[ReceivedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._received)

    def requests(self, method: str | None = None, path: str | None = None) -> list[ReceivedRequest]:
        return [
            r
            for r in self.received
            if (method is None or r.method == method) and (path is None or r.path == path)
        ]

    def clear_received(self) -> None:
        with self._lock:
            self._received.clear()

    def group(self, group_id: int) -> dict[str, Any]:
        """The current state of a group (a deep copy); KeyError for an unknown id."""
        return self.store.snapshot(group_id)

    def edit_as_someone_else(self, group_id: int, **changes: Any) -> dict[str, Any]:
        """Change a group now, as another user would (lastUpdatedOn moves)."""
        return self.store.edit_as_someone_else(group_id, **changes)

    def expire_tokens(self) -> None:
        """Every token issued so far stops working (the client must generate a new one)."""
        with self._lock:
            for token in self._tokens:
                self._tokens[token] = 0.0

    @property
    def issued_tokens(self) -> list[str]:
        with self._lock:
            return list(self._tokens)

    # --- used by the handler -----------------------------------------------------------

    def record(self, request: ReceivedRequest) -> None:
        with self._arrival:
            self._received.append(request)
            self._arrival.notify_all()

    def wait_until_received(self, count: int, timeout: float = 10.0) -> bool:
        """Block until ``count`` requests have been received in all; False on timeout."""
        with self._arrival:
            return self._arrival.wait_for(lambda: len(self._received) >= count, timeout)

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def issue_token(self, key: Any, secret: Any) -> str | None:
        if not (
            isinstance(key, str)
            and isinstance(secret, str)
            and hmac.compare_digest(key, self._client_key)
            and hmac.compare_digest(secret, self._client_secret)
        ):
            return None
        token = "stub-" + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = time.monotonic() + self.token_ttl
        return token

    def refusal(self, headers: RequestHeaders) -> str | None:
        """Why the credentials are refused, or None when they are good."""
        token = headers.get("X-CAP-API-OAUTH-TOKEN")
        if token is not None:
            with self._lock:
                expiry = self._tokens.get(token)
            if expiry is None:
                return "the OAuth token is not one this server issued"
            if expiry <= time.monotonic():
                return "the OAuth token has expired: generate a new one"
            return None
        authorization = headers.get("Authorization")
        if not authorization:
            return "no credentials: send Authorization (Basic) or X-CAP-API-OAUTH-TOKEN"
        scheme, _, encoded = authorization.partition(" ")
        if scheme != "Basic":
            return "unsupported Authorization scheme: use Basic"
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return "the Basic credentials are not valid base64"
        user, _, hashed = decoded.partition(":")
        if hmac.compare_digest(user, self.username) and hmac.compare_digest(
            hashed, self._password_md5
        ):
            return None
        return "invalid username or password (the password goes MD5-hashed)"

    def take_concurrent_edit(self, group_id: int) -> None:
        """``faults.concurrent_edit``: another user changes a group someone has loaded."""
        with self._lock:
            if (
                self.faults.concurrent_edit
                and self.store.exists(group_id)
                and self.store.was_served(group_id)
            ):
                self.faults.concurrent_edit = False
                self.store.edit_as_someone_else(group_id)

    def next_get_fault(self) -> int | None:
        with self._lock:
            return self.faults.next_get_status()
