"""Each error class, and a message that says what failed and what to do next."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import RecordingSleep

from tui.api.auth import BasicAuth
from tui.api.client import TargetGroupClient
from tui.api.connection import Connection, Timeouts
from tui.api.error_messages import Attempt, malformed, status_error
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
from tui.api.replies import clean_excerpt, warning_items
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer

BASE = "https://eu.api.capillarytech.com"


def mock_client(handler: Any) -> TargetGroupClient:
    connection = Connection(BASE, BasicAuth("u", "p"), retries=0)
    return TargetGroupClient(connection, transport=httpx.MockTransport(handler))


def test_one_hierarchy() -> None:
    for cls in (BadRequest, AuthenticationError, PermissionDenied, NotFound, RateLimited):
        assert issubclass(cls, HttpError)
    assert issubclass(ServerError, HttpError)
    assert issubclass(HttpError, ApiError)
    assert issubclass(MalformedReply, ApiError)
    assert issubclass(ErrorsInReply, HttpError) and issubclass(ErrorsInReply, MalformedReply)
    assert issubclass(RequestTimeout, NetworkError) and issubclass(NetworkError, ApiError)
    assert str(ErrorItem(310008, "name too long")) == "310008: name too long"
    assert str(ErrorItem(None, "no code")) == "no code"


EDIT = Attempt("editing target group 2762", "PUT", f"{BASE}/v3/targetGroups/2762", 2762)


def test_an_error_says_each_item_once() -> None:
    """The message quotes the envelope's items: lines() does not repeat them."""
    items = [ErrorItem(310008, "name too long"), ErrorItem(300004, "invalid input")]
    error = status_error(EDIT, 400, items, None)
    assert "310008: name too long" in error.message and "300004: invalid input" in error.message
    assert error.lines() == [error.message]


def test_an_item_whose_text_the_message_quotes_without_its_code_is_not_repeated() -> None:
    error = BadRequest(
        "Editing failed: HTTP 401, Invalid credentials (PUT …)",
        status=401,
        errors=[ErrorItem(401, "Invalid credentials")],
    )
    assert error.lines() == [error.message]


def test_an_item_the_message_does_not_quote_is_its_own_line() -> None:
    error = BadRequest("Editing failed: HTTP 400", status=400, errors=[ErrorItem(7, "bad name")])
    assert error.lines() == ["Editing failed: HTTP 400", "7: bad name"]


def test_an_excerpt_the_message_does_not_quote_is_its_own_line() -> None:
    error = malformed(EDIT, 200, "a reply that is not JSON", excerpt="<html>oops")
    assert error.lines() == [error.message, "the reply began: <html>oops"]


def test_warnings_are_typed_items_that_keep_every_key() -> None:
    raw = [{"code": 0, "message": "orgId was ignored", "field": "orgId"}, "plain", None, 5]
    items = warning_items(raw)
    assert [str(item) for item in items] == ["0: orgId was ignored", "plain", "5"]
    assert items[0].as_json() == raw[0]


async def test_a_proxy_html_page_becomes_a_server_error_with_a_clean_excerpt(
    stub: StubServer, stub_connection: Connection, no_sleep: RecordingSleep
) -> None:
    stub.faults.html_error = True
    async with TargetGroupClient(stub_connection, sleep=no_sleep) as client:
        with pytest.raises(ServerError) as raised:
            await client.get_target_group(2762)
    error = raised.value
    assert error.status == 502
    assert error.errors == []
    assert error.excerpt == "502 Bad Gateway nginx"
    assert '"502 Bad Gateway nginx"' in error.message
    assert "<" not in error.message
    assert len(stub.requests("GET")) == 4  # a 502 is repeated, whatever its body


async def test_an_html_page_with_200_is_a_malformed_reply(
    stub: StubServer, stub_connection: Connection
) -> None:
    stub.faults.html_error = True
    stub.faults.html_status = 200
    async with TargetGroupClient(stub_connection) as client:
        with pytest.raises(MalformedReply) as raised:
            await client.get_target_group(2762)
    assert raised.value.status == 200
    assert raised.value.excerpt == "200 OK nginx"
    assert "not the API's JSON" in raised.value.message
    assert "base URL" in raised.value.message


def test_excerpt_strips_tags_scripts_entities_controls_and_is_short() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Oops &amp; sorry</title>"
        "<script>var secret = 1;</script><style>p {color: red}</style></head>"
        "<body><!-- hidden -->\n<h1>Service\n\n   unavailable</h1>\x1b[2J\x07<p>"
        + "x" * 500
        + "</p></body></html>"
    )
    excerpt = clean_excerpt(page)
    assert excerpt.startswith("Oops & sorry Service unavailable xxx")
    for unwanted in ("<", "secret", "color", "hidden", "\x1b", "\x07", "\n", "  "):
        assert unwanted not in excerpt
    assert len(excerpt) <= 200
    assert excerpt.endswith("…")


async def test_200_with_errors_carries_the_codes(
    stub: StubServer, stub_connection: Connection
) -> None:
    stub.faults.errors_on_success = [{"code": 310092, "message": "invalid extended field"}]
    async with TargetGroupClient(stub_connection) as client:
        with pytest.raises(ErrorsInReply) as raised:
            await client.get_target_group(2762)
    error = raised.value
    assert isinstance(error, HttpError) and isinstance(error, MalformedReply)
    assert error.status == 200
    assert error.codes == [310092]
    assert "310092: invalid extended field" in error.message


async def test_a_reply_without_data_is_malformed(
    stub: StubServer, stub_connection: Connection
) -> None:
    stub.faults.omit_data = True
    async with TargetGroupClient(stub_connection) as client:
        with pytest.raises(MalformedReply) as raised:
            await client.list_target_groups()
    assert "without data" in raised.value.message
    assert not isinstance(raised.value, HttpError)


async def test_a_slow_server_is_a_read_timeout(stub: StubServer) -> None:
    stub.faults.gate.hold()  # never released: the server does not answer at all
    connection = Connection(stub.base_url, BasicAuth("demo", "demo"), Timeouts(read=0.2))
    async with TargetGroupClient(connection) as client:
        with pytest.raises(RequestTimeout) as raised:
            await client.get_target_group(2762)
    assert len(stub.requests("GET")) == 1  # a read timeout is not repeated
    assert "did not answer in full within the timeout" in raised.value.message
    assert "target group 2762" in raised.value.message


async def test_a_put_that_timed_out_may_have_been_applied(stub: StubServer) -> None:
    stub.faults.gate.hold("PUT")  # received, never answered
    connection = Connection(stub.base_url, BasicAuth("demo", "demo"), Timeouts(read=0.2))
    async with TargetGroupClient(connection) as client:
        with pytest.raises(RequestTimeout) as raised:
            await client.edit_target_group(2762, '{"id": 2762}')
    assert "may or may not have been applied" in raised.value.message
    assert stub.faults.gate.arrived == 1, "the PUT reached the server"


async def test_a_dropped_connection_is_a_network_error(
    stub: StubServer, stub_connection: Connection
) -> None:
    stub.faults.drop_connection = True
    async with TargetGroupClient(stub_connection) as client:
        with pytest.raises(NetworkError) as raised:
            await client.get_target_group(2762)
    assert not isinstance(raised.value, RequestTimeout)
    assert "dropped before an answer came" in raised.value.message
    assert len(stub.requests("GET")) == 1


async def test_403_asks_for_target_group_rights(
    stub: StubServer, stub_connection: Connection
) -> None:
    stub.faults.status_for_get = 403
    async with TargetGroupClient(stub_connection) as client:
        with pytest.raises(PermissionDenied) as raised:
            await client.get_target_group(2762)
    assert raised.value.status == 403
    assert "target-group rights" in raised.value.message


async def test_an_error_code_that_is_the_http_status_is_said_once(
    stub: StubServer, stub_connection: Connection
) -> None:
    # The stand-in refuses with {"code": 401, "message": "the credentials were refused"}.
    stub.faults.status_for_get = 401
    async with TargetGroupClient(stub_connection) as client:
        with pytest.raises(AuthenticationError) as raised:
            await client.get_target_group(2762)
    message = raised.value.message
    assert "HTTP 401 with the credentials were refused" in message
    assert "401: " not in message, message
    assert raised.value.codes == [401], "the code is still there for a program"


async def test_404_names_the_group_and_the_envelope_error(
    stub: StubServer, stub_connection: Connection
) -> None:
    async with TargetGroupClient(stub_connection) as client:
        with pytest.raises(NotFound) as raised:
            await client.get_target_group(999)
    error = raised.value
    assert error.group_id == 999
    assert error.codes == [300004]
    assert error.message.startswith("Fetching target group 999 failed: HTTP 404 with 300004:")
    assert f"GET {stub.base_url}/v3/targetGroups/999?includePeriods=true" in error.message
    assert "check the group id" in error.message


async def test_400_from_the_edit_call_shows_code_and_message(
    stub: StubServer, stub_connection: Connection
) -> None:
    body = json.dumps({"id": 2762, "name": "n" * 201})
    async with TargetGroupClient(stub_connection) as client:
        with pytest.raises(BadRequest) as raised:
            await client.edit_target_group(2762, body)
    assert raised.value.codes == [310008]
    assert "310008: name is longer than 200 characters (201)" in raised.value.message
    assert "fix what the errors name" in raised.value.message


async def test_a_group_of_the_wrong_shape_is_malformed_and_names_the_path(
    stub_connection: Connection,
) -> None:
    groups = sample_groups()
    groups[0]["targets"][0]["active"] = "yes"
    with StubServer(groups) as server:
        connection = Connection(server.base_url, stub_connection.auth)
        async with TargetGroupClient(connection) as client:
            with pytest.raises(MalformedReply) as raised:
                await client.get_target_group(2762)
    assert raised.value.path == "targets[3006].active"
    assert "targets[3006].active" in raised.value.message
    assert "wrong shape" in raised.value.message


async def test_a_reply_for_another_group_is_malformed() -> None:
    group = sample_groups()[1]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": group, "errors": None, "warnings": None})

    async with mock_client(handler) as client:
        with pytest.raises(MalformedReply) as raised:
            await client.get_target_group(2762)
    assert raised.value.path == "id"
    assert "18044 instead of 2762" in raised.value.message


async def test_a_json_error_that_is_not_an_envelope_keeps_an_excerpt() -> None:
    spring = {"timestamp": "2025-07-23", "status": 500, "error": "Internal Server Error"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json=spring)

    async with mock_client(handler) as client:
        with pytest.raises(ServerError) as raised:
            await client.get_target_group(1)
    assert raised.value.excerpt is not None
    assert "Internal Server Error" in raised.value.excerpt


async def test_a_redirect_is_not_followed_and_names_its_target() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "https://other.example/v3/x"})

    async with mock_client(handler) as client:
        with pytest.raises(HttpError) as raised:
            await client.edit_target_group(1, '{"id": 1}')
    assert raised.value.status == 301
    assert "redirect to https://other.example/v3/x" in raised.value.message


async def test_a_tls_failure_says_so() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")

    async with mock_client(handler) as client:
        with pytest.raises(NetworkError) as raised:
            await client.get_target_group(1)
    assert "TLS handshake with eu.api.capillarytech.com failed" in raised.value.message


async def test_control_characters_from_the_server_do_not_reach_the_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        item = {"code": "310069", "message": "name \x1b]52;c;aGk=\x07exists\r\n"}
        return httpx.Response(400, json={"data": None, "errors": [item]})

    async with mock_client(handler) as client:
        with pytest.raises(BadRequest) as raised:
            await client.get_target_group(1)
    assert raised.value.codes == [310069]  # a code sent as a string is still read
    assert "\x1b" not in raised.value.message and "\x07" not in raised.value.message
    assert "310069: name exists" in raised.value.message


async def test_a_bad_ca_bundle_is_a_clear_value_error(tmp_path: Any) -> None:
    connection = Connection(BASE, BasicAuth("u", "p"), verify=str(tmp_path / "missing.pem"))
    with pytest.raises(ValueError, match="cannot use the CA bundle"):
        TargetGroupClient(connection)
