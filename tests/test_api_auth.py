"""Authentication: Basic with the MD5-hashed password, OAuth tokens, and secrets kept hidden."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from tui.api.auth import BasicAuth, OAuthClientAuth, TokenAuth, basic_authorization
from tui.api.client import TargetGroupClient
from tui.api.connection import Connection
from tui.api.errors import ApiError, AuthenticationError
from tui.stub.server import StubServer

TOKEN_PATH = "/v3/oauth/token/generate"
GROUP_PATH = "/v3/targetGroups/2762"


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def oauth_connection(stub: StubServer, auth: OAuthClientAuth | None = None) -> Connection:
    return Connection(stub.base_url, auth or OAuthClientAuth("demo-key", "demo-secret"))


def test_basic_header_reproduces_the_worked_example_of_api_md() -> None:
    expected = "Basic c3RvcmUuc2VydmVyOjhhMTZhNmI3MDUwNWViMWYxZmY3Y2RjMGNkNTU1OWE3"
    assert basic_authorization("store.server", "server123") == expected
    assert BasicAuth("store.server", "server123").headers() == {"Authorization": expected}


def test_repr_never_shows_a_secret() -> None:
    oauth = OAuthClientAuth("the-key-123", "the-secret-456")
    oauth.accept_token("the-token-789", 300)
    objects = [
        BasicAuth("store.server", "server123"),
        TokenAuth("ready-token-abc"),
        oauth,
        Connection("https://eu.api.capillarytech.com", BasicAuth("u", "pass-word-1")),
        Connection("https://eu.api.capillarytech.com", oauth),
    ]
    shown = " ".join(repr(o) for o in objects)
    for secret in ("server123", "ready-token-abc", "the-key-123", "the-secret-456"):
        assert secret not in shown
    assert "the-token-789" not in shown
    assert "pass-word-1" not in shown
    assert "store.server" in shown  # a user name is not a secret


async def test_basic_auth_sends_the_hashed_password_and_json_headers(
    stub: StubServer, stub_connection: Connection
) -> None:
    async with TargetGroupClient(stub_connection) as client:
        await client.get_target_group(2762)
    [request] = stub.received
    assert request.headers["Authorization"] == basic_authorization("demo", "demo")
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Content-Type"] == "application/json"
    assert "X-CAP-API-OAUTH-TOKEN" not in request.headers


async def test_oauth_token_is_generated_once_cached_and_sent_instead_of_authorization(
    stub: StubServer,
) -> None:
    async with TargetGroupClient(oauth_connection(stub)) as client:
        await client.get_target_group(2762)
        await client.list_target_groups()
    token_calls = stub.requests("POST", TOKEN_PATH)
    assert len(token_calls) == 1
    assert json.loads(token_calls[0].body) == {"key": "demo-key", "secret": "demo-secret"}
    # The token call carries no credentials of its own.
    assert "Authorization" not in token_calls[0].headers
    assert "X-CAP-API-OAUTH-TOKEN" not in token_calls[0].headers
    [token] = stub.issued_tokens
    gets = stub.requests("GET")
    assert len(gets) == 2
    for request in gets:
        assert request.headers["X-CAP-API-OAUTH-TOKEN"] == token
        assert "Authorization" not in request.headers
        assert request.headers["Accept"] == "application/json"


async def test_oauth_token_is_renewed_before_it_expires(stub: StubServer) -> None:
    clock = FakeClock()
    auth = OAuthClientAuth("demo-key", "demo-secret", clock=clock)
    async with TargetGroupClient(oauth_connection(stub, auth)) as client:
        await client.get_target_group(2762)
        clock.now += 3600 - 40  # 40 s of a 3600 s token left: still fine
        await client.get_target_group(2762)
        assert len(stub.requests("POST", TOKEN_PATH)) == 1
        clock.now += 15  # 25 s left: renewed before use
        await client.get_target_group(2762)
    assert len(stub.requests("POST", TOKEN_PATH)) == 2
    first, second = stub.issued_tokens
    gets = stub.requests("GET")
    assert [r.headers["X-CAP-API-OAUTH-TOKEN"] for r in gets] == [first, first, second]


def test_a_short_token_is_renewed_in_its_last_tenth_not_on_every_call() -> None:
    clock = FakeClock()
    auth = OAuthClientAuth("k", "s", clock=clock)
    assert auth.needs_token()
    auth.accept_token("t", 20)
    assert not auth.needs_token()
    clock.now += 17.9
    assert not auth.needs_token()
    clock.now += 0.2
    assert auth.needs_token()


async def test_oauth_token_is_renewed_once_after_a_401(stub: StubServer) -> None:
    async with TargetGroupClient(oauth_connection(stub)) as client:
        await client.get_target_group(2762)
        stub.expire_tokens()
        fetched = await client.get_target_group(2762)
    assert fetched.group["id"] == 2762
    assert len(stub.requests("POST", TOKEN_PATH)) == 2
    statuses_seen = [r.headers["X-CAP-API-OAUTH-TOKEN"] for r in stub.requests("GET")]
    first, second = stub.issued_tokens
    assert statuses_seen == [first, first, second]


async def test_oauth_gives_up_after_the_second_401(stub: StubServer) -> None:
    stub.faults.get_statuses = [401, 401, 401]
    async with TargetGroupClient(oauth_connection(stub)) as client:
        with pytest.raises(AuthenticationError) as raised:
            await client.get_target_group(2762)
    assert len(stub.requests("GET")) == 2
    assert len(stub.requests("POST", TOKEN_PATH)) == 2
    assert "check the client key and secret" in raised.value.message


async def test_a_refused_put_is_not_repeated_but_the_next_one_gets_a_fresh_token(
    stub: StubServer,
) -> None:
    body = json.dumps({"id": 2762, "description": "after a 401"})
    async with TargetGroupClient(oauth_connection(stub)) as client:
        await client.get_target_group(2762)
        stub.expire_tokens()
        with pytest.raises(AuthenticationError) as raised:
            await client.edit_target_group(2762, body)
        assert len(stub.requests("PUT")) == 1
        assert "send again" in raised.value.message
        result = await client.edit_target_group(2762, body)
    assert result.group["description"] == "after a 401"
    assert len(stub.requests("PUT")) == 2
    assert len(stub.requests("POST", TOKEN_PATH)) == 2


async def test_a_wrong_client_secret_is_310145_and_the_message_hides_it(stub: StubServer) -> None:
    auth = OAuthClientAuth("demo-key", "not-the-secret")
    async with TargetGroupClient(oauth_connection(stub, auth)) as client:
        with pytest.raises(AuthenticationError) as raised:
            await client.get_target_group(2762)
    error = raised.value
    assert error.status == 401
    assert error.codes == [310145]
    assert "310145: Invalid key is passed" in error.message
    assert error.message.startswith("Generating an OAuth token failed")
    assert "not-the-secret" not in error.message
    assert stub.requests("GET") == []  # nothing sent without a token


async def test_a_ready_token_is_sent_as_the_oauth_header(stub: StubServer) -> None:
    token = stub.issue_token("demo-key", "demo-secret")
    assert token is not None
    async with TargetGroupClient(Connection(stub.base_url, TokenAuth(token))) as client:
        await client.get_target_group(2762)
        stub.expire_tokens()
        with pytest.raises(AuthenticationError) as raised:
            await client.get_target_group(2762)
    first, _ = stub.requests("GET")
    assert first.headers["X-CAP-API-OAUTH-TOKEN"] == token
    assert "Authorization" not in first.headers
    assert "generate a new one" in raised.value.message
    assert token not in raised.value.message
    assert stub.requests("POST") == []  # a ready token cannot be renewed


async def test_wrong_basic_password_is_an_authentication_error_without_the_password(
    stub: StubServer,
) -> None:
    connection = Connection(stub.base_url, BasicAuth("demo", "wrong-password"))
    async with TargetGroupClient(connection) as client:
        with pytest.raises(AuthenticationError) as raised:
            await client.get_target_group(2762)
    assert raised.value.status == 401
    assert "check the username and password" in raised.value.message
    assert "wrong-password" not in raised.value.message
    assert len(stub.received) == 1  # a 401 with Basic auth is not repeated


async def test_secrets_never_reach_the_logs(
    stub: StubServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with TargetGroupClient(oauth_connection(stub)) as client:
        await client.get_target_group(2762)
        stub.expire_tokens()
        await client.get_target_group(2762)
    bad = OAuthClientAuth("demo-key", "wrong-secret-xyz")
    async with TargetGroupClient(oauth_connection(stub, bad)) as client:
        with pytest.raises(ApiError):
            await client.list_target_groups()
    assert caplog.records, "the client logs its requests"
    for secret in ["demo-secret", "wrong-secret-xyz", *stub.issued_tokens]:
        assert secret not in caplog.text


async def test_a_secret_echoed_back_by_the_server_is_scrubbed_from_the_message() -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        header = request.headers["Authorization"]
        reply = {"data": None, "errors": [{"code": 300004, "message": f"bad header {header}"}]}
        return httpx.Response(400, json=reply)

    connection = Connection("https://eu.api.capillarytech.com", BasicAuth("u", "pass-1234"))
    async with TargetGroupClient(connection, transport=httpx.MockTransport(echo)) as client:
        with pytest.raises(ApiError) as raised:
            await client.get_target_group(1)
    sent = basic_authorization("u", "pass-1234").removeprefix("Basic ")
    assert sent not in raised.value.message
    assert "<redacted>" in raised.value.message
