"""The request a call sends, and the reading of its reply (``client.py`` sends).

The client builds URL and headers here, hands each reply here as a ``Reply`` (status,
headers, text), and gets back the envelope, the ApiError or the decision whether to try
again. The error types and their messages (``errors``, ``error_messages``) are imported
where a reply turns out to be a failure: a good reply (the editor's first GET) needs neither.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlencode

from tui import __version__
from tui.api.attempt import Attempt
from tui.api.auth import BASE_HEADERS, OAuthClientAuth, credential_headers
from tui.api.endpoints import GROUP_PATH
from tui.api.fetched import FetchedGroup
from tui.api.replies import Envelope, clean_excerpt, decode_envelope, json_problem
from tui.api.retry import RETRY_STATUSES, backoff_delay, parse_retry_after, retry_delay
from tui.api.urls import endpoint_url, public_url
from tui.model.errors import ModelError

if TYPE_CHECKING:
    from tui.api.connection import Connection
    from tui.api.errors import ApiError

log = logging.getLogger("tgedit.api")

USER_AGENT = f"tgedit/{__version__}"


class ReplyHeaders(Protocol):
    """Reply headers; ``get`` ignores the case of the name (httpx's do)."""

    def get(self, name: str, /) -> str | None: ...


@dataclass(slots=True)
class Reply:
    """One HTTP reply as the reading functions need it; ``body`` the bytes (decompressed)."""

    status: int
    headers: ReplyHeaders = field(repr=False)
    text: str = field(repr=False)
    body: bytes = field(default=b"", repr=False)


# --- the request ------------------------------------------------------------------------


def _flag(value: bool) -> str:
    return "true" if value else "false"


def call_url(connection: Connection, path: str, **query: bool) -> str:
    url = endpoint_url(connection.base_url, path)
    return f"{url}?{urlencode({k: _flag(v) for k, v in query.items()})}" if query else url


def request_headers(connection: Connection, *, token_call: bool = False) -> dict[str, str]:
    """The headers of a call (the User-Agent aside, which the httpx client sets once)."""
    if token_call:
        return dict(BASE_HEADERS)
    return {**BASE_HEADERS, **credential_headers(connection.auth)}


def attempt_for(
    connection: Connection, action: str, method: str, url: str, group_id: int | None
) -> Attempt:
    advice = connection.auth.refused_advice()
    if isinstance(connection.auth, OAuthClientAuth) and method != "GET":
        advice = "the OAuth token was refused; a new one will be generated: send again"
    return Attempt(action, method, url, group_id, advice)


def group_attempt(connection: Connection, group_id: int, include_periods: bool) -> Attempt:
    """The GET of one group: its URL, and the words its failure is told in."""
    url = call_url(connection, GROUP_PATH.format(group_id=group_id), includePeriods=include_periods)
    return attempt_for(connection, f"fetching target group {group_id}", "GET", url, group_id)


# --- when to try again --------------------------------------------------------------------


def status_retry_delay(reply: Reply, repeats: int, retries: int) -> float | None:
    """The wait before repeating a read answered 429/502/503/504; None: do not repeat."""
    if reply.status not in RETRY_STATUSES or repeats >= retries:
        return None
    return retry_delay(reply.status, reply.headers.get("Retry-After"), repeats)


def connect_retry_delay(error: BaseException, repeats: int, retries: int) -> float | None:
    """The wait before repeating a request that reached no server; None: do not repeat.

    A certificate that is not trusted now will not be trusted in a second.
    """
    from tui.api.error_messages import is_tls_failure

    if repeats >= retries or is_tls_failure(error):
        return None
    return backoff_delay(repeats)


def log_reply(attempt: Attempt, status: int, started: float) -> None:
    """``started``: ``time.monotonic()`` when the request went out."""
    elapsed = (time.monotonic() - started) * 1000
    log.debug("%s %s -> %s in %.0f ms", attempt.method, public_url(attempt.url), status, elapsed)


def log_wait(attempt: Attempt, why: str, delay: float) -> None:
    log.info("%s: %s; trying again in %.1f s", attempt.where, why, delay)


# --- the reply ----------------------------------------------------------------------------


def decode(connection: Connection, attempt: Attempt, reply: Reply) -> Envelope:
    """The envelope of a 2xx reply with data; any other reply raises its ApiError."""
    envelope = decode_envelope(reply.body or reply.text)
    if (
        200 <= reply.status < 300
        and envelope is not None
        and envelope.has_data
        and not envelope.errors
    ):
        return envelope
    raise _refused(attempt, reply, envelope)


def _refused(attempt: Attempt, reply: Reply, envelope: Envelope | None) -> ApiError:
    """The ApiError of a reply ``decode`` does not accept."""
    from tui.api.error_messages import errors_in_reply, malformed, status_error

    status = reply.status
    text = reply.text
    if not 200 <= status < 300:
        errors = envelope.errors if envelope else []
        excerpt = None if envelope is not None else (clean_excerpt(text) or None)
        retry_after = parse_retry_after(reply.headers.get("Retry-After"))
        location = reply.headers.get("Location") if 300 <= status < 400 else None
        return status_error(
            attempt, status, errors, excerpt, retry_after=retry_after, location=location
        )
    if envelope is None:
        excerpt = clean_excerpt(text)
        problem = json_problem(reply.body or text.encode("utf-8", "surrogatepass"))
        what = problem or f'a reply that is not the API\'s JSON envelope: "{excerpt}"'
        return malformed(attempt, status, what, excerpt=excerpt)
    if envelope.errors:
        return errors_in_reply(attempt, status, envelope.errors)
    return malformed(attempt, status, "an envelope without data")


def group_from_reply(
    connection: Connection, attempt: Attempt, status: int, data: Any
) -> dict[str, Any]:
    """``data`` checked against the documented shape (``tui.model.check``), returned untouched."""
    # Imported here: the catalog it is generated from is not needed to send the first GET.
    from tui.model.check import SERVER
    from tui.model.check import check_group as check_shape

    try:
        check_shape(data, source=SERVER)
    except ModelError as error:
        from tui.api.error_messages import malformed

        what = f"a target group of the wrong shape ({error})"
        advice = (
            "report it: the editor will not change a group it cannot read correctly"
            if not attempt.changes_state
            else None
        )
        raise malformed(attempt, status, what, path=error.path, advice=advice) from None
    assert isinstance(data, dict)  # a check accepts only an object
    return data


def check_fetched(connection: Connection, fetched: FetchedGroup) -> None:
    """The check ``read_group(check=False)`` left out: the same MalformedReply."""
    if fetched.checked:
        return
    group_id = fetched.group["id"]  # read_group saw it is the id asked for
    attempt = group_attempt(connection, group_id, True)
    group_from_reply(connection, attempt, fetched.status, fetched.group)
    fetched.checked = True


def read_group(
    connection: Connection,
    attempt: Attempt,
    reply: Reply,
    group_id: int,
    *,
    check: bool,
) -> FetchedGroup:
    """The reply to a group's GET as a FetchedGroup, or the ApiError it amounts to.

    ``check=False`` leaves the check of the shape to later (``check_fetched``); the reply
    must still be an object with the id asked for.
    """
    envelope = decode(connection, attempt, reply)
    data = envelope.data
    if check or not isinstance(data, dict):
        group = group_from_reply(connection, attempt, reply.status, data)
    else:
        group = data
    if group.get("id") != group_id:
        from tui.api.error_messages import malformed

        raise malformed(
            attempt,
            reply.status,
            f"target group {group.get('id')!r} instead of {group_id}",
            path="id",
        )
    return FetchedGroup(
        group=group,
        text=reply.text,
        warnings=envelope.warnings,
        status=reply.status,
        checked=check,
    )
