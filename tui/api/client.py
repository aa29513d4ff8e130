"""The target-group client: where every request to the API goes out.

One ``httpx.AsyncClient`` per ``TargetGroupClient``; use it as an async context manager.
GETs are repeated on connect errors, 429 and 502/503/504 with exponential backoff; the
edit call (PUT) is never repeated, because a PUT that timed out may have been applied.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self

import httpx

from tui.api.attempt import Attempt, Failure
from tui.api.auth import OAuthClientAuth
from tui.api.connection import Connection
from tui.api.curl import curl_command
from tui.api.endpoints import EDIT_PATH, GROUP_PATH, LIST_PATH, TOKEN_PATH
from tui.api.error_messages import malformed, transport_error
from tui.api.errors import ApiError
from tui.api.exchange import (
    USER_AGENT,
    Reply,
    attempt_for,
    call_url,
    check_fetched,
    check_group,
    connect_retry_delay,
    decode,
    group_attempt,
    log_reply,
    log_wait,
    read_group,
    request_headers,
    scrubbed,
    status_retry_delay,
)
from tui.api.fetched import FetchedGroup, last_updated_on
from tui.api.replies import Envelope
from tui.api.results import Conflict, EditResult, SentRequest, same_instant

log = logging.getLogger("tgedit.api")

__all__ = ["GROUP_PATH", "LIST_PATH", "TOKEN_PATH", "USER_AGENT", "TargetGroupClient"]

# Used when a token reply leaves out ttlSeconds: the shortest lifetime seen.
DEFAULT_TOKEN_TTL = 300.0

Sleep = Callable[[float], Awaitable[None]]


def httpx_failure(error: httpx.TransportError) -> Failure:
    """What an httpx transport error amounts to (``error_messages.transport_error``)."""
    if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
        return "connect_timeout"
    if isinstance(error, httpx.TimeoutException):
        return "read_timeout"
    if isinstance(error, httpx.ConnectError):
        return "connect"
    if isinstance(error, httpx.UnsupportedProtocol):
        return "scheme"
    return "dropped"


def _reply(response: httpx.Response) -> Reply:
    return Reply(response.status_code, response.headers, response.text)


class TargetGroupClient:
    """Fetch, list and edit target groups over one connection.

    ``transport`` replaces the network (tests); ``sleep`` replaces the waits between
    retries (tests); ``on_request`` is called with every request sent, credentials
    included, so keep what it receives out of logs (``SentRequest.curl()`` redacts).
    """

    def __init__(
        self,
        connection: Connection,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        on_request: Callable[[SentRequest], None] | None = None,
    ) -> None:
        self.connection = connection
        self.last_request: SentRequest | None = None
        self._sleep = sleep
        self._on_request = on_request
        # One token generation at a time, even when calls run concurrently.
        self._token_lock = asyncio.Lock()
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=connection.timeouts.to_httpx(),
            verify=connection.ssl_verify() if transport is None else True,
            # A redirected PUT must not be followed silently; a redirect is an error that
            # names where it points (usually http vs https in the base URL).
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )

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
        await self._http.aclose()

    # --- the calls -------------------------------------------------------------------

    async def get_target_group(
        self,
        group_id: int,
        include_periods: bool = True,
        *,
        check: bool = True,
        models: bool = True,
    ) -> FetchedGroup:
        """GET ``v3/targetGroups/{id}``; MalformedReply names the path of a badly shaped group.

        ``check=False`` leaves the check against the models to ``check_fetched`` (the
        editor runs it after its first frame: it costs pydantic's import, and seconds for
        a big group); the reply must still be an object with the id asked for.
        ``models=False`` checks the same shape without pydantic (``tui.model.shape``), for
        the headless commands, which would spend more on importing pydantic than on the rest.
        """
        attempt = group_attempt(self.connection, group_id, include_periods)
        response = await self._send(attempt, retry=True)
        return read_group(
            self.connection, attempt, _reply(response), group_id, check=check, models=models
        )

    def check_fetched(self, fetched: FetchedGroup) -> None:
        """The check ``get_target_group(check=False)`` left out: the same MalformedReply."""
        check_fetched(self.connection, fetched)

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
        response = await self._send(attempt, retry=True)
        data = self._decode(attempt, response).data
        if not isinstance(data, list):
            what = f"data that is {type(data).__name__}, not a list of target groups"
            raise self._scrubbed(malformed(attempt, response.status_code, what, path="data"))
        for position, item in enumerate(data):
            if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                what = f"an element at position {position} that is not a target group with an id"
                raise self._scrubbed(
                    malformed(attempt, response.status_code, what, path=f"[#{position}]")
                )
        return data

    async def edit_target_group(self, group_id: int, body_text: str) -> EditResult:
        """PUT ``v3/targetGroups/editTargetGroup/{id}`` with ``body_text`` byte for byte.

        Never repeated. After a 401 with OAuth the token is dropped, so that submitting
        again uses a fresh one.
        """
        url = self._url(EDIT_PATH.format(group_id=group_id))
        attempt = self._attempt(f"editing target group {group_id}", "PUT", url, group_id)
        response = await self._send(attempt, body_text=body_text, retry=False)
        envelope = self._decode(attempt, response)
        group = self._check_group(attempt, response.status_code, envelope.data)
        for warning in envelope.warnings:
            log.info("edit of target group %s: server warning %s", group_id, warning)
        return EditResult(group, envelope.warnings, response.status_code, response.text)

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
        response = await self._send(attempt, body_text=body, retry=False, retry_connect=True)
        data = self._decode(attempt, response).data
        token = data.get("accessToken") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise self._scrubbed(
                malformed(attempt, response.status_code, "no data.accessToken", path="accessToken")
            )
        ttl = data.get("ttlSeconds") if isinstance(data, dict) else None
        if isinstance(ttl, bool) or not isinstance(ttl, int | float) or ttl <= 0:
            log.warning("token reply without a usable ttlSeconds; assuming %s s", DEFAULT_TOKEN_TTL)
            ttl = DEFAULT_TOKEN_TTL
        auth.accept_token(token, float(ttl))
        log.info("generated an OAuth token valid for %s s", ttl)

    async def _send(
        self,
        attempt: Attempt,
        *,
        body_text: str | None = None,
        retry: bool,
        retry_connect: bool | None = None,
    ) -> httpx.Response:
        """Send, repeating as allowed; returns the final response whatever its status.

        ``retry`` allows repeats after connect errors and 429/502/503/504 (reads only);
        ``retry_connect`` alone allows them after connect errors (the token call).
        """
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
                response = await self._http.request(
                    attempt.method,
                    attempt.url,
                    headers=headers,
                    content=body_text.encode("utf-8") if body_text is not None else None,
                )
            except httpx.TransportError as error:
                failure = httpx_failure(error)
                # Nothing reached the server, so even the token POST may be repeated.
                if retry_connect and failure in ("connect", "connect_timeout"):
                    delay = connect_retry_delay(error, repeats, self.connection.retries)
                    if delay is not None:
                        await self._wait(attempt, f"a connect error ({error})", delay)
                        repeats += 1
                        continue
                raise self._scrubbed(transport_error(attempt, failure, error)) from error
            status = response.status_code
            log_reply(attempt, status, started)
            if status == 401 and oauth is not None and not attempt.is_token_call:
                oauth.invalidate()
                # A refused token: the request was not processed, but the PUT is still
                # not repeated (the brief's rule); the next call gets a new token.
                if not renewed and attempt.method == "GET":
                    renewed = True
                    log.info("token refused (401); generating a new one and trying once more")
                    continue
            delay = (
                status_retry_delay(_reply(response), repeats, self.connection.retries)
                if retry
                else None
            )
            if delay is not None:
                await self._wait(attempt, f"HTTP {status}", delay)
                repeats += 1
                continue
            return response

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

    # --- reading replies (tui.api.exchange, shared with the standard-library GET) ---------

    def _decode(self, attempt: Attempt, response: httpx.Response) -> Envelope:
        return decode(self.connection, attempt, _reply(response))

    def _check_group(
        self, attempt: Attempt, status: int, data: Any, *, models: bool = True
    ) -> dict[str, Any]:
        return check_group(self.connection, attempt, status, data, models=models)

    def _scrubbed(self, error: ApiError) -> ApiError:
        return scrubbed(self.connection, error)
