"""The API's endpoints live in one module: the stand-in serves exactly those, the client
and the curl preview call them (over real HTTP on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tui.api.auth import basic_authorization
from tui.api.client import TargetGroupClient
from tui.api.connection import Connection
from tui.api.curl import curl_for_edit
from tui.api.endpoints import (
    EDIT_PATH,
    GROUP_PATH,
    LIST_PATH,
    METHODS,
    TARGETS_PATH,
    TOKEN_PATH,
    is_edit_url,
    match,
)
from tui.stub.server import StubServer

BASIC = {"Authorization": basic_authorization("demo", "demo")}
# A body each endpoint accepts; the rest need none.
BODIES: dict[str, Any] = {
    TOKEN_PATH: {"key": "demo-key", "secret": "demo-secret"},
    EDIT_PATH: {"id": 2762, "name": "Renamed"},
}


def _call(stub: StubServer, method: str, path: str, body: Any = None) -> httpx.Response:
    content = None if body is None else json.dumps(body)
    return httpx.request(method, f"{stub.base_url}/{path}", headers=BASIC, content=content)


@pytest.mark.parametrize("endpoint", list(METHODS))
def test_the_stand_in_serves_each_endpoint_the_module_names(
    stub: StubServer, endpoint: str
) -> None:
    reply = _call(stub, METHODS[endpoint], endpoint.format(group_id=2762), BODIES.get(endpoint))
    assert reply.status_code == 200, reply.text
    assert not reply.json()["errors"]
    assert reply.json()["data"]


@pytest.mark.parametrize("endpoint", list(METHODS))
def test_the_stand_in_refuses_another_method_on_each_endpoint(
    stub: StubServer, endpoint: str
) -> None:
    other = "DELETE"
    reply = _call(stub, other, endpoint.format(group_id=2762))
    assert reply.status_code == 405
    assert f"method {other} is not allowed here" in reply.text


@pytest.mark.parametrize(
    "path",
    [
        "v3/targetGroups/2762/periods",
        "v3/targetGroup/2762",
        "v3/targetGroups/editTargetGroup",
        "v3/targetGroups/abc",
        "v2/targetGroups",
    ],
)
def test_the_stand_in_serves_no_path_the_module_does_not_name(stub: StubServer, path: str) -> None:
    reply = _call(stub, "GET", path)
    assert reply.status_code == 404
    assert f"no such endpoint: /{path}" in reply.text


def test_match_names_the_endpoint_and_its_group_id() -> None:
    assert match("/v3/targetGroups/2762") == (GROUP_PATH, 2762)
    assert match("/v3/targetGroups") == (LIST_PATH, None)
    assert match("/v3/targetGroups/2762/targets") == (TARGETS_PATH, 2762)
    assert match("/v3/targetGroups/editTargetGroup/18044") == (EDIT_PATH, 18044)
    assert match("/v3/oauth/token/generate") == (TOKEN_PATH, None)
    assert match("/v3/targetGroups/２７６２") is None  # digits, but not ASCII ones


def test_the_client_and_the_curl_preview_call_the_paths_the_stand_in_serves(
    stub: StubServer, stub_connection: Connection
) -> None:
    async def calls() -> None:
        async with TargetGroupClient(stub_connection) as client:
            await client.get_target_group(2762, include_periods=True)
            await client.list_target_groups()
            await client.edit_target_group(2762, '{"id": 2762, "name": "Renamed"}')

    asyncio.run(calls())
    assert [(r.method, match(r.path)) for r in stub.received] == [
        ("GET", (GROUP_PATH, 2762)),
        ("GET", (LIST_PATH, None)),
        ("PUT", (EDIT_PATH, 2762)),
    ]
    curl = curl_for_edit(stub_connection, 2762, "{}")
    assert f"curl -X PUT {stub.base_url}/v3/targetGroups/editTargetGroup/2762" in curl


def test_an_edit_url_is_told_behind_a_gateway_prefix_too() -> None:
    assert is_edit_url("https://gw.example/api/v3/targetGroups/editTargetGroup/2762")
    assert not is_edit_url("https://gw.example/api/v3/targetGroups/2762")
    assert not is_edit_url("https://gw.example/v3/oauth/token/generate")
