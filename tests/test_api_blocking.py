"""The send loop driven blocking (``BlockingClient``, what ``fetch_group`` uses): the same
retries, token handling and failures as the awaited client, from the same generator."""

from __future__ import annotations

import socket

import pytest

from tui.api.auth import BasicAuth, OAuthClientAuth
from tui.api.client import BlockingClient, fetch_group
from tui.api.connection import Connection, Timeouts
from tui.api.endpoints import TOKEN_PATH
from tui.api.errors import AuthenticationError, NetworkError, ServerError
from tui.api.results import SentRequest
from tui.stub.server import StubServer


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oauth_connection(stub: StubServer) -> Connection:
    return Connection(
        base_url=stub.base_url,
        auth=OAuthClientAuth("demo-key", "demo-secret"),
        timeouts=Timeouts(connect=2.0, read=5.0),
    )


def test_fetch_group_gets_the_group(stub: StubServer, stub_connection: Connection) -> None:
    assert fetch_group(stub_connection, 2762).group["id"] == 2762
    assert len(stub.requests("GET", "/v3/targetGroups/2762")) == 1


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_a_get_is_repeated_with_the_same_waits(
    stub: StubServer, stub_connection: Connection, status: int
) -> None:
    waits: list[float] = []
    stub.faults.get_statuses = [status, status]
    with BlockingClient(stub_connection, sleep=waits.append) as client:
        assert client.get_target_group(2762).group["id"] == 2762
    assert len(stub.requests("GET")) == 3
    assert len(waits) == 2


def test_a_get_gives_up_after_the_configured_retries(
    stub: StubServer, stub_connection: Connection
) -> None:
    waits: list[float] = []
    stub.faults.status_for_get = 503
    with (
        BlockingClient(stub_connection, sleep=waits.append) as client,
        pytest.raises(ServerError) as raised,
    ):
        client.get_target_group(2762)
    assert waits == [0.5, 1.0, 2.0]
    assert raised.value.status == 503


def test_a_refused_connection_is_repeated_then_one_sentence() -> None:
    waits: list[float] = []
    sent: list[SentRequest] = []
    connection = Connection(
        f"http://127.0.0.1:{closed_port()}", BasicAuth("demo", "demo"), retries=2
    )
    with (
        BlockingClient(connection, sleep=waits.append, on_request=sent.append) as client,
        pytest.raises(NetworkError) as raised,
    ):
        client.get_target_group(2762)
    assert len(sent) == 3
    assert waits == [0.5, 1.0]
    assert "connection refused" in raised.value.message


def test_an_oauth_token_is_generated_then_renewed_once_after_a_401(stub: StubServer) -> None:
    with BlockingClient(oauth_connection(stub)) as client:
        client.get_target_group(2762)
        stub.expire_tokens()
        assert client.get_target_group(2762).group["id"] == 2762
    assert len(stub.requests("POST", "/" + TOKEN_PATH)) == 2
    first, second = stub.issued_tokens
    tokens = [r.headers["X-CAP-API-OAUTH-TOKEN"] for r in stub.requests("GET")]
    assert tokens == [first, first, second]


def test_oauth_gives_up_after_the_second_401(stub: StubServer) -> None:
    stub.faults.get_statuses = [401, 401, 401]
    with (
        BlockingClient(oauth_connection(stub)) as client,
        pytest.raises(AuthenticationError) as raised,
    ):
        client.get_target_group(2762)
    assert len(stub.requests("GET")) == 2
    assert "check the client key and secret" in raised.value.message


def test_a_wrong_client_secret_leaves_redacted(stub: StubServer) -> None:
    connection = Connection(stub.base_url, OAuthClientAuth("demo-key", "not-the-secret"))
    with BlockingClient(connection) as client, pytest.raises(AuthenticationError) as raised:
        client.get_target_group(2762)
    assert "not-the-secret" not in str(raised.value)
    assert stub.requests("GET") == []
