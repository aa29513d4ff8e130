"""The stand-in's fault switches, seen over real HTTP."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx
import pytest

from tui.api.auth import basic_authorization
from tui.stub.faults import Faults
from tui.stub.server import StubServer

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
    thread.start()
    deadline = time.monotonic() + 5
    while not server.received and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.received, "the request reached the server"
    server.stop()
    thread.join(timeout=30)  # a deadline for a hung test, far below the 60 s delay
    assert not thread.is_alive()


def in_background(stub: StubServer, method: str, path: str, body: Any = None) -> Background:
    return Background(lambda: call(stub, method, path, body))


class Background:
    """A request made on another thread, so that the test can look while it is held."""

    def __init__(self, request: Any) -> None:
        self.reply: httpx.Response | None = None
        self._thread = threading.Thread(target=self._run, args=(request,), daemon=True)
        self._thread.start()

    def _run(self, request: Any) -> None:
        self.reply = request()

    def answer(self) -> httpx.Response:
        self._thread.join(timeout=10)
        assert self.reply is not None, "no answer"
        return self.reply


def test_the_gate_holds_a_reply_until_released(stub: StubServer) -> None:
    stub.faults.gate.hold()
    pending = in_background(stub, "GET", ONE)
    assert stub.faults.gate.wait_until_held(1)
    assert stub.faults.gate.held == 1
    assert pending.reply is None, "held: no answer yet"
    stub.faults.gate.release()
    assert pending.answer().status_code == 200
    assert stub.faults.gate.held == 0
    # Released means no more holding: the next request is answered at once.
    assert call(stub, "GET", ONE).status_code == 200


def test_the_gate_holds_only_the_method_it_is_told(stub: StubServer) -> None:
    gate = stub.faults.gate
    gate.hold("PUT")
    pending = in_background(stub, "PUT", EDIT, {"id": 2762, "description": "held"})
    assert gate.wait_until_held(1)
    # GETs go through while the PUT waits, and the PUT is not applied yet.
    assert call(stub, "GET", ONE).json()["data"]["description"] != "held"
    assert gate.arrived == 1
    gate.release()
    assert pending.answer().status_code == 200
    assert description(stub) == "held"


def test_wait_until_held_says_false_when_nothing_arrives(stub: StubServer) -> None:
    stub.faults.gate.hold("PUT")
    assert call(stub, "GET", ONE).status_code == 200
    assert not stub.faults.gate.wait_until_held(1, timeout=0.05)


def test_stop_releases_the_gate() -> None:
    server = StubServer().start()
    server.faults.gate.hold()
    pending = Background(lambda: call(server, "GET", ONE))
    assert server.faults.gate.wait_until_held(1)
    server.stop()
    pending.answer()
    assert server.faults.gate.held == 0


def test_clear_releases_the_gate_and_keeps_it(stub: StubServer) -> None:
    gate = stub.faults.gate
    gate.hold()
    pending = in_background(stub, "GET", ONE)
    assert gate.wait_until_held(1)
    stub.faults.clear()
    assert stub.faults.gate is gate
    assert pending.answer().status_code == 200


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
