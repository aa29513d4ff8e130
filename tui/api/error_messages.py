"""Turning what went wrong into an ApiError with a one-sentence message.

Each message says what failed (the action, with the group id), where (method and URL,
without credentials), why (status, envelope errors as ``310008: …``, or an excerpt) and
what to do next. For a PUT whose outcome is unknown it says to reload before sending
again, since the change may have been applied.
"""

from __future__ import annotations

import re
import socket
import ssl

from tui.api.attempt import Attempt, Failure
from tui.api.errors import (
    ApiError,
    ErrorItem,
    ErrorsInReply,
    HttpError,
    MalformedReply,
    NetworkError,
    RateLimited,
    RequestTimeout,
    http_error_class,
)
from tui.api.replies import clean_text, format_errors
from tui.api.urls import host_of, public_url

MAYBE_APPLIED = "the change may or may not have been applied: reload to check before sending again"


def _status_advice(attempt: Attempt, status: int, retry_after: float | None) -> str:
    if status == 400:
        return "fix what the errors name and try again"
    if status == 401:
        return attempt.auth_advice
    if status == 403:
        return (
            "the credentials were accepted but may not use target groups: "
            "ask an admin for target-group rights"
        )
    if status == 404:
        if attempt.group_id is not None:
            return "check the group id, and that the base URL or cluster is the right one"
        return "check the base URL or cluster"
    if status == 429:
        wait = f"{retry_after:g} s" if retry_after is not None else "a minute"
        return f"the server is limiting the request rate: wait {wait} and try again"
    if 300 <= status < 400:
        return "check the base URL (http or https, and its path)"
    if status >= 500:
        if attempt.changes_state:
            return f"the server or a proxy in front of it failed, and {MAYBE_APPLIED}"
        return "the server or a proxy in front of it is failing: try again later"
    return "check the base URL and try again"


def status_error(
    attempt: Attempt,
    status: int,
    errors: list[ErrorItem],
    excerpt: str | None,
    *,
    retry_after: float | None = None,
    location: str | None = None,
) -> HttpError:
    """The HttpError subclass for ``status``, with the envelope's errors or the body's excerpt."""
    if errors:
        why = f"HTTP {status} with {format_errors(errors, status)}"
    elif location:
        why = f"HTTP {status}, a redirect to {clean_text(public_url(location))}"
    elif excerpt:
        why = f'HTTP {status} with a reply that is not the API\'s JSON: "{excerpt}"'
    else:
        why = f"HTTP {status}"
    message = attempt.sentence(why, _status_advice(attempt, status, retry_after))
    url = public_url(attempt.url)
    cls = http_error_class(status)
    if cls is RateLimited:
        return RateLimited(
            message,
            status=status,
            errors=errors,
            excerpt=excerpt,
            url=url,
            group_id=attempt.group_id,
            retry_after=retry_after,
        )
    return cls(
        message, status=status, errors=errors, excerpt=excerpt, url=url, group_id=attempt.group_id
    )


def errors_in_reply(attempt: Attempt, status: int, errors: list[ErrorItem]) -> ErrorsInReply:
    advice = MAYBE_APPLIED if attempt.changes_state else "try again, and report it if it repeats"
    message = attempt.sentence(
        f"the server answered HTTP {status} but listed errors: {format_errors(errors, status)}",
        advice,
    )
    return ErrorsInReply(
        message,
        status=status,
        errors=errors,
        url=public_url(attempt.url),
        group_id=attempt.group_id,
    )


def malformed(
    attempt: Attempt,
    status: int,
    what: str,
    *,
    excerpt: str | None = None,
    path: str | None = None,
    advice: str | None = None,
) -> MalformedReply:
    """A 2xx reply the client cannot use; ``what`` says how it is wrong."""
    if advice is None:
        advice = (
            MAYBE_APPLIED
            if attempt.changes_state
            else "check that the base URL points at the Capillary API, and report it if it does"
        )
    message = attempt.sentence(f"the server answered HTTP {status} with {what}", advice)
    return MalformedReply(
        message,
        status=status,
        excerpt=excerpt,
        path=path,
        url=public_url(attempt.url),
        group_id=attempt.group_id,
    )


def _causes(error: BaseException) -> list[BaseException]:
    """The error and what caused it, outermost first (httpx wraps httpcore wraps OSError)."""
    chain: list[BaseException] = []
    seen: BaseException | None = error
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    return chain


def is_tls_failure(error: BaseException) -> bool:
    """A certificate or handshake failure: it will not go away by trying again in a second."""
    return any(
        isinstance(e, ssl.SSLError) or "SSL" in str(e) or "CERTIFICATE" in str(e)
        for e in _causes(error)
    )


def _connect_reason(error: BaseException) -> str:
    causes = _causes(error)
    if any(isinstance(e, ConnectionRefusedError) or "refused" in str(e).lower() for e in causes):
        return "connection refused: is the server running, and is the port right?"
    if any(isinstance(e, socket.gaierror) for e in causes):
        return "the host name is not known"
    return clean_text(str(error), 120) or "cannot connect"


def transport_error(attempt: Attempt, failure: Failure, error: BaseException) -> ApiError:
    """A NetworkError or RequestTimeout for a request that got no answer; ``error`` is the
    transport's exception (its causes are searched for TLS, refusal and host-name failures)."""
    host = host_of(public_url(attempt.url))
    url = public_url(attempt.url)
    after = MAYBE_APPLIED if attempt.changes_state else "try again"
    if failure == "connect_timeout":
        message = attempt.sentence(
            f"no connection to {host} within the connect timeout",
            "check the base URL or cluster and the network (VPN, proxy)",
        )
        return RequestTimeout(message, url=url, group_id=attempt.group_id)
    if failure == "read_timeout":
        message = attempt.sentence(
            f"{host} did not answer in full within the timeout",
            f"the server may be slow; {after}, or raise the timeout",
        )
        return RequestTimeout(message, url=url, group_id=attempt.group_id)
    if is_tls_failure(error):
        middle = f"the TLS handshake with {host} failed ({clean_text(str(error), 120)})"
        advice = (
            "check the server's certificate and the system clock; if the server uses a "
            "private CA, give it with --ca-bundle"
        )
    elif failure == "connect":
        middle = f"could not connect to {host} ({_connect_reason(error)})"
        advice = "check the base URL or cluster, and the network (VPN, proxy)"
    elif failure == "corrupt":
        middle = f"the reply from {host} could not be decompressed ({clean_text(str(error), 120)})"
        advice = after
    elif failure == "scheme":
        middle = f"the URL scheme is not http or https ({clean_text(str(error), 120)})"
        advice = "check the base URL"
    else:
        middle = f"the connection to {host} was dropped before an answer came"
        advice = after
    return NetworkError(attempt.sentence(middle, advice), url=url, group_id=attempt.group_id)


def unusable_setup(attempt: Attempt, error: BaseException) -> NetworkError:
    """No request could be made: the proxy settings cannot be used (an unknown proxy
    scheme, SOCKS without its package, a proxy in the way of credentials over plain http)."""
    # A proxy URL may carry a user and password: never in a message.
    reason = clean_text(re.sub(r"//[^/@\s]*@", "//", str(error) or type(error).__name__), 240)
    message = attempt.sentence(
        f"nothing was sent: {reason}",
        "check the proxy variables (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY)",
    )
    return NetworkError(message, url=public_url(attempt.url), group_id=attempt.group_id)
