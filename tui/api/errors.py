"""The one exception hierarchy of the API client (``error_messages`` builds each one).

Every failure a caller can meet is an ``ApiError``; its ``message`` is one sentence that
says what failed and what to do next, names the group id or URL, and never holds a
credential. Catch ``ApiError`` broadly or a subclass narrowly::

    ApiError
    ├── HttpError               the server answered with an error status
    │   ├── BadRequest          400 (validation: 300004, 310008, 310069, …)
    │   ├── AuthenticationError 401
    │   ├── PermissionDenied    403
    │   ├── NotFound            404
    │   ├── RateLimited         429
    │   ├── ServerError         5xx
    │   └── ErrorsInReply       2xx whose envelope still lists errors (also a MalformedReply)
    ├── MalformedReply          2xx that is not JSON, has no data, or a group of the wrong shape
    └── NetworkError            connection refused or dropped, TLS failure
        └── RequestTimeout      no answer within the timeout
"""

from __future__ import annotations

from tui.api.redaction import redact
from tui.api.replies import ErrorItem


class ApiError(Exception):
    """Base of every error the client raises; ``message`` is one sentence for people."""

    kind = "api"
    # The envelope's error items, and the start of a reply that was not the API's JSON;
    # set by the subclasses that have them.
    errors: list[ErrorItem] = []
    excerpt: str | None = None

    def __init__(self, message: str, *, url: str | None = None, group_id: int | None = None):
        super().__init__(message)
        self.message = message
        self.url = url
        self.group_id = group_id

    def __str__(self) -> str:
        return self.message

    def redacted(self) -> ApiError:
        """This error with every registered secret removed from what it says (the message,
        the excerpt, the envelope's items, which dialogs show and the audit log keeps)."""
        self.message = redact(self.message)
        self.args = (self.message,)
        if self.excerpt:
            self.excerpt = redact(self.excerpt)
        if self.errors:
            self.errors = [ErrorItem(i.code, redact(i.message), i.other) for i in self.errors]
        return self

    def lines(self) -> list[str]:
        """What to show a person: the message, then what it does not say already.

        The message often quotes the first error item or the excerpt; each is said once.
        Plain text from the server: a front end makes it safe for its terminal.
        """
        lines = [self.message]
        for item in self.errors:
            said = str(item)
            if said not in self.message and not (item.message and item.message in self.message):
                lines.append(said)
        if len(lines) == 1 and self.excerpt and self.excerpt not in self.message:
            lines.append(f"the reply began: {self.excerpt}")
        return lines


class HttpError(ApiError):
    """The server answered with an error status; ``errors`` are the envelope's items.

    ``excerpt`` is a short cleaned piece of the body when it was not an envelope
    (a proxy's HTML page, a bare JSON error), else None.
    """

    kind = "http"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        errors: list[ErrorItem] | None = None,
        excerpt: str | None = None,
        url: str | None = None,
        group_id: int | None = None,
    ) -> None:
        # Not super(): ErrorsInReply is both an HttpError and a MalformedReply.
        ApiError.__init__(self, message, url=url, group_id=group_id)
        self.status = status
        self.errors: list[ErrorItem] = list(errors or [])
        self.excerpt = excerpt

    @property
    def codes(self) -> list[int]:
        return [item.code for item in self.errors if item.code is not None]


class BadRequest(HttpError):
    kind = "bad-request"


class AuthenticationError(HttpError):
    kind = "authentication"


class PermissionDenied(HttpError):
    kind = "permission"


class NotFound(HttpError):
    kind = "not-found"


class RateLimited(HttpError):
    kind = "rate-limited"

    def __init__(
        self,
        message: str,
        *,
        status: int = 429,
        errors: list[ErrorItem] | None = None,
        excerpt: str | None = None,
        url: str | None = None,
        group_id: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message, status=status, errors=errors, excerpt=excerpt, url=url, group_id=group_id
        )
        # Seconds the server asked us to wait (Retry-After), when it said.
        self.retry_after = retry_after


class ServerError(HttpError):
    kind = "server"


class MalformedReply(ApiError):
    """A reply the client cannot use: not JSON, no ``data``, or a group of the wrong shape.

    ``path`` names the field that is wrong (``targets[3006].expression``) when known.
    """

    kind = "malformed"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        excerpt: str | None = None,
        path: str | None = None,
        url: str | None = None,
        group_id: int | None = None,
    ) -> None:
        ApiError.__init__(self, message, url=url, group_id=group_id)
        self.status = status
        self.excerpt = excerpt
        self.path = path


class ErrorsInReply(HttpError, MalformedReply):
    """A 2xx reply whose envelope lists errors: treated as a failure, codes kept."""

    kind = "errors-in-reply"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        errors: list[ErrorItem],
        url: str | None = None,
        group_id: int | None = None,
    ) -> None:
        HttpError.__init__(self, message, status=status, errors=errors, url=url, group_id=group_id)
        self.path = None


class NetworkError(ApiError):
    """No usable answer: connection refused or dropped, DNS or TLS failure."""

    kind = "network"


class RequestTimeout(NetworkError):
    kind = "timeout"


HTTP_ERROR_CLASSES: dict[int, type[HttpError]] = {
    400: BadRequest,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    429: RateLimited,
}


def http_error_class(status: int) -> type[HttpError]:
    if status >= 500:
        return ServerError
    return HTTP_ERROR_CLASSES.get(status, HttpError)
