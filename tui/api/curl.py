"""A request as a curl command: every argument shell-quoted, credentials left out.

A credential header is written as a shell variable (``"$CAP_API_TOKEN"``,
``"$CAP_AUTHORIZATION"``), so the command can be shown, copied and pasted into a ticket
without leaking anything, and still be run after ``export CAP_API_TOKEN=…``.
"""

from __future__ import annotations

from collections.abc import Mapping

from tui.api.auth import AUTHORIZATION, BASE_HEADERS, OAUTH_TOKEN_HEADER, credential_headers
from tui.api.connection import Connection
from tui.api.endpoints import edit_url
from tui.api.urls import public_url

# Header (lower case) → the shell variable that stands in for its value.
SECRET_HEADER_VARIABLES: dict[str, str] = {
    AUTHORIZATION.lower(): "CAP_AUTHORIZATION",
    OAUTH_TOKEN_HEADER.lower(): "CAP_API_TOKEN",
    "cookie": "CAP_COOKIE",
    "proxy-authorization": "CAP_PROXY_AUTHORIZATION",
}


def is_secret_header(name: str) -> bool:
    return name.lower() in SECRET_HEADER_VARIABLES


def curl_command(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body_text: str | None,
    *,
    reveal_secrets: bool = False,
) -> str:
    """``curl -X PUT 'URL' -H '…' --data-raw '…'``, one argument per line.

    ``--data-raw`` sends the body as given (no ``@file`` reading); shlex.quote keeps a
    ``'`` or a newline in the body intact.
    """
    shown_url = url if reveal_secrets else public_url(url)
    import shlex  # only when a curl command is shown

    lines = [f"curl -X {shlex.quote(method.upper())} {shlex.quote(shown_url)}"]
    for name, value in headers.items():
        variable = SECRET_HEADER_VARIABLES.get(name.lower())
        if variable is not None and (not reveal_secrets or not value):
            # A quoted name, then a double-quoted variable the shell fills in.
            lines.append(f'-H {shlex.quote(f"{name}: ")}"${variable}"')
        else:
            lines.append(f"-H {shlex.quote(f'{name}: {value}')}")
    if body_text is not None:
        lines.append(f"--data-raw {shlex.quote(body_text)}")
    return " \\\n  ".join(lines)


def curl_for_edit(
    connection: Connection, group_id: int, body_text: str, *, reveal_secrets: bool = False
) -> str:
    """The edit call (PUT) for ``group_id`` with ``body_text``, as the client would send it."""
    url = edit_url(connection.base_url, group_id)
    headers = {**BASE_HEADERS, **credential_headers(connection.auth)}
    return curl_command("PUT", url, headers, body_text, reveal_secrets=reveal_secrets)
