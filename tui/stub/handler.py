"""The stand-in server's request handler: routing, faults, and the replies of each endpoint."""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from tui.api.endpoints import (
    EDIT_PATH,
    GROUP_PATH,
    METHODS,
    TARGETS_PATH,
    TOKEN_PATH,
    match,
)
from tui.stub.edits import INVALID_INPUT
from tui.stub.faults import fault_errors
from tui.stub.load import RETRY_AFTER_SECONDS
from tui.stub.messages import ReceivedRequest, RequestHeaders, envelope

if TYPE_CHECKING:
    from tui.stub.server import StubServer

log = logging.getLogger("tgedit.stub")

INVALID_KEY = 310145
CREDENTIALS_REFUSED = 401


HTML_PAGE = """<html>
<head><title>{status} {phrase}</title>
<style>body {{ font-family: sans-serif; }}</style></head>
<body>
<center><h1>{status} {phrase}</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""


def _flag(query: dict[str, str], name: str, default: bool) -> bool:
    value = query.get(name)
    return default if value is None else value.strip().lower() == "true"


class HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's backlog of 5 drops the connections of a client that opens more at
    # once (export --jobs 8): each then waits a second for TCP to try again.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[Handler], stub: StubServer):
        super().__init__(address, handler)
        self.stub = stub

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (read timeout) before the answer: expected, not a bug.
        if isinstance(sys.exc_info()[1], ConnectionError):
            log.debug("client %s went away before the answer", client_address)
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    server: HttpServer
    server_version = "tgedit-stub"

    def do_GET(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines only (no headers, so no credentials), and not on stderr.
        log.debug("%s %s", self.address_string(), format % args)

    # --- the request -------------------------------------------------------------------

    def _handle(self) -> None:
        load = self.server.stub.load
        load.arrived()
        try:
            self._answer()
        finally:
            load.answered()

    def _answer(self) -> None:
        stub = self.server.stub
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/") or "/"
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        request = ReceivedRequest(
            self.command,
            path,
            dict(parse_qsl(parts.query, keep_blank_values=True)),
            RequestHeaders(self.headers.items()),
            body,
        )
        stub.record(request)
        faults = stub.faults
        faults.gate.pass_through(request.method, path)
        stub.wait(faults.delay)
        if stub.load.over_limit():
            self._rate_limited()
            return
        if faults.drop_connection:
            self._drop()
            return
        if faults.html_error:
            self._html(faults.html_status)
            return
        endpoint = match(path)
        if endpoint is not None and endpoint[0] == TOKEN_PATH:
            self._token(request)
            return
        refusal = stub.refusal(request.headers)
        if refusal is not None:
            self._reply(401, envelope(errors=[{"code": CREDENTIALS_REFUSED, "message": refusal}]))
            return
        self._route(request, endpoint)

    def _route(self, request: ReceivedRequest, endpoint: tuple[str, int | None] | None) -> None:
        """One endpoint of ``tui.api.endpoints`` (the token's is answered before)."""
        if endpoint is None:
            self._error(404, INVALID_INPUT, f"no such endpoint: {request.path}")
            return
        path, group_id = endpoint
        if request.method != METHODS[path]:
            self._not_allowed()
        elif path == EDIT_PATH and group_id is not None:
            self._put(request, group_id)
        elif (status := self.server.stub.next_get_fault()) is not None:
            self._fault(status, fault_errors(status))
        elif path == TARGETS_PATH and group_id is not None:
            self._get_targets(group_id)
        elif path == GROUP_PATH and group_id is not None:
            self._get_one(request, group_id)
        else:
            self._get_list(request)

    def _get_one(self, request: ReceivedRequest, group_id: int) -> None:
        stub = self.server.stub
        stub.take_concurrent_edit(group_id)
        group = stub.store.fetch_json(
            group_id, include_periods=_flag(request.query, "includePeriods", False)
        )
        if group is None:
            self._unknown_group(group_id)
        else:
            self._success_encoded(group)

    def _get_list(self, request: ReceivedRequest) -> None:
        self._success(
            self.server.stub.store.list_groups(
                active_only=_flag(request.query, "includeOnlyActive", False),
                include_user_created=_flag(request.query, "includeUserCreatedTargetGroups", True),
                include_periods=_flag(request.query, "includePeriods", False),
            )
        )

    def _get_targets(self, group_id: int) -> None:
        targets = self.server.stub.store.targets(group_id)
        if targets is None:
            self._unknown_group(group_id)
        else:
            self._success(targets)

    def _put(self, request: ReceivedRequest, group_id: int) -> None:
        stub = self.server.stub
        faults = stub.faults
        if faults.put_status is not None:
            self._fault(faults.put_status, faults.put_errors or fault_errors(faults.put_status))
            return
        stub.take_concurrent_edit(group_id)
        try:
            body = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self._error(400, INVALID_INPUT, "invalid input: the body is not JSON")
            return
        outcome = stub.store.edit(group_id, body)
        if outcome is None:
            self._unknown_group(group_id)
        elif outcome.group is None:
            self._reply(outcome.status, envelope(errors=outcome.errors, warnings=outcome.warnings))
        else:
            self._success(outcome.group, outcome.warnings)

    def _token(self, request: ReceivedRequest) -> None:
        if request.method != "POST":
            self._not_allowed()
            return
        try:
            body = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            body = None
        if not isinstance(body, dict):
            self._error(400, INVALID_INPUT, 'invalid input: send {"key": …, "secret": …}')
            return
        stub = self.server.stub
        token = stub.issue_token(body.get("key"), body.get("secret"))
        if token is None:
            self._error(401, INVALID_KEY, "Invalid key is passed")
            return
        self._success({"accessToken": token, "ttlSeconds": stub.token_ttl})

    # --- answers -----------------------------------------------------------------------

    def _success(self, data: Any, warnings: list[Any] | None = None) -> None:
        faults = self.server.stub.faults
        reply = envelope(data, copy.deepcopy(faults.errors_on_success), warnings)
        if faults.omit_data:
            del reply["data"]
        self._reply(200, reply)

    def _success_encoded(self, data: str) -> None:
        """``_success`` for data already encoded as JSON: the same bytes, without re-encoding."""
        faults = self.server.stub.faults
        if faults.omit_data:
            self._success(None)
            return
        rest = json.dumps(envelope(None, faults.errors_on_success), ensure_ascii=False)
        # rest is '{"data": null, ...}': put the encoded data where the null is.
        prefix = '{"data": null'
        assert rest.startswith(prefix)
        body = '{"data": ' + data + rest[len(prefix) :]
        self._send(200, body.encode("utf-8"), "application/json;charset=UTF-8", None)

    def _rate_limited(self) -> None:
        """The API's 429: the error envelope, and how long to wait (``tui.stub.load``)."""
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        self._reply(429, envelope(errors=fault_errors(429)), headers=headers)
        self.server.stub.load.paused()

    def _unknown_group(self, group_id: int) -> None:
        self._error(404, INVALID_INPUT, f"invalid input: no target group with id {group_id}")

    def _not_allowed(self) -> None:
        self._error(405, INVALID_INPUT, f"method {self.command} is not allowed here")

    def _error(self, status: int, code: int, message: str) -> None:
        self._reply(status, envelope(errors=[{"code": code, "message": message}]))

    def _fault(self, status: int, errors: list[dict[str, Any]]) -> None:
        headers = {}
        retry_after = self.server.stub.faults.retry_after
        if retry_after is not None and status in (429, 503):
            headers["Retry-After"] = retry_after
        self._reply(status, envelope(errors=errors), headers=headers)

    def _reply(
        self, status: int, payload: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json;charset=UTF-8", headers)

    def _html(self, status: int) -> None:
        phrase = self.responses.get(status, ("Error",))[0]
        body = HTML_PAGE.format(status=status, phrase=phrase).encode("utf-8")
        self._send(status, body, "text/html", None)

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
