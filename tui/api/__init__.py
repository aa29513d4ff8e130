"""The httpx client of the target-group API: base URL, auth, retries, errors, redaction.

No Textual here: the app, the CLI and the tests all use this one client.

``errors`` holds the exception types and ``ApiError.lines()``; ``error_messages`` builds
them from a status, an envelope or a transport failure; ``replies`` reads a reply (the
envelope, its error and warning items, an excerpt); ``results`` is what a call returns.

``TargetGroupClient`` (and with it httpx) is imported on first use (PEP 562): a
``Connection`` is made right after the arguments are parsed, and httpx's import is
better paid in the thread that fetches (tui.session.prefetch).
"""

from typing import TYPE_CHECKING, Any

from tui.api.auth import Auth, BasicAuth, OAuthClientAuth, TokenAuth, basic_authorization
from tui.api.connection import Connection, Timeouts
from tui.api.curl import curl_command, curl_for_edit
from tui.api.errors import (
    ApiError,
    AuthenticationError,
    BadRequest,
    ErrorItem,
    ErrorsInReply,
    HttpError,
    MalformedReply,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    RequestTimeout,
    ServerError,
)
from tui.api.replies import WarningItem
from tui.api.results import Conflict, EditResult, FetchedGroup, SentRequest, same_instant
from tui.api.urls import CLUSTERS, base_url_for

if TYPE_CHECKING:
    from tui.api.client import TargetGroupClient


def __getattr__(name: str) -> Any:
    if name == "TargetGroupClient":
        from tui.api.client import TargetGroupClient

        return TargetGroupClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CLUSTERS",
    "ApiError",
    "Auth",
    "AuthenticationError",
    "BadRequest",
    "BasicAuth",
    "Conflict",
    "Connection",
    "EditResult",
    "ErrorItem",
    "ErrorsInReply",
    "FetchedGroup",
    "HttpError",
    "MalformedReply",
    "NetworkError",
    "NotFound",
    "OAuthClientAuth",
    "PermissionDenied",
    "RateLimited",
    "RequestTimeout",
    "SentRequest",
    "ServerError",
    "TargetGroupClient",
    "Timeouts",
    "TokenAuth",
    "WarningItem",
    "base_url_for",
    "basic_authorization",
    "curl_command",
    "curl_for_edit",
    "same_instant",
]
