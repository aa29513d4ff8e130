"""The httpx client of the target-group API: base URL, auth, retries, errors, redaction.

No Textual here: the app, the CLI and the tests all use this one client.

``errors`` holds the exception types and ``ApiError.lines()``; ``error_messages`` builds
them from a status, an envelope or a transport failure; ``replies`` reads a reply (the
envelope, its error and warning items, an excerpt); ``results`` is what a call returns.

Every name is imported from its module on first use (PEP 562), so that what imports
``tui.api.redaction`` or a ``Connection`` (``tgedit --help``, an editor on a file, the
config) does not import httpx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from tui.api.auth import Auth, BasicAuth, OAuthClientAuth, TokenAuth, basic_authorization
    from tui.api.client import TargetGroupClient
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
    from tui.api.fetched import FetchedGroup
    from tui.api.replies import WarningItem
    from tui.api.results import Conflict, EditResult, SentRequest, same_instant
    from tui.api.urls import CLUSTERS, base_url_for

_LAZY = {
    **dict.fromkeys(
        ("Auth", "BasicAuth", "OAuthClientAuth", "TokenAuth", "basic_authorization"),
        "tui.api.auth",
    ),
    "TargetGroupClient": "tui.api.client",
    **dict.fromkeys(("Connection", "Timeouts"), "tui.api.connection"),
    **dict.fromkeys(("curl_command", "curl_for_edit"), "tui.api.curl"),
    **dict.fromkeys(
        (
            "ApiError",
            "AuthenticationError",
            "BadRequest",
            "ErrorItem",
            "ErrorsInReply",
            "HttpError",
            "MalformedReply",
            "NetworkError",
            "NotFound",
            "PermissionDenied",
            "RateLimited",
            "RequestTimeout",
            "ServerError",
        ),
        "tui.api.errors",
    ),
    "WarningItem": "tui.api.replies",
    "FetchedGroup": "tui.api.fetched",
    **dict.fromkeys(("Conflict", "EditResult", "SentRequest", "same_instant"), "tui.api.results"),
    **dict.fromkeys(("CLUSTERS", "base_url_for"), "tui.api.urls"),
}


if not TYPE_CHECKING:  # mypy reads the imports above, and so catches a misspelt name
    __getattr__ = lazy_exports(__name__, _LAZY)

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
