"""The client's calls against the stand-in server: fetch, list, edit, conflict check, curl."""

from __future__ import annotations

import json

import pytest

from tui.api.auth import OAuthClientAuth
from tui.api.client import TargetGroupClient
from tui.api.connection import Connection
from tui.api.curl import curl_for_edit
from tui.api.replies import WarningItem
from tui.api.results import Conflict, SentRequest, same_instant
from tui.stub.server import StubServer


async def test_fetch_returns_the_data_object_as_received(
    stub: StubServer, stub_connection: Connection
) -> None:
    async with TargetGroupClient(stub_connection) as client:
        fetched = await client.get_target_group(18044)
    stored = stub.group(18044)
    assert fetched.group == stored
    # Not re-serialised through a model: key order and float values as sent.
    assert list(fetched.group) == list(stored)
    default_value = fetched.group["targets"][0]["defaultValues"][0]["defaultValue"]
    assert default_value == 1.0 and isinstance(default_value, float)
    assert json.loads(fetched.text)["data"] == fetched.group
    assert fetched.warnings == []
    assert fetched.last_updated_on == "2024-04-01T16:04:29.145+0530"
    [request] = stub.received
    assert (request.method, request.path) == ("GET", "/v3/targetGroups/18044")
    assert request.query == {"includePeriods": "true"}


async def test_fetch_without_periods(stub: StubServer, stub_connection: Connection) -> None:
    async with TargetGroupClient(stub_connection) as client:
        fetched = await client.get_target_group(2762, include_periods=False)
    assert "periods" not in fetched.group
    assert stub.received[0].query == {"includePeriods": "false"}


async def test_list_sends_the_documented_query_and_returns_every_group(
    stub: StubServer, stub_connection: Connection
) -> None:
    async with TargetGroupClient(stub_connection) as client:
        groups = await client.list_target_groups()
    assert [g["id"] for g in groups] == [2762, 18044, 2310, 2306]
    assert all("periods" not in g for g in groups)
    [request] = stub.received
    assert request.path == "/v3/targetGroups"
    assert request.query == {
        "includePeriods": "false",
        "includeOnlyActive": "false",
        "includeUserCreatedTargetGroups": "true",
    }


async def test_list_of_active_groups_only(stub: StubServer, stub_connection: Connection) -> None:
    stub.edit_as_someone_else(2306, active=False)
    stub.edit_as_someone_else(2310, userCreated=True)
    async with TargetGroupClient(stub_connection) as client:
        active = await client.list_target_groups(active_only=True)
        system_made = await client.list_target_groups(include_user_created=False)
    assert [g["id"] for g in active] == [2762, 18044, 2310]
    assert [g["id"] for g in system_made] == [2762, 18044, 2306]
    assert stub.received[0].query["includeOnlyActive"] == "true"
    assert stub.received[1].query["includeUserCreatedTargetGroups"] == "false"


async def test_edit_sends_the_body_byte_for_byte(
    stub: StubServer, stub_connection: Connection
) -> None:
    body = (
        '{"id": 2762,\n  "name": "café \'quoted\' ✓",'
        '  "targets": [{"id": 3006, "expression": "currentTxn.value>500"}]}'
    )
    async with TargetGroupClient(stub_connection) as client:
        result = await client.edit_target_group(2762, body)
    [put] = stub.requests("PUT")
    assert put.path == "/v3/targetGroups/editTargetGroup/2762"
    assert put.body == body.encode("utf-8")
    assert put.headers["Content-Type"] == "application/json"
    assert result.status == 200
    assert result.warnings == []
    assert result.group == stub.group(2762)
    assert result.group["name"] == "café 'quoted' ✓"
    assert result.group["targets"][0]["expression"] == "currentTxn.value>500"
    assert json.loads(result.text)["data"] == result.group


async def test_edit_returns_the_servers_warnings(
    stub: StubServer, stub_connection: Connection
) -> None:
    body = json.dumps({"id": 2762, "orgId": 1})
    async with TargetGroupClient(stub_connection) as client:
        result = await client.edit_target_group(2762, body)
    assert result.warnings == [
        WarningItem(0, "field orgId is read-only and was ignored", {"field": "orgId"})
    ]
    assert str(result.warnings[0]) == "0: field orgId is read-only and was ignored"


async def test_no_conflict_when_nobody_else_changed_the_group(
    stub: StubServer, stub_connection: Connection
) -> None:
    async with TargetGroupClient(stub_connection) as client:
        fetched = await client.get_target_group(2762)
        assert await client.check_conflict(2762, fetched.last_updated_on) is None


async def test_conflict_when_someone_else_edited_the_group(
    stub: StubServer, stub_connection: Connection
) -> None:
    async with TargetGroupClient(stub_connection) as client:
        fetched = await client.get_target_group(2762)
        stub.faults.concurrent_edit = True
        conflict = await client.check_conflict(2762, fetched.last_updated_on)
    assert isinstance(conflict, Conflict)
    assert conflict.expected == "2025-11-18T13:51:31.644+0000"
    assert conflict.actual == stub.group(2762)["attribution"]["lastUpdatedOn"]
    assert conflict.actual != conflict.expected
    assert conflict.current_group["description"].endswith("(changed by someone else)")
    assert conflict.current_group["attribution"]["lastUpdatedBy"]["code"] == "someone.else"


async def test_conflict_after_our_own_edit_uses_the_marker_the_put_returned(
    stub: StubServer, stub_connection: Connection
) -> None:
    async with TargetGroupClient(stub_connection) as client:
        fetched = await client.get_target_group(2762)
        result = await client.edit_target_group(2762, '{"id": 2762, "description": "mine"}')
        assert await client.check_conflict(2762, result.last_updated_on) is None
        stale = await client.check_conflict(2762, fetched.last_updated_on)
    assert stale is not None


def test_same_instant_compares_moments_not_spellings() -> None:
    assert same_instant("2025-07-23T07:18:01.000+0000", "2025-07-23T07:18:01Z")
    assert same_instant("2025-07-23T12:48:01+05:30", "2025-07-23T07:18:01.000+0000")
    assert not same_instant("2025-07-23T07:18:01.000+0000", "2025-07-23T07:18:01.001+0000")
    assert same_instant(None, None)
    assert not same_instant(None, "2025-07-23T07:18:01Z")
    assert same_instant("not a time", "not a time")
    assert not same_instant("not a time", "2025-07-23T07:18:01Z")


async def test_last_request_and_hook_show_what_was_sent(
    stub: StubServer, stub_connection: Connection
) -> None:
    seen: list[SentRequest] = []
    body = '{"id": 2762, "description": "it\'s"}'
    async with TargetGroupClient(stub_connection, on_request=seen.append) as client:
        await client.get_target_group(2762)
        await client.edit_target_group(2762, body)
        last = client.last_request
        assert last is not None
        assert (last.method, last.body_text) == ("PUT", body)
        assert last.url == f"{stub.base_url}/v3/targetGroups/editTargetGroup/2762"
        assert [s.method for s in seen] == ["GET", "PUT"]
        secret_header = last.headers["Authorization"]
        assert secret_header not in repr(last)
        assert secret_header not in last.curl()
        # The convenience builds exactly the request that went out.
        assert client.curl_for_edit(2762, body) == last.curl()
        assert client.curl_for_edit(2762, body, reveal_secrets=True) == last.curl(
            reveal_secrets=True
        )
        assert curl_for_edit(stub_connection, 2762, body) == last.curl()


async def test_token_calls_are_recorded_without_the_secret(stub: StubServer) -> None:
    seen: list[SentRequest] = []
    connection = Connection(stub.base_url, OAuthClientAuth("demo-key", "demo-secret"))
    async with TargetGroupClient(connection, on_request=seen.append) as client:
        await client.get_target_group(2762)
        last = client.last_request
    assert [s.method for s in seen] == ["POST", "GET"]
    assert seen[0].body_text is not None and "demo-secret" not in seen[0].body_text
    assert last is not None and last.method == "GET"  # the token call is not "the request"


async def test_curl_with_oauth_before_any_token_keeps_the_placeholder(stub: StubServer) -> None:
    connection = Connection(stub.base_url, OAuthClientAuth("demo-key", "demo-secret"))
    command = curl_for_edit(connection, 2762, '{"id": 2762}', reveal_secrets=True)
    assert '"$CAP_API_TOKEN"' in command
    assert "demo-secret" not in command


@pytest.mark.parametrize("group_id", [2762, 18044, 2310, 2306])
async def test_every_sample_group_passes_the_shape_check(
    stub_connection: Connection, group_id: int
) -> None:
    async with TargetGroupClient(stub_connection) as client:
        fetched = await client.get_target_group(group_id)
    assert fetched.group["id"] == group_id
