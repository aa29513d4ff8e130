"""The target-group client: where every request to the API goes out.

One ``httpx.AsyncClient`` per ``TargetGroupClient``; use it as an async context manager.
Every request, the editor's first GET included (``tui.session.prefetch``), goes through
``_send``: one retry policy (GETs repeated on connect errors, 429 and 502/503/504 with
exponential backoff; the edit call, a PUT, never), one deadline for the whole reply, one
size limit, one mapping of failures to messages, and one redaction of what they say.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from tui.api.attempt import Attempt, Failure
from tui.api.auth import OAuthClientAuth
from tui.api.connection import Connection
from tui.api.curl import curl_command
from tui.api.endpoints import EDIT_PATH, LIST_PATH, TOKEN_PATH
from tui.api.error_messages import malformed, transport_error, unusable_setup
from tui.api.errors import ApiError
from tui.api.exchange import (
    USER_AGENT,
    Reply,
    attempt_for,
    call_url,
    check_fetched,
    connect_retry_delay,
    decode,
    group_attempt,
    group_from_reply,
    log_reply,
    log_wait,
    read_group,
    request_headers,
    status_retry_delay,
)
from tui.api.fetched import FetchedGroup, last_updated_on
from tui.api.replies import Envelope
from tui.api.results import Conflict, EditResult, SentRequest, same_instant

log = logging.getLogger("tgedit.api")

__all__ = ["TargetGroupClient", "fetch_group"]

# Used when a token reply leaves out ttlSeconds: the shortest lifetime seen.
DEFAULT_TOKEN_TTL = 300.0

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")

# Whatever else sending or reading a reply can raise (an invalid header, a bad charset):
# still one sentence, never a traceback.
_OTHER_FAILURES = (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError)


def httpx_failure(error: BaseException) -> Failure:
    """What a failure to send or read amounts to (``error_messages.transport_error``)."""
    if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
        return "connect_timeout"
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        return "read_timeout"
    if isinstance(error, httpx.ConnectError):
        return "connect"
    if isinstance(error, httpx.UnsupportedProtocol):
        return "scheme"
    if isinstance(error, httpx.DecodingError):
        return "corrupt"
    return "dropped"


class TargetGroupClient:
    """Fetch, list and edit target groups over one connection.

    ``transport`` replaces the network (tests); ``sleep`` replaces the waits between
    retries (tests); ``on_request`` is called with every request sent, credentials
    included, so keep what it receives out of logs (``SentRequest.curl()`` redacts);
    ``on_connecting`` is called when a request starts to connect, its client's imports
    and TLS set-up done (the prefetch lets the editor import Textual from then on).
    """

    def __init__(
        self,
        connection: Connection,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        on_request: Callable[[SentRequest], None] | None = None,
        on_connecting: Callable[[], None] | None = None,
    ) -> None:
        self.connection = connection
        self.last_request: SentRequest | None = None
        self._sleep = sleep
        self._on_request = on_request
        self._on_connecting = on_connecting
        # One token generation at a time, even when calls run concurrently.
        self._token_lock = asyncio.Lock()
        # A client that cannot be made (a proxy variable httpx cannot use, a proxy in the
        # way of credentials over plain http) fails each call with one sentence.
        self._unusable: Exception | None = None
        self._http: httpx.AsyncClient | None = None
        # A CA bundle that cannot be read is a setting to fix: its ValueError goes out now.
        verify = connection.ssl_verify() if transport is None else True
        try:
            self._http = httpx.AsyncClient(
                transport=transport,
                timeout=connection.timeouts.to_httpx(),
                verify=verify,
                # A redirected PUT must not be followed silently; a redirect is an error
                # that names where it points (usually http vs https in the base URL).
                follow_redirects=False,
                headers={"User-Agent": USER_AGENT},
                trust_env=not connection.goes_direct(),
            )
        except (ImportError, ValueError, httpx.InvalidURL) as error:  # socksio absent: Import
            self._unusable = error

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    # --- the calls -------------------------------------------------------------------

    async def get_target_group(
        self, group_id: int, include_periods: bool = True, *, check: bool = True
    ) -> FetchedGroup:
        """GET ``v3/targetGroups/{id}``; MalformedReply names the path of a badly shaped group.

        ``check=False`` leaves the shape check to ``check_fetched`` (the editor runs it
        after its first frame: seconds for a big group); the reply must still be an
        object with the id asked for.
        """
        attempt = group_attempt(self.connection, group_id, include_periods)
        return await self._call(
            attempt,
            lambda reply: read_group(self.connection, attempt, reply, group_id, check=check),
            retry=True,
        )

    def check_fetched(self, fetched: FetchedGroup) -> None:
        """The check ``get_target_group(check=False)`` left out: the same MalformedReply."""
        try:
            check_fetched(self.connection, fetched)
        except ApiError as error:
            raise error.redacted() from None

    async def list_target_groups(
        self, *, active_only: bool = False, include_user_created: bool = True
    ) -> list[dict[str, Any]]:
        """GET ``v3/targetGroups``: every group (no pagination), without periods."""
        url = self._url(
            LIST_PATH,
            includePeriods=False,
            includeOnlyActive=active_only,
            includeUserCreatedTargetGroups=include_user_created,
        )
        attempt = self._attempt("listing target groups", "GET", url, None)
        return await self._call(attempt, lambda reply: self._read_list(attempt, reply), retry=True)

    def _read_list(self, attempt: Attempt, reply: Reply) -> list[dict[str, Any]]:
        data = self._decode(attempt, reply).data
        if not isinstance(data, list):
            what = f"data that is {type(data).__name__}, not a list of target groups"
            raise malformed(attempt, reply.status, what, path="data")
        for position, item in enumerate(data):
            if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                what = f"an element at position {position} that is not a target group with an id"
                raise malformed(attempt, reply.status, what, path=f"[#{position}]")
        return data

    async def edit_target_group(self, group_id: int, body_text: str) -> EditResult:
        """PUT ``v3/targetGroups/editTargetGroup/{id}`` with ``body_text`` byte for byte.

        Never repeated. After a 401 with OAuth the token is dropped, so that submitting
        again uses a fresh one.
        """
        url = self._url(EDIT_PATH.format(group_id=group_id))
        attempt = self._attempt(f"editing target group {group_id}", "PUT", url, group_id)
        return await self._call(
            attempt,
            lambda reply: self._read_edit(attempt, reply, group_id),
            body_text=body_text,
            retry=False,
        )

    def _read_edit(self, attempt: Attempt, reply: Reply, group_id: int) -> EditResult:
        envelope = self._decode(attempt, reply)
        group = group_from_reply(self.connection, attempt, reply.status, envelope.data)
        for warning in envelope.warnings:
            log.info("edit of target group %s: server warning %s", group_id, warning)
        return EditResult(group, envelope.warnings, reply.status, reply.text)

    async def check_conflict(
        self, group_id: int, expected_last_updated_on: str | None
    ) -> Conflict | None:
        """Fetch the group again; a Conflict when ``attribution.lastUpdatedOn`` moved."""
        current = await self.get_target_group(group_id, include_periods=True)
        actual = last_updated_on(current.group)
        if same_instant(expected_last_updated_on, actual):
            return None
        return Conflict(expected_last_updated_on, actual, current.group)

    def curl_for_edit(self, group_id: int, body_text: str, *, reveal_secrets: bool = False) -> str:
        """The edit call as curl, with the headers the real request sends."""
        url = self._url(EDIT_PATH.format(group_id=group_id))
        return curl_command("PUT", url, self._headers(), body_text, reveal_secrets=reveal_secrets)

    # --- sending ---------------------------------------------------------------------

    def _url(self, path: str, **query: bool) -> str:
        return call_url(self.connection, path, **query)

    def _attempt(self, action: str, method: str, url: str, group_id: int | None) -> Attempt:
        return attempt_for(self.connection, action, method, url, group_id)

    def _headers(self) -> dict[str, str]:
        return request_headers(self.connection)

    async def _credentials_ready(self) -> None:
        auth = self.connection.auth
        if isinstance(auth, OAuthClientAuth):
            async with self._token_lock:
                if auth.needs_token():
                    await self._generate_token(auth)

    async def _generate_token(self, auth: OAuthClientAuth) -> None:
        url = self._url(TOKEN_PATH)
        attempt = Attempt(
            "generating an OAuth token",
            "POST",
            url,
            auth_advice="check the client key and secret",
            is_token_call=True,
        )
        body = json.dumps(auth.token_request_body())
        token, ttl = await self._call(
            attempt,
            lambda reply: self._read_token(attempt, reply),
            body_text=body,
            retry=False,
            retry_connect=True,
        )
        auth.accept_token(token, ttl)
        log.info("generated an OAuth token valid for %s s", ttl)

    def _read_token(self, attempt: Attempt, reply: Reply) -> tuple[str, float]:
        data = self._decode(attempt, reply).data
        token = data.get("accessToken") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise malformed(attempt, reply.status, "no data.accessToken", path="accessToken")
        ttl = data.get("ttlSeconds") if isinstance(data, dict) else None
        if isinstance(ttl, bool) or not isinstance(ttl, int | float) or ttl <= 0:
            log.warning("token reply without a usable ttlSeconds; assuming %s s", DEFAULT_TOKEN_TTL)
            ttl = DEFAULT_TOKEN_TTL
        return token, float(ttl)

    async def _call(
        self,
        attempt: Attempt,
        read: Callable[[Reply], T],
        *,
        body_text: str | None = None,
        retry: bool,
        retry_connect: bool | None = None,
    ) -> T:
        """Send (``_send``) and read the reply; every failure leaves redacted, from here."""
        try:
            reply = await self._send(
                attempt, body_text=body_text, retry=retry, retry_connect=retry_connect
            )
            return read(reply)
        except ApiError as error:
            raise error.redacted() from error.__cause__

    async def _send(
        self,
        attempt: Attempt,
        *,
        body_text: str | None = None,
        retry: bool,
        retry_connect: bool | None = None,
    ) -> Reply:
        """Send, repeating as allowed; returns the final reply whatever its status.

        ``retry`` allows repeats after connect errors and 429/502/503/504 (reads only);
        ``retry_connect`` alone allows them after connect errors (the token call).
        """
        if self._http is None:
            assert self._unusable is not None
            raise unusable_setup(attempt, self._unusable)
        retry_connect = retry if retry_connect is None else retry_connect
        oauth = self.connection.auth if isinstance(self.connection.auth, OAuthClientAuth) else None
        repeats = 0
        renewed = False
        while True:
            if not attempt.is_token_call:
                await self._credentials_ready()
            headers = request_headers(self.connection, token_call=attempt.is_token_call)
            self._record(attempt, headers, body_text)
            started = time.monotonic()
            try:
                reply = await self._exchange(self._http, attempt, headers, body_text)
            except (TimeoutError, *_OTHER_FAILURES) as error:
                failure = httpx_failure(error)
                # Nothing reached the server, so even the token POST may be repeated.
                if retry_connect and failure in ("connect", "connect_timeout"):
                    delay = connect_retry_delay(error, repeats, self.connection.retries)
                    if delay is not None:
                        await self._wait(attempt, f"a connect error ({error})", delay)
                        repeats += 1
                        continue
                log.debug("%s: %s", attempt.where, error, exc_info=True)
                raise transport_error(attempt, failure, error) from error
            status = reply.status
            log_reply(attempt, status, started)
            if status == 401 and oauth is not None and not attempt.is_token_call:
                oauth.invalidate()
                # A refused token: the request was not processed, but the PUT is still
                # not repeated (the brief's rule); the next call gets a new token.
                if not renewed and attempt.method == "GET":
                    renewed = True
                    log.info("token refused (401); generating a new one and trying once more")
                    continue
            delay = status_retry_delay(reply, repeats, self.connection.retries) if retry else None
            if delay is not None:
                await self._wait(attempt, f"HTTP {status}", delay)
                repeats += 1
                continue
            return reply

    async def _exchange(
        self,
        http: httpx.AsyncClient,
        attempt: Attempt,
        headers: dict[str, str],
        body_text: str | None,
    ) -> Reply:
        """One request and its whole reply, within the deadline and the size limit."""
        loop = asyncio.get_running_loop()
        timeouts = self.connection.timeouts
        async with asyncio.timeout_at(loop.time() + timeouts.connect + timeouts.read) as deadline:

            async def trace(event: str, info: dict[str, Any]) -> None:
                if event == "connection.connect_tcp.started" and self._on_connecting:
                    self._on_connecting()
                elif event.endswith(".send_request_headers.started") and not deadline.expired():
                    # Connected: from here the whole reply has --timeout seconds.
                    deadline.reschedule(loop.time() + timeouts.read)

            request = http.build_request(
                attempt.method,
                attempt.url,
                headers=headers,
                content=body_text.encode("utf-8") if body_text is not None else None,
                extensions={"trace": trace},
            )
            response = await http.send(request, stream=True)
            try:
                body = await self._read_body(attempt, response)
            finally:
                await response.aclose()
        return Reply(response.status_code, response.headers, _text(attempt, response, body), body)

    async def _read_body(self, attempt: Attempt, response: httpx.Response) -> bytes:
        """The decompressed body, refused as soon as it passes the size limit."""
        limit = self.connection.max_reply_bytes
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                what = f"a reply larger than the {limit // (1024 * 1024)} MB limit, refused"
                raise malformed(attempt, response.status_code, what)
            chunks.append(chunk)
        return b"".join(chunks)

    async def _wait(self, attempt: Attempt, why: str, delay: float) -> None:
        log_wait(attempt, why, delay)
        await self._sleep(delay)

    def _record(self, attempt: Attempt, headers: dict[str, str], body_text: str | None) -> None:
        if attempt.is_token_call:
            body_text = '{"key": "<redacted>", "secret": "<redacted>"}'
        sent = SentRequest(attempt.method, attempt.url, dict(headers), body_text)
        if not attempt.is_token_call:
            self.last_request = sent
        if self._on_request is not None:
            self._on_request(sent)

    def _decode(self, attempt: Attempt, reply: Reply) -> Envelope:
        return decode(self.connection, attempt, reply)


def _text(attempt: Attempt, response: httpx.Response, body: bytes) -> str:
    """The body as text; a 2xx reply that is not valid in its charset cannot be read."""
    charset = response.charset_encoding or "utf-8"
    try:
        return body.decode(charset)
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", errors="replace")
    except UnicodeDecodeError as error:
        if 200 <= response.status_code < 300:
            what = f"text that is not valid {charset} (byte {error.start} cannot be read)"
            raise malformed(attempt, response.status_code, what) from None
        return body.decode(charset, errors="replace")  # an error page: its excerpt still helps


def fetch_group(
    connection: Connection,
    group_id: int,
    *,
    check: bool = True,
    on_connecting: Callable[[], None] | None = None,
) -> FetchedGroup:
    """GET one group with its periods, outside any event loop (the CLI's reads, the
    editor's prefetch thread): ``TargetGroupClient.get_target_group`` run to its end."""

    async def fetch() -> FetchedGroup:
        async with TargetGroupClient(connection, on_connecting=on_connecting) as client:
            return await client.get_target_group(group_id, check=check)

    return asyncio.run(fetch())
