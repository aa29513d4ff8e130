"""The target-group client: where every request to the API goes out.

One ``httpx.AsyncClient`` per ``TargetGroupClient``; use it as an async context manager.
Every request, the editor's first GET included (``tui.session.prefetch``), goes through
one send loop, ``_send_steps``: a generator that says what to do next (``Exchange`` a
request for its reply, ``Wait``, ``Renew`` the OAuth token) and is driven either with
``await`` (``TargetGroupClient``) or blocking (``BlockingClient``, ``fetch_group``: the
CLI's reads and the prefetch thread, which so import neither asyncio nor anyio). Only
the byte-level exchange exists twice. One retry policy (GETs repeated on connect errors, 429 and 502/503/504 with
exponential backoff; the edit call, a PUT, never; a 429 pauses every call of the client,
``Pause``), one deadline for the whole reply, one
size limit, one mapping of failures to messages, and one redaction of what they say.
"""

from __future__ import annotations

import functools
import json
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
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
from tui.api.retry import Pause

log = logging.getLogger("tgedit.api")

__all__ = ["BlockingClient", "TargetGroupClient", "fetch_group"]

# Used when a token reply leaves out ttlSeconds: the shortest lifetime seen.
DEFAULT_TOKEN_TTL = 300.0

Sleep = Callable[[float], Awaitable[None]]
C = TypeVar("C")  # an httpx client, sync or async
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


@dataclass(slots=True)
class Exchange:
    """A step of the send loop: send this request; the loop receives its ``Reply``, or
    has the failure to send or read it thrown in."""

    attempt: Attempt
    headers: dict[str, str]
    body_text: str | None


@dataclass(slots=True)
class Wait:
    """A step of the send loop: wait this many seconds before the next try."""

    seconds: float


@dataclass(slots=True)
class Renew:
    """A step of the send loop: make sure ``auth`` holds a token (one generation at a time:
    the driver runs ``steps`` only when none came in meanwhile); receives None."""

    auth: OAuthClientAuth
    steps: Callable[[], Generator[Step, Any, None]]


Step = Exchange | Wait | Renew
Steps = Generator[Step, Any, T]


def client_options(connection: Connection, verify: ssl.SSLContext | bool) -> dict[str, Any]:
    """The options of the connection's httpx client, blocking (``httpx.Client``) or not
    (``httpx.AsyncClient``): the same TLS (``verify``, from ``Connection.ssl_verify``),
    timeouts, redirects, headers and proxy rule (ValueError when it refuses).
    """
    return {
        "timeout": connection.timeouts.to_httpx(),
        "verify": verify,
        # A redirected PUT must not be followed silently; a redirect is an error that
        # names where it points (usually http vs https in the base URL).
        "follow_redirects": False,
        "headers": {"User-Agent": USER_AGENT},
        "trust_env": not connection.goes_direct(),
    }


class _BodyReader:
    """The body's chunks gathered, refused as soon as they pass the size limit (both
    exchanges read through it)."""

    def __init__(self, connection: Connection, attempt: Attempt, response: httpx.Response):
        self._limit = connection.max_reply_bytes
        self._attempt = attempt
        self._response = response
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self._limit:
            what = f"a reply larger than the {self._limit // (1024 * 1024)} MB limit, refused"
            raise malformed(self._attempt, self._response.status_code, what)
        self._chunks.append(chunk)

    def reply(self) -> Reply:
        response = self._response
        body = b"".join(self._chunks)
        return Reply(
            response.status_code, response.headers, _text(self._attempt, response, body), body
        )


class _Calls:
    """The calls as send-loop generators (``_send_steps``), for either driver."""

    def __init__(
        self,
        connection: Connection,
        *,
        on_request: Callable[[SentRequest], None] | None = None,
        on_connecting: Callable[[], None] | None = None,
    ) -> None:
        self.connection = connection
        # A 429 pauses every call of this client, however many run at once.
        self.pause = Pause()
        self.last_request: SentRequest | None = None
        self._on_request = on_request
        self._on_connecting = on_connecting
        # A client that cannot be made (a proxy variable httpx cannot use, a proxy in the
        # way of credentials over plain http) fails each call with one sentence.
        self._unusable: Exception | None = None

    def _has_client(self) -> bool:
        raise NotImplementedError

    def _client(self, make: Callable[..., C], transport: object | None) -> C | None:
        """``make`` (httpx.Client or AsyncClient) with this connection's options; None,
        kept in ``_unusable`` for each call to say, when it cannot be made."""
        # A CA bundle that cannot be read is a setting to fix: its ValueError goes out now.
        verify = self.connection.ssl_verify() if transport is None else True
        try:
            return make(transport=transport, **client_options(self.connection, verify))
        except (ImportError, ValueError, httpx.InvalidURL) as error:  # socksio absent: Import
            self._unusable = error
            return None

    def _group_steps(
        self, group_id: int, include_periods: bool, check: bool
    ) -> Steps[FetchedGroup]:
        attempt = group_attempt(self.connection, group_id, include_periods)
        return self._call_steps(
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

    def _list_steps(
        self, active_only: bool, include_user_created: bool
    ) -> Steps[list[dict[str, Any]]]:
        url = self._url(
            LIST_PATH,
            includePeriods=False,
            includeOnlyActive=active_only,
            includeUserCreatedTargetGroups=include_user_created,
        )
        attempt = self._attempt("listing target groups", "GET", url, None)
        return self._call_steps(attempt, lambda reply: self._read_list(attempt, reply), retry=True)

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

    def _edit_steps(self, group_id: int, body_text: str) -> Steps[EditResult]:
        url = self._url(EDIT_PATH.format(group_id=group_id))
        attempt = self._attempt(f"editing target group {group_id}", "PUT", url, group_id)
        return self._call_steps(
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

    def curl_for_edit(self, group_id: int, body_text: str, *, reveal_secrets: bool = False) -> str:
        """The edit call as curl, with the headers the real request sends."""
        url = self._url(EDIT_PATH.format(group_id=group_id))
        return curl_command("PUT", url, self._headers(), body_text, reveal_secrets=reveal_secrets)

    # --- the send loop ---------------------------------------------------------------

    def _url(self, path: str, **query: bool) -> str:
        return call_url(self.connection, path, **query)

    def _attempt(self, action: str, method: str, url: str, group_id: int | None) -> Attempt:
        return attempt_for(self.connection, action, method, url, group_id)

    def _headers(self) -> dict[str, str]:
        return request_headers(self.connection)

    def _token_steps(self, auth: OAuthClientAuth) -> Steps[None]:
        url = self._url(TOKEN_PATH)
        attempt = Attempt(
            "generating an OAuth token",
            "POST",
            url,
            auth_advice="check the client key and secret",
            is_token_call=True,
        )
        body = json.dumps(auth.token_request_body())
        token, ttl = yield from self._call_steps(
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

    def _call_steps(
        self,
        attempt: Attempt,
        read: Callable[[Reply], T],
        *,
        body_text: str | None = None,
        retry: bool,
        retry_connect: bool | None = None,
    ) -> Steps[T]:
        """Send (``_send_steps``) and read the reply; every failure leaves redacted, from here."""
        try:
            reply = yield from self._send_steps(
                attempt, body_text=body_text, retry=retry, retry_connect=retry_connect
            )
            return read(reply)
        except ApiError as error:
            raise error.redacted() from error.__cause__

    def _send_steps(
        self,
        attempt: Attempt,
        *,
        body_text: str | None = None,
        retry: bool,
        retry_connect: bool | None = None,
    ) -> Steps[Reply]:
        """The send loop: send, repeating as allowed; returns the final reply whatever its
        status. Yields what the driver must do (``Step``) and receives its result.

        ``retry`` allows repeats after connect errors and 429/502/503/504 (reads only);
        ``retry_connect`` alone allows them after connect errors (the token call).
        """
        if not self._has_client():
            assert self._unusable is not None
            raise unusable_setup(attempt, self._unusable)
        retry_connect = retry if retry_connect is None else retry_connect
        oauth = self.connection.auth if isinstance(self.connection.auth, OAuthClientAuth) else None
        repeats = 0
        renewed = False
        waited_until = 0.0  # the end of the last pause this request waited out
        while True:
            # A pause another call began (a 429): no request until it ends.
            if self.pause.until > waited_until and (left := self.pause.left()) > 0:
                waited_until = self.pause.until
                log_wait(attempt, "the server asked to slow down (HTTP 429)", left)
                yield Wait(left)
                continue
            if oauth is not None and not attempt.is_token_call and oauth.needs_token():
                yield Renew(oauth, functools.partial(self._token_steps, oauth))
            headers = request_headers(self.connection, token_call=attempt.is_token_call)
            self._record(attempt, headers, body_text)
            started = time.monotonic()
            try:
                reply: Reply = yield Exchange(attempt, headers, body_text)
            except (TimeoutError, *_OTHER_FAILURES) as error:
                failure = httpx_failure(error)
                # Nothing reached the server, so even the token POST may be repeated.
                if retry_connect and failure in ("connect", "connect_timeout"):
                    delay = connect_retry_delay(error, repeats, self.connection.retries)
                    if delay is not None:
                        log_wait(attempt, f"a connect error ({error})", delay)
                        yield Wait(delay)
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
                log_wait(attempt, f"HTTP {status}", delay)
                if status == 429:
                    waited_until = self.pause.hold(delay)
                yield Wait(delay)
                repeats += 1
                continue
            return reply

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

    def _request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        step: Exchange,
        trace: Callable[[str, dict[str, Any]], Any],
    ) -> httpx.Request:
        body_text = step.body_text
        return http.build_request(
            step.attempt.method,
            step.attempt.url,
            headers=step.headers,
            content=body_text.encode("utf-8") if body_text is not None else None,
            extensions={"trace": trace},
        )


class TargetGroupClient(_Calls):
    """Fetch, list and edit target groups over one connection (the send loop driven
    with ``await``).

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
        sleep: Sleep | None = None,
        on_request: Callable[[SentRequest], None] | None = None,
        on_connecting: Callable[[], None] | None = None,
    ) -> None:
        import asyncio

        super().__init__(connection, on_request=on_request, on_connecting=on_connecting)
        self._sleep = sleep or asyncio.sleep
        # One token generation at a time, even when calls run concurrently.
        self._token_lock = asyncio.Lock()
        self._http: httpx.AsyncClient | None = self._client(httpx.AsyncClient, transport)

    def _has_client(self) -> bool:
        return self._http is not None

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
        return await self._run(self._group_steps(group_id, include_periods, check))

    async def list_target_groups(
        self, *, active_only: bool = False, include_user_created: bool = True
    ) -> list[dict[str, Any]]:
        """GET ``v3/targetGroups``: every group (no pagination), without periods."""
        return await self._run(self._list_steps(active_only, include_user_created))

    async def edit_target_group(self, group_id: int, body_text: str) -> EditResult:
        """PUT ``v3/targetGroups/editTargetGroup/{id}`` with ``body_text`` byte for byte.

        Never repeated. After a 401 with OAuth the token is dropped, so that submitting
        again uses a fresh one.
        """
        return await self._run(self._edit_steps(group_id, body_text))

    async def check_conflict(
        self, group_id: int, expected_last_updated_on: str | None
    ) -> Conflict | None:
        """Fetch the group again; a Conflict when ``attribution.lastUpdatedOn`` moved."""
        current = await self.get_target_group(group_id, include_periods=True)
        actual = last_updated_on(current.group)
        if same_instant(expected_last_updated_on, actual):
            return None
        return Conflict(expected_last_updated_on, actual, current.group)

    # --- the driver ------------------------------------------------------------------

    async def _run(self, steps: Steps[T]) -> T:
        """Drive the send loop with ``await``: each step done, its result sent back in."""
        result: Any = None
        failure: BaseException | None = None
        while True:
            try:
                step = steps.send(result) if failure is None else steps.throw(failure)
            except StopIteration as done:
                return done.value
            result, failure = None, None
            try:
                if isinstance(step, Exchange):
                    assert self._http is not None
                    result = await self._exchange(self._http, step)
                elif isinstance(step, Wait):
                    await self._sleep(step.seconds)
                else:
                    async with self._token_lock:
                        if step.auth.needs_token():
                            await self._run(step.steps())
            except Exception as error:  # the loop decides what it amounts to
                failure = error

    async def _exchange(self, http: httpx.AsyncClient, step: Exchange) -> Reply:
        """One request and its whole reply, within the deadline and the size limit."""
        import asyncio

        loop = asyncio.get_running_loop()
        timeouts = self.connection.timeouts
        async with asyncio.timeout_at(loop.time() + timeouts.connect + timeouts.read) as deadline:

            async def trace(event: str, info: dict[str, Any]) -> None:
                if event == "connection.connect_tcp.started" and self._on_connecting:
                    self._on_connecting()
                elif event.endswith(".send_request_headers.started") and not deadline.expired():
                    # Connected: from here the whole reply has --timeout seconds.
                    deadline.reschedule(loop.time() + timeouts.read)

            response = await http.send(self._request(http, step, trace), stream=True)
            try:
                body = _BodyReader(self.connection, step.attempt, response)
                async for chunk in response.aiter_bytes():
                    body.add(chunk)
            finally:
                await response.aclose()
        return body.reply()


class BlockingClient(_Calls):
    """The reads of ``TargetGroupClient`` without an event loop (the send loop driven
    blocking, over ``httpx.Client``): for the CLI's reads and the prefetch thread, which
    so import neither asyncio nor anyio. Use it as a context manager.

    The whole-reply deadline is kept while the body streams in, and by httpx's timeouts
    for each wait on the network; ``sleep`` replaces the waits between retries (tests).
    """

    def __init__(
        self,
        connection: Connection,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        on_request: Callable[[SentRequest], None] | None = None,
        on_connecting: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(connection, on_request=on_request, on_connecting=on_connecting)
        self._sleep = sleep
        self._http: httpx.Client | None = self._client(httpx.Client, transport)

    def _has_client(self) -> bool:
        return self._http is not None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def get_target_group(
        self, group_id: int, include_periods: bool = True, *, check: bool = True
    ) -> FetchedGroup:
        """As ``TargetGroupClient.get_target_group``, blocking."""
        return self._run(self._group_steps(group_id, include_periods, check))

    def _run(self, steps: Steps[T]) -> T:
        """Drive the send loop blocking: each step done, its result sent back in."""
        result: Any = None
        failure: BaseException | None = None
        while True:
            try:
                step = steps.send(result) if failure is None else steps.throw(failure)
            except StopIteration as done:
                return done.value
            result, failure = None, None
            try:
                if isinstance(step, Exchange):
                    assert self._http is not None
                    result = self._exchange(self._http, step)
                elif isinstance(step, Wait):
                    self._sleep(step.seconds)
                elif step.auth.needs_token():  # one thread: no other generation to wait for
                    self._run(step.steps())
            except Exception as error:  # the loop decides what it amounts to
                failure = error

    def _exchange(self, http: httpx.Client, step: Exchange) -> Reply:
        """One request and its whole reply, within the deadline and the size limit."""
        timeouts = self.connection.timeouts
        deadline = time.monotonic() + timeouts.connect + timeouts.read

        def trace(event: str, info: dict[str, Any]) -> None:
            nonlocal deadline
            if event == "connection.connect_tcp.started" and self._on_connecting:
                self._on_connecting()
            elif event.endswith(".send_request_headers.started"):
                # Connected: from here the whole reply has --timeout seconds.
                deadline = min(deadline, time.monotonic() + timeouts.read)

        response = http.send(self._request(http, step, trace), stream=True)
        try:
            body = _BodyReader(self.connection, step.attempt, response)
            if time.monotonic() > deadline:
                raise TimeoutError("no whole reply within the time allowed")
            for chunk in response.iter_bytes():
                body.add(chunk)
                if time.monotonic() > deadline:
                    raise TimeoutError("no whole reply within the time allowed")
        finally:
            response.close()
        return body.reply()


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
    editor's prefetch thread): the send loop driven blocking (``BlockingClient``)."""
    with BlockingClient(connection, on_connecting=on_connecting) as client:
        return client.get_target_group(group_id, check=check)
