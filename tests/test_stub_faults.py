"""The stand-in's fault switches, seen over real HTTP."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx
import pytest

from tui.api import basic_authorization
from tui.stub import Faults, StubServer

# One client for the module: creating one per call costs more than the call.
HTTP = httpx.Client()
BASIC = {"Authorization": basic_authorization("demo", "demo")}
ONE = "/v3/targetGroups/2762"
EDIT = "/v3/targetGroups/editTargetGroup/2762"
TOKEN = "/v3/oauth/token/generate"


def call(stub: StubServer, method: str, path: str, body: Any = None, **kw: Any) -> httpx.Response:
    content = None if body is None else json.dumps(body)
    headers = kw.pop("headers", BASIC)
    return HTTP.request(
        method, stub.base_url + path, headers=headers, content=content, timeout=5, **kw
    )


def description(stub: StubServer) -> str:
    return str(stub.group(2762)["description"])


def test_put_status_answers_every_put_with_an_error_and_applies_nothing(stub: StubServer) -> None:
    stub.faults.put_status = 500
    reply = call(stub, "PUT", EDIT, {"id": 2762, "description": "x"})
    assert reply.status_code == 500
    assert reply.json() == {
        "data": None,
        "errors": [{"code": 500, "message": "internal server error"}],
        "warnings": None,
    }
    stub.faults.put_status = 400
    stub.faults.put_errors = [{"code": 310133, "message": "leaderboard not enabled"}]
    assert call(stub, "PUT", EDIT, {"id": 2762}).json()["errors"][0]["code"] == 310133
    assert description(stub) == "description update number 3"
    assert call(stub, "GET", ONE).status_code == 200  # GETs unaffected


def test_status_for_get_answers_every_get_but_not_the_token_call(stub: StubServer) -> None:
    stub.faults.status_for_get = 403
    for path in (ONE, "/v3/targetGroups", ONE + "/targets"):
        reply = call(stub, "GET", path)
        assert reply.status_code == 403
        assert reply.json()["errors"][0]["code"] == 403
    token = call(stub, "POST", TOKEN, {"key": "demo-key", "secret": "demo-secret"}, headers={})
    assert token.status_code == 200


def test_get_statuses_fail_the_next_gets_then_answer_normally(stub: StubServer) -> None:
    stub.faults.get_statuses = [503, 429]
    stub.faults.retry_after = "3"
    first, second, third = (call(stub, "GET", ONE) for _ in range(3))
    assert (first.status_code, first.headers["Retry-After"]) == (503, "3")
    assert (second.status_code, second.headers["Retry-After"]) == (429, "3")
    assert third.status_code == 200
    assert stub.faults.get_statuses == []


def test_retry_after_is_only_sent_with_429_and_503(stub: StubServer) -> None:
    stub.faults.get_statuses = [502]
    stub.faults.retry_after = "3"
    assert "Retry-After" not in call(stub, "GET", ONE).headers


def test_html_error_answers_a_proxy_page(stub: StubServer) -> None:
    stub.faults.html_error = True
    reply = call(stub, "GET", ONE)
    assert reply.status_code == 502
    assert reply.headers["Content-Type"] == "text/html"
    assert reply.text.startswith("<html>")
    assert "502 Bad Gateway" in reply.text
    stub.faults.html_status = 504
    assert call(stub, "PUT", EDIT, {"id": 2762}).status_code == 504


def test_delay_holds_the_answer_back(stub: StubServer) -> None:
    stub.faults.delay = 0.3
    started = time.monotonic()
    assert call(stub, "GET", ONE).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_stop_cuts_a_delay_short() -> None:
    server = StubServer().start()
    server.faults.delay = 60
    replies: list[int] = []
    thread = threading.Thread(target=lambda: replies.append(call(server, "GET", ONE).status_code))
    started = time.monotonic()
    thread.start()
    deadline = time.monotonic() + 5
    while not server.received and time.monotonic() < deadline:
        time.sleep(0.01)
    server.stop()
    thread.join(timeout=5)
    assert time.monotonic() - started < 5
    assert not thread.is_alive()


def test_drop_connection_closes_without_an_answer(stub: StubServer) -> None:
    stub.faults.drop_connection = True
    with pytest.raises(httpx.TransportError):
        call(stub, "GET", ONE)
    assert len(stub.received) == 1


def test_errors_on_success_and_omit_data(stub: StubServer) -> None:
    stub.faults.errors_on_success = [{"code": 310092, "message": "invalid extended field"}]
    reply = call(stub, "GET", ONE).json()
    assert reply["errors"] == [{"code": 310092, "message": "invalid extended field"}]
    assert reply["data"]["id"] == 2762
    stub.faults.errors_on_success = None
    stub.faults.omit_data = True
    assert set(call(stub, "GET", ONE).json()) == {"errors", "warnings"}


def test_concurrent_edit_set_before_loading_hits_the_conflict_check(stub: StubServer) -> None:
    stub.faults.concurrent_edit = True
    loaded = call(stub, "GET", ONE).json()["data"]
    assert loaded["description"] == "description update number 3"  # the load is untouched
    assert stub.faults.concurrent_edit  # still armed
    checked = call(stub, "GET", ONE).json()["data"]
    assert checked["description"] == "description update number 3 (changed by someone else)"
    assert checked["attribution"]["lastUpdatedOn"] != loaded["attribution"]["lastUpdatedOn"]
    assert checked["attribution"]["lastUpdatedBy"]["code"] == "someone.else"
    assert not stub.faults.concurrent_edit  # once only
    again = call(stub, "GET", ONE).json()["data"]
    assert again["attribution"] == checked["attribution"]


def test_concurrent_edit_set_after_loading_hits_the_next_get(stub: StubServer) -> None:
    loaded = call(stub, "GET", ONE).json()["data"]
    stub.faults.concurrent_edit = True
    checked = call(stub, "GET", ONE).json()["data"]
    assert checked["attribution"]["lastUpdatedOn"] != loaded["attribution"]["lastUpdatedOn"]


def test_concurrent_edit_happens_before_a_put_that_skipped_the_check(stub: StubServer) -> None:
    call(stub, "GET", ONE)
    stub.faults.concurrent_edit = True
    reply = call(stub, "PUT", EDIT, {"id": 2762, "name": "mine"}).json()["data"]
    # The other person's change landed first, then ours on top: a lost update the
    # client's conflict check exists to prevent.
    assert reply["name"] == "mine"
    assert reply["description"].endswith("(changed by someone else)")


def test_concurrent_edit_leaves_other_groups_alone(stub: StubServer) -> None:
    call(stub, "GET", ONE)
    stub.faults.concurrent_edit = True
    other = call(stub, "GET", "/v3/targetGroups/18044").json()["data"]
    assert other["description"] == "non-cont-streaks group"
    assert stub.faults.concurrent_edit  # still waiting for a group someone loaded


def test_clear_turns_every_fault_off() -> None:
    faults = Faults(put_status=500, get_statuses=[503], html_error=True, delay=1.0)
    faults.concurrent_edit = True
    faults.clear()
    assert faults == Faults()
