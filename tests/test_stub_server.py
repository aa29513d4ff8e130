"""The stand-in server's endpoints and authentication, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tui.api.auth import basic_authorization
from tui.stub.cli import serve_forever_cli
from tui.stub.samples import load_groups, sample_groups
from tui.stub.server import StubServer

FIXTURES = Path(__file__).parent / "fixtures"
# One client for the module: creating one per call costs more than the call.
HTTP = httpx.Client()
BASIC = {"Authorization": basic_authorization("demo", "demo")}


def call(
    stub: StubServer,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: Any = None,
    **params: str,
) -> httpx.Response:
    content = body if isinstance(body, bytes | str) or body is None else json.dumps(body)
    return HTTP.request(
        method,
        stub.base_url + path,
        params=params or None,
        headers=BASIC if headers is None else headers,
        content=content,
        timeout=5,
    )


def test_get_one_group_with_and_without_periods(stub: StubServer) -> None:
    with_periods = call(stub, "GET", "/v3/targetGroups/2762", includePeriods="true")
    assert with_periods.status_code == 200
    reply = with_periods.json()
    assert set(reply) == {"data", "errors", "warnings"}
    assert reply["errors"] is None and reply["warnings"] is None
    assert reply["data"] == stub.group(2762)
    assert [p["id"] for p in reply["data"]["periods"]] == [30148, 30147]
    without = call(stub, "GET", "/v3/targetGroups/2762").json()["data"]
    assert "periods" not in without
    assert without["targets"] == reply["data"]["targets"]


def test_sample_groups_are_the_payloads_of_the_api_pages() -> None:
    groups = {g["id"]: g for g in sample_groups()}
    assert list(groups) == [2762, 18044, 2310, 2306]
    edit_reply = json.loads((FIXTURES / "edit-response-2762.json").read_text())
    assert groups[2762] == edit_reply["data"]
    assert groups[18044] == json.loads((FIXTURES / "edit-response-18044.json").read_text())["data"]
    listed = {g["id"]: g for g in json.loads((FIXTURES / "list-response.json").read_text())["data"]}
    for group_id in (2310, 2306):
        # The list's groups, given what a GET of one returns: their period and dates.
        assert groups[group_id]["periods"] == [listed[group_id]["activePeriod"]]
        assert {k: v for k, v in groups[group_id].items() if k in listed[group_id]} == listed[
            group_id
        ]
    sample_groups()[0]["name"] = "changed"
    assert sample_groups()[0]["name"] == "uatTargetGroup80"  # fresh copies each time


def test_list_filters_active_and_user_created(stub: StubServer) -> None:
    stub.edit_as_someone_else(2310, active=False, userCreated=True)
    every = call(stub, "GET", "/v3/targetGroups", includePeriods="false").json()["data"]
    assert [g["id"] for g in every] == [2762, 18044, 2310, 2306]
    assert all("periods" not in g for g in every)
    active = call(stub, "GET", "/v3/targetGroups", includeOnlyActive="true").json()["data"]
    assert [g["id"] for g in active] == [2762, 18044, 2306]
    system = call(stub, "GET", "/v3/targetGroups", includeUserCreatedTargetGroups="false")
    assert [g["id"] for g in system.json()["data"]] == [2762, 18044, 2306]


def test_targets_of_a_group(stub: StubServer) -> None:
    reply = call(stub, "GET", "/v3/targetGroups/2306/targets")
    assert reply.status_code == 200
    assert [t["id"] for t in reply.json()["data"]] == [2450]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v3/targetGroups/999", 404),
        ("GET", "/v3/targetGroups/999/targets", 404),
        ("PUT", "/v3/targetGroups/editTargetGroup/999", 404),
        ("GET", "/v3/nothing/here", 404),
        ("GET", "/", 404),
        ("DELETE", "/v3/targetGroups/2762", 405),
        ("GET", "/v3/targetGroups/editTargetGroup/2762", 405),
        ("GET", "/v3/oauth/token/generate", 405),
    ],
)
def test_unknown_paths_and_methods_get_an_error_envelope(
    stub: StubServer, method: str, path: str, status: int
) -> None:
    body = {"id": 999} if method == "PUT" else None
    reply = call(stub, method, path, body=body)
    assert reply.status_code == status
    document = reply.json()
    assert document["data"] is None
    assert isinstance(document["errors"][0]["code"], int)
    assert document["errors"][0]["message"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": basic_authorization("demo", "wrong")},
        {"Authorization": basic_authorization("someone", "demo")},
        # The password in clear instead of MD5-hashed: refused, as the API does.
        {"Authorization": "Basic " + base64.b64encode(b"demo:demo").decode()},
        {"Authorization": "Bearer abc"},
        {"Authorization": "Basic !!!"},
        {"X-CAP-API-OAUTH-TOKEN": "not-issued"},
    ],
)
def test_bad_credentials_are_refused_with_401(stub: StubServer, headers: dict[str, str]) -> None:
    reply = call(stub, "GET", "/v3/targetGroups/2762", headers=headers)
    assert reply.status_code == 401
    assert reply.json()["data"] is None
    assert reply.json()["errors"][0]["code"] == 401


def test_oauth_token_issued_used_and_expired(stub: StubServer) -> None:
    reply = call(
        stub,
        "POST",
        "/v3/oauth/token/generate",
        headers={},
        body={"key": "demo-key", "secret": "demo-secret"},
    )
    assert reply.status_code == 200
    data = reply.json()["data"]
    assert data["ttlSeconds"] == 3600
    token = data["accessToken"]
    assert stub.issued_tokens == [token]
    header = {"X-CAP-API-OAUTH-TOKEN": token}
    assert call(stub, "GET", "/v3/targetGroups/2762", headers=header).status_code == 200
    stub.expire_tokens()
    expired = call(stub, "GET", "/v3/targetGroups/2762", headers=header)
    assert expired.status_code == 401
    assert "expired" in expired.json()["errors"][0]["message"]


def test_a_token_expires_after_its_ttl() -> None:
    with StubServer(token_ttl=0) as server:
        token = server.issue_token("demo-key", "demo-secret")
        assert token is not None
        reply = call(server, "GET", "/v3/targetGroups", headers={"X-CAP-API-OAUTH-TOKEN": token})
    assert reply.status_code == 401


def test_a_wrong_key_is_310145_as_in_the_error_example(stub: StubServer) -> None:
    reply = call(
        stub,
        "POST",
        "/v3/oauth/token/generate",
        headers={},
        body={"key": "demo-key", "secret": "x"},
    )
    assert reply.status_code == 401
    assert reply.json() == json.loads((FIXTURES / "error-response-310145.json").read_text())


def test_a_token_call_without_a_json_object_is_invalid_input(stub: StubServer) -> None:
    reply = call(stub, "POST", "/v3/oauth/token/generate", headers={}, body="key=demo")
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["code"] == 300004


def test_received_requests_are_recorded(stub: StubServer) -> None:
    call(stub, "PUT", "/v3/targetGroups/editTargetGroup/2762", body='{"id": 2762}')
    call(stub, "GET", "/v3/targetGroups/", includePeriods="true", x="1")
    put, get = stub.received
    assert (put.method, put.path, put.body) == (
        "PUT",
        "/v3/targetGroups/editTargetGroup/2762",
        b'{"id": 2762}',
    )
    assert put.json() == {"id": 2762}
    assert put.headers["authorization"] == BASIC["Authorization"]  # any case
    assert put.headers.get("AUTHORIZATION") == BASIC["Authorization"]
    assert (get.path, get.query) == ("/v3/targetGroups", {"includePeriods": "true", "x": "1"})
    assert stub.requests("GET") == [get]
    stub.clear_received()
    assert stub.received == []


def test_a_get_after_a_change_shows_the_change_with_and_without_periods(
    stub: StubServer,
) -> None:
    # The stand-in encodes each group once per state: every change must reach the next GET.
    one = "/v3/targetGroups/2762"
    for periods in ("true", "false"):
        assert call(stub, "GET", one, includePeriods=periods).json()["data"]["name"] == (
            "uatTargetGroup80"
        )
    put = call(stub, "PUT", "/v3/targetGroups/editTargetGroup/2762", body={"id": 2762, "name": "x"})
    assert put.status_code == 200
    for periods in ("true", "false"):
        assert call(stub, "GET", one, includePeriods=periods).json()["data"]["name"] == "x"
    stub.edit_as_someone_else(2762, name="theirs")
    reply = call(stub, "GET", one, includePeriods="true").json()
    assert reply["data"] == stub.group(2762)
    assert reply["data"]["name"] == "theirs"
    assert call(stub, "GET", one).json()["data"]["name"] == "theirs"


def test_a_get_reply_does_not_share_state_with_the_store(stub: StubServer) -> None:
    one = "/v3/targetGroups/2762"
    first = call(stub, "GET", one, includePeriods="true").json()["data"]
    assert "periods" not in call(stub, "GET", one).json()["data"]
    # Leaving the periods out of one reply leaves them in the group.
    assert call(stub, "GET", one, includePeriods="true").json()["data"] == first
    assert first["periods"] == stub.group(2762)["periods"]


def test_group_returns_a_copy(stub: StubServer) -> None:
    stub.group(2762)["name"] = "mutated"
    assert stub.group(2762)["name"] == "uatTargetGroup80"
    with pytest.raises(KeyError):
        stub.group(1)


def test_groups_load_from_a_list_one_group_or_an_envelope(tmp_path: Path) -> None:
    assert [g["id"] for g in load_groups(FIXTURES / "list-response.json")] == [2310, 2306]
    assert [g["id"] for g in load_groups(FIXTURES / "edit-response-2762.json")] == [2762]
    single = tmp_path / "one.json"
    single.write_text(json.dumps(sample_groups()[1]))
    assert [g["id"] for g in load_groups(single)] == [18044]
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(sample_groups()))
    assert len(load_groups(listed)) == 4


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("not json", "not valid JSON"),
        ("[]", "no target group"),
        ('[{"id": 1}, {"id": 1}]', "twice"),
        ('{"name": "no id"}', "has no id"),
    ],
)
def test_a_bad_data_file_is_a_clear_value_error(
    tmp_path: Path, content: str, complaint: str
) -> None:
    file = tmp_path / "groups.json"
    file.write_text(content)
    with pytest.raises(ValueError, match=complaint):
        load_groups(file)
    with pytest.raises(ValueError, match="cannot read"):
        load_groups(tmp_path / "missing.json")


def test_serve_forever_cli_prints_the_url_and_credentials_and_serves(tmp_path: Path) -> None:
    data = tmp_path / "groups.json"
    data.write_text(json.dumps([sample_groups()[2]]))
    out = io.StringIO()
    stop = threading.Event()
    codes: list[int] = []
    thread = threading.Thread(
        target=lambda: codes.append(serve_forever_cli(0, str(data), out=out, stop=stop))
    )
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while "http://127.0.0.1:" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        printed = out.getvalue()
        base_url = printed.split("API at ", 1)[1].split()[0]
        assert "--username demo --password demo" in printed
        assert "demo-key" in printed and "demo-secret" in printed
        reply = httpx.get(f"{base_url}/v3/targetGroups", headers=BASIC, timeout=5)
        assert [g["id"] for g in reply.json()["data"]] == [2310]
    finally:
        stop.set()
        thread.join(timeout=5)
    assert codes == [0]


def test_serve_forever_cli_answers_late_when_asked(tmp_path: Path) -> None:
    out = io.StringIO()
    stop = threading.Event()
    thread = threading.Thread(target=lambda: serve_forever_cli(0, out=out, stop=stop, delay=0.2))
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while "Ctrl-C" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        printed = out.getvalue()
        assert "every reply 200 ms late" in printed
        base_url = printed.split("API at ", 1)[1].split()[0]
        started = time.monotonic()
        reply = httpx.get(f"{base_url}/v3/targetGroups", headers=BASIC, timeout=5)
        assert reply.status_code == 200
        assert time.monotonic() - started >= 0.2  # a lower bound: the delay is the point
    finally:
        stop.set()
        thread.join(timeout=5)


def test_the_stub_command_refuses_a_negative_delay() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli.main", "stub", "--delay-ms", "-5"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "--delay-ms: must be 0 or more" in result.stderr


def test_serve_forever_cli_refuses_a_bad_data_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve_forever_cli(0, str(tmp_path / "missing.json")) == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_port_in_use_is_said_with_the_way_out(stub: StubServer) -> None:
    port = int(stub.base_url.rsplit(":", 1)[1])  # the running stand-in holds it
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli.main", "stub", "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"tgedit stub: port {port} of 127.0.0.1 is in use; --port 0 picks a free one\n"
    )
