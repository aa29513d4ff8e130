"""Retries: GETs repeat after connect errors, 429 and 502/503/504; a PUT never does."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from conftest import RecordingSleep

from tui.api.auth import BasicAuth, OAuthClientAuth
from tui.api.client import TargetGroupClient
from tui.api.connection import Connection, Timeouts
from tui.api.errors import NetworkError, RateLimited, ServerError
from tui.api.results import SentRequest
from tui.api.retry import backoff_delay, parse_retry_after
from tui.stub.server import StubServer

BODY = json.dumps({"id": 2762, "description": "retry?"})


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_get_is_repeated_after_a_gateway_error(
    stub: StubServer, stub_connection: Connection, no_sleep: RecordingSleep, status: int
) -> None:
    stub.faults.get_statuses = [status, status]
    async with TargetGroupClient(stub_connection, sleep=no_sleep) as client:
        fetched = await client.get_target_group(2762)
    assert fetched.group["id"] == 2762
    assert len(stub.requests("GET")) == 3
    assert no_sleep.delays == [0.5, 1.0]


async def test_get_gives_up_after_the_configured_retries(
    stub: StubServer, stub_connection: Connection, no_sleep: RecordingSleep
) -> None:
    stub.faults.status_for_get = 503
    async with TargetGroupClient(stub_connection, sleep=no_sleep) as client:
        with pytest.raises(ServerError) as raised:
            await client.list_target_groups()
    assert len(stub.requests("GET")) == 1 + stub_connection.retries == 4
    assert no_sleep.delays == [0.5, 1.0, 2.0]
    assert raised.value.status == 503
    assert "try again later" in raised.value.message


async def test_429_waits_as_long_as_retry_after_says(
    stub: StubServer, stub_connection: Connection, no_sleep: RecordingSleep
) -> None:
    stub.faults.get_statuses = [429]
    stub.faults.retry_after = "7"
    async with TargetGroupClient(stub_connection, sleep=no_sleep) as client:
        await client.get_target_group(2762)
    assert len(stub.requests("GET")) == 2
    assert no_sleep.delays == [7.0]


async def test_429_without_retry_after_backs_off(
    stub: StubServer, stub_connection: Connection, no_sleep: RecordingSleep
) -> None:
    stub.faults.get_statuses = [429, 429]
    async with TargetGroupClient(stub_connection, sleep=no_sleep) as client:
        await client.get_target_group(2762)
    assert len(stub.requests("GET")) == 3
    assert no_sleep.delays == [0.5, 1.0]


async def test_a_long_retry_after_is_capped(
    stub: StubServer, stub_connection: Connection, no_sleep: RecordingSleep
) -> None:
    stub.faults.get_statuses = [429]
    stub.faults.retry_after = "3600"
    async with TargetGroupClient(stub_connection, sleep=no_sleep) as client:
        await client.get_target_group(2762)
    assert no_sleep.delays == [30.0]


async def test_rate_limited_after_retries_says_how_long_to_wait(
    stub: StubServer, no_sleep: RecordingSleep
) -> None:
    stub.faults.status_for_get = 429
    stub.faults.retry_after = "2"
    connection = Connection(stub.base_url, BasicAuth("demo", "demo"), retries=1)
    async with TargetGroupClient(connection, sleep=no_sleep) as client:
        with pytest.raises(RateLimited) as raised:
            await client.get_target_group(2762)
    assert len(stub.requests("GET")) == 2
    assert raised.value.retry_after == 2.0
    assert "wait 2 s" in raised.value.message


async def test_500_is_not_repeated(
    stub: StubServer, stub_connection: Connection, no_sleep: RecordingSleep
) -> None:
    stub.faults.status_for_get = 500
    async with TargetGroupClient(stub_connection, sleep=no_sleep) as client:
        with pytest.raises(ServerError):
            await client.get_target_group(2762)
    assert len(stub.requests("GET")) == 1
    assert no_sleep.delays == []


async def test_get_is_repeated_after_connection_refused(no_sleep: RecordingSleep) -> None:
    sent: list[SentRequest] = []
    connection = Connection(
        f"http://127.0.0.1:{closed_port()}", BasicAuth("demo", "demo"), retries=2
    )
    async with TargetGroupClient(connection, sleep=no_sleep, on_request=sent.append) as client:
        with pytest.raises(NetworkError) as raised:
            await client.get_target_group(2762)
    assert len(sent) == 3
    assert no_sleep.delays == [0.5, 1.0]
    assert "connection refused" in raised.value.message
    assert "127.0.0.1" in raised.value.message


@pytest.mark.parametrize("status", [429, 502, 503, 504])
async def test_put_is_never_repeated(
    stub: StubServer, stub_connection: Connection, no_sleep: RecordingSleep, status: int
) -> None:
    stub.faults.put_status = status
    async with TargetGroupClient(stub_connection, sleep=no_sleep) as client:
        with pytest.raises(Exception) as raised:
            await client.edit_target_group(2762, BODY)
    assert len(stub.requests("PUT")) == 1
    assert no_sleep.delays == []
    assert getattr(raised.value, "status", None) == status


async def test_a_failed_put_says_the_change_may_have_been_applied(
    stub: StubServer, stub_connection: Connection, no_sleep: RecordingSleep
) -> None:
    stub.faults.put_status = 502
    async with TargetGroupClient(stub_connection, sleep=no_sleep) as client:
        with pytest.raises(ServerError) as raised:
            await client.edit_target_group(2762, BODY)
    assert "may or may not have been applied" in raised.value.message
    assert "editing target group 2762" in raised.value.message.lower()


async def test_put_is_not_repeated_after_connection_refused(no_sleep: RecordingSleep) -> None:
    sent: list[SentRequest] = []
    connection = Connection(f"http://127.0.0.1:{closed_port()}", BasicAuth("demo", "demo"))
    async with TargetGroupClient(connection, sleep=no_sleep, on_request=sent.append) as client:
        with pytest.raises(NetworkError):
            await client.edit_target_group(2762, BODY)
    assert len(sent) == 1
    assert no_sleep.delays == []


async def test_the_token_call_is_repeated_after_a_connect_error_only(
    no_sleep: RecordingSleep,
) -> None:
    # A server cannot refuse one connection and accept the next: a mock transport can.
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}")
        if request.url.path.endswith("/token/generate"):
            if calls.count("POST /v3/oauth/token/generate") == 1:
                raise httpx.ConnectError("connection refused", request=request)
            return httpx.Response(200, json={"data": {"accessToken": "t1", "ttlSeconds": 300}})
        return httpx.Response(200, json={"data": [], "errors": None})

    connection = Connection("https://eu.api.capillarytech.com", OAuthClientAuth("k", "s"))
    transport = httpx.MockTransport(handler)
    async with TargetGroupClient(connection, transport=transport, sleep=no_sleep) as client:
        assert await client.list_target_groups() == []
    assert calls == [
        "POST /v3/oauth/token/generate",
        "POST /v3/oauth/token/generate",
        "GET /v3/targetGroups",
    ]
    assert no_sleep.delays == [0.5]


async def test_the_token_call_is_not_repeated_after_a_503(no_sleep: RecordingSleep) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(503, json={"data": None, "errors": None})

    connection = Connection("https://eu.api.capillarytech.com", OAuthClientAuth("k", "s"))
    transport = httpx.MockTransport(handler)
    async with TargetGroupClient(connection, transport=transport, sleep=no_sleep) as client:
        with pytest.raises(ServerError) as raised:
            await client.list_target_groups()
    assert calls == ["/v3/oauth/token/generate"]
    assert raised.value.message.startswith("Generating an OAuth token failed")


def test_backoff_doubles_from_half_a_second_up_to_a_cap() -> None:
    assert [backoff_delay(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_retry_after_as_seconds_or_http_date() -> None:
    now = datetime(2025, 7, 23, 7, 18, 1, tzinfo=UTC)
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after("-5") == 0.0
    assert parse_retry_after("999") == 30.0
    assert (
        parse_retry_after(format_datetime(now + timedelta(seconds=9), usegmt=True), now=now) == 9.0
    )
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("nan") is None


async def test_a_connect_timeout_counts_as_a_connect_error(no_sleep: RecordingSleep) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ConnectTimeout("timed out", request=request)

    connection = Connection(
        "https://eu.api.capillarytech.com",
        BasicAuth("u", "p"),
        timeouts=Timeouts(connect=0.1),
        retries=1,
    )
    transport = httpx.MockTransport(handler)
    async with TargetGroupClient(connection, transport=transport, sleep=no_sleep) as client:
        with pytest.raises(NetworkError) as raised:
            await client.get_target_group(5)
    assert calls == 2
    assert "connect timeout" in raised.value.message
