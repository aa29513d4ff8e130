"""A group's GET with the standard library only (http.client, ssl): no httpx, no asyncio.

httpx and what it brings (anyio, httpcore, h11, idna) cost ~75 ms of CPU to import. The
editor's first GET runs while Textual imports, under the same GIL, and the headless
commands (``set --dry-run``, ``show``) are mostly import time: both send this GET.

It is the same request as ``TargetGroupClient``'s: URL and headers from ``exchange``,
TLS context and timeouts from the ``Connection``. Its reply is read by ``exchange``
too, and a request that got no reply becomes the same ``transport_error``, with the
same retries. Only the socket work is here.

Handed to the httpx client instead (``fetch_group`` decides):

- an OAuth client key and secret: the token call, its renewal after a 401 and its lock
  live in the client;
- a proxy named in the environment (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``, in
  either case): httpx honours them and ``NO_PROXY``; http.client does not.
"""

from __future__ import annotations

# The codec a host name is looked up with (socket.getaddrinfo): imported with this
# module, not in the middle of the prefetch's GET (see tui.session.prefetch).
import encodings.idna  # noqa: F401
import http.client
import logging
import os
import time
import zlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.api.auth import OAuthClientAuth
from tui.api.exchange import (
    USER_AGENT,
    Reply,
    connect_retry_delay,
    group_attempt,
    log_reply,
    log_wait,
    read_group,
    request_headers,
    scrubbed,
    status_retry_delay,
)

if TYPE_CHECKING:
    from tui.api.attempt import Attempt, Failure
    from tui.api.connection import Connection
    from tui.api.fetched import FetchedGroup

log = logging.getLogger("tgedit.api")

PROXY_VARIABLES = frozenset({"http_proxy", "https_proxy", "all_proxy"})
# What httpx asks for without brotli or zstandard installed; both are in zlib.
ACCEPT_ENCODING = "gzip, deflate"


class _NoReply(Exception):
    """The request got no reply: what kind of failure (``Failure``) and the cause."""

    def __init__(self, failure: Failure, error: BaseException) -> None:
        super().__init__(failure)
        self.failure = failure
        self.error = error


def sends_plainly(connection: Connection, env: Mapping[str, str] | None = None) -> bool:
    """Whether this module sends the same request httpx would (see the module's words)."""
    if isinstance(connection.auth, OAuthClientAuth):
        return False
    env = os.environ if env is None else env
    if any(value for name, value in env.items() if name.lower() in PROXY_VARIABLES):
        return False
    return urlsplit(connection.base_url).scheme.lower() in ("http", "https")


def fetch_group(
    connection: Connection, group_id: int, *, check: bool = True, models: bool = True
) -> FetchedGroup:
    """GET one group with its periods, by whichever transport serves ``connection``."""
    if sends_plainly(connection):
        return get_group(connection, group_id, check=check, models=models)
    import asyncio

    from tui.api.client import TargetGroupClient

    async def fetch() -> FetchedGroup:
        async with TargetGroupClient(connection) as client:
            return await client.get_target_group(group_id, check=check, models=models)

    return asyncio.run(fetch())


def get_group(
    connection: Connection,
    group_id: int,
    *,
    include_periods: bool = True,
    check: bool = True,
    models: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchedGroup:
    """``TargetGroupClient.get_target_group`` over http.client: the same result or error.

    ``sleep`` replaces the waits between retries (tests).
    """
    attempt = group_attempt(connection, group_id, include_periods)
    reply = _send(connection, attempt, sleep)
    return read_group(connection, attempt, reply, group_id, check=check, models=models)


def _send(connection: Connection, attempt: Attempt, sleep: Callable[[float], None]) -> Reply:
    """Send, repeating as a GET may be; the final reply whatever its status."""
    repeats = 0
    while True:
        started = time.monotonic()
        try:
            reply = _exchange(connection, attempt)
        except _NoReply as no_reply:
            failure, error = no_reply.failure, no_reply.error
            if failure in ("connect", "connect_timeout"):
                delay = connect_retry_delay(error, repeats, connection.retries)
                if delay is not None:
                    log_wait(attempt, f"a connect error ({error})", delay)
                    sleep(delay)
                    repeats += 1
                    continue
            from tui.api.error_messages import transport_error  # only when no reply came

            raise scrubbed(connection, transport_error(attempt, failure, error)) from error
        log_reply(attempt, reply.status, started)
        delay = status_retry_delay(reply, repeats, connection.retries)
        if delay is None:
            return reply
        log_wait(attempt, f"HTTP {reply.status}", delay)
        sleep(delay)
        repeats += 1


def _exchange(connection: Connection, attempt: Attempt) -> Reply:
    """One request and its whole reply; ``_NoReply`` when none came."""
    url = urlsplit(attempt.url)
    target = f"{url.path or '/'}?{url.query}" if url.query else (url.path or "/")
    timeouts = connection.timeouts
    conn: http.client.HTTPConnection
    if url.scheme.lower() == "https":
        conn = http.client.HTTPSConnection(
            url.hostname or "",
            url.port,
            timeout=timeouts.connect,
            context=connection.ssl_context(),
        )
    else:
        conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=timeouts.connect)
    # httpx's headers in httpx's order (http.client puts Host first, as httpx does): a
    # server, or a gateway quoting the request back in an error, sees the same request.
    headers = {
        "Accept-Encoding": ACCEPT_ENCODING,
        "Connection": "keep-alive",
        "User-Agent": USER_AGENT,
        **request_headers(connection),
    }
    try:
        try:
            conn.connect()  # the TLS handshake too, within the connect timeout as httpx's
        except TimeoutError as error:
            raise _NoReply("connect_timeout", error) from error
        except OSError as error:  # refused, unknown host, TLS (ssl.SSLError is an OSError)
            raise _NoReply("connect", error) from error
        assert conn.sock is not None
        conn.sock.settimeout(timeouts.read)
        try:
            conn.request(attempt.method, target, headers=headers)
            response = conn.getresponse()
            body = response.read()
        except TimeoutError as error:
            raise _NoReply("read_timeout", error) from error
        except (OSError, http.client.HTTPException) as error:
            raise _NoReply("dropped", error) from error
    finally:
        conn.close()
    try:
        body = _decompressed(body, response.headers.get("Content-Encoding"))
    except zlib.error as error:
        raise _NoReply("dropped", error) from error
    charset = response.headers.get_content_charset() or "utf-8"
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know: httpx falls back the same way
        text = body.decode("utf-8", errors="replace")
    return Reply(response.status, response.headers, text)


def _decompressed(body: bytes, encoding: str | None) -> bytes:
    for name in reversed([e.strip().lower() for e in (encoding or "").split(",") if e.strip()]):
        if name == "gzip":
            body = zlib.decompress(body, zlib.MAX_WBITS | 16)
        elif name == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:  # raw deflate without the zlib header, as some servers send
                body = zlib.decompress(body, -zlib.MAX_WBITS)
    return body
