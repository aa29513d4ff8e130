"""The standard-library GET (``tui.api.plain_get``) against the httpx client, fault by fault.

Each case runs the same GET both ways over real HTTP to the stand-in (or to the test
front before it) and compares what the person would read: the group, or the exact error
message, and the waits chosen between retries. Then the commands that use it are
checked in fresh processes for what they did not import.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fault_support import Certificates, Drop, Echo, Front, Reply, make_certificates

from tui.api import (
    ApiError,
    BasicAuth,
    Connection,
    FetchedGroup,
    TargetGroupClient,
    Timeouts,
    TokenAuth,
)
from tui.api.plain_get import get_group, sends_plainly
from tui.stub import StubServer

GROUP = 2762
PASSWORD = "s3cret-Passw0rd"
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Outcome:
    """What a GET came to, as the person sees it."""

    name: str | None = None
    text: str | None = None
    error: str | None = None
    kind: str | None = None
    delays: list[float] = field(default_factory=list)


def by_httpx(connection: Connection, group_id: int) -> Outcome:
    outcome = Outcome()

    async def sleep(seconds: float) -> None:
        outcome.delays.append(seconds)

    async def fetch() -> FetchedGroup:
        async with TargetGroupClient(connection, sleep=sleep) as client:
            return await client.get_target_group(group_id, models=False)

    return _ended(outcome, lambda: asyncio.run(fetch()))


def by_stdlib(connection: Connection, group_id: int) -> Outcome:
    outcome = Outcome()
    return _ended(
        outcome, lambda: get_group(connection, group_id, models=False, sleep=outcome.delays.append)
    )


def _ended(outcome: Outcome, call: Callable[[], FetchedGroup]) -> Outcome:
    try:
        fetched = call()
    except ApiError as error:
        outcome.error, outcome.kind = error.message, type(error).__name__
    else:
        outcome.name, outcome.text = fetched.group["name"], fetched.text
    return outcome


def both(
    connection: Connection, group_id: int = GROUP, between: Callable[[], None] = lambda: None
) -> Outcome:
    """The outcome both ways, asserted equal; ``between`` resets a one-shot fault."""
    first = by_httpx(connection, group_id)
    between()
    second = by_stdlib(connection, group_id)
    assert second == first
    return second


@pytest.fixture
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def front(stub: StubServer) -> Iterator[Front]:
    made = Front(stub).start()
    try:
        yield made
    finally:
        made.stop()


def to(base_url: str, *, password: str = "demo", read: float = 5.0) -> Connection:
    return Connection(
        base_url=base_url,
        auth=BasicAuth("demo", password),
        timeouts=Timeouts(connect=2.0, read=read),
    )


def test_success_is_the_same_group_and_text(stub: StubServer, stub_connection: Connection) -> None:
    outcome = both(stub_connection)
    assert outcome.error is None and outcome.name == stub.group(GROUP)["name"]
    assert outcome.text is not None and json.loads(outcome.text)["data"] == stub.group(GROUP)
    first, second = stub.requests("GET")
    assert (second.path, second.query) == (first.path, first.query)
    for header in ("authorization", "accept", "content-type", "user-agent"):
        assert second.headers.get(header) == first.headers.get(header), header


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [
        (401, "AuthenticationError", "HTTP 401"),
        (500, "ServerError", "HTTP 500"),
    ],
)
def test_a_refusing_status_reads_the_same(
    stub: StubServer, stub_connection: Connection, status: int, kind: str, words: str
) -> None:
    stub.faults.status_for_get = status
    outcome = both(stub_connection)
    assert outcome.kind == kind and outcome.error is not None and words in outcome.error


def test_an_unknown_group_reads_the_same(stub_connection: Connection) -> None:
    outcome = both(stub_connection, group_id=1)
    assert outcome.kind == "NotFound" and "check the group id" in (outcome.error or "")


def test_429_is_retried_after_the_servers_wait(
    stub: StubServer, stub_connection: Connection
) -> None:
    def one_429() -> None:
        stub.faults.get_statuses = [429]

    stub.faults.retry_after = "7"
    one_429()
    outcome = both(stub_connection, between=one_429)
    assert outcome.name is not None and outcome.delays == [7.0]
    assert len(stub.requests("GET")) == 4, "each client: the 429, then the group"


def test_a_proxys_html_page_reads_the_same(stub: StubServer, stub_connection: Connection) -> None:
    stub.faults.html_error, stub.faults.html_status = True, 500
    outcome = both(stub_connection)
    assert outcome.kind == "ServerError" and "not the API's JSON" in (outcome.error or "")


@pytest.mark.parametrize(
    ("reply", "kind", "words"),
    [
        (Reply(200, b'{"data": {"id": 27'), "MalformedReply", "not the API's JSON envelope"),
        (
            Reply(200, json.dumps({"data": {"id": 1, "name": "x"}}).encode()),
            "MalformedReply",
            "target group 1 instead of 2762",
        ),
        (
            Reply(301, b"", "text/plain", {"Location": "https://elsewhere.example/v3/x"}),
            "HttpError",
            "a redirect to https://elsewhere.example/v3/x",
        ),
    ],
    ids=["malformed JSON", "wrong id", "redirect"],
)
def test_a_reply_that_is_not_the_group_reads_the_same(
    front: Front, reply: Reply, kind: str, words: str
) -> None:
    front.fail("GET", reply)
    outcome = both(to(front.base_url))
    assert outcome.kind == kind and words in (outcome.error or "")


def test_secrets_echoed_back_are_redacted_the_same(front: Front) -> None:
    front.fail("GET", Echo(401))
    outcome = both(to(front.base_url, password=PASSWORD))
    assert outcome.kind == "AuthenticationError"
    connection = to(front.base_url, password=PASSWORD)
    for secret in connection.auth.secrets():
        assert secret not in (outcome.error or "")


def test_a_dropped_connection_reads_the_same(front: Front) -> None:
    front.fail("GET", Drop())
    outcome = both(to(front.base_url))
    assert outcome.kind == "NetworkError" and "dropped before an answer" in (outcome.error or "")


def test_a_refused_connection_is_retried_and_reads_the_same() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    outcome = both(to(f"http://127.0.0.1:{port}"))
    assert outcome.kind == "NetworkError" and "connection refused" in (outcome.error or "")
    assert outcome.delays == [0.5, 1.0, 2.0]


def test_an_untrusted_certificate_reads_the_same(
    stub: StubServer, certificates: Certificates
) -> None:
    tls = Front(stub, certificates.untrusted).start()
    try:
        connection = Connection(
            base_url=tls.base_url, auth=TokenAuth("t0ken-1234"), verify=str(certificates.ca_file)
        )
        outcome = both(connection)
    finally:
        tls.stop()
    assert outcome.kind == "NetworkError" and "CERTIFICATE_VERIFY_FAILED" in (outcome.error or "")
    assert outcome.delays == [], "a certificate is not tried again"


def test_a_trusted_private_ca_works_the_same(stub: StubServer, certificates: Certificates) -> None:
    tls = Front(stub, certificates.trusted).start()
    try:
        connection = Connection(
            base_url=tls.base_url,
            auth=BasicAuth("demo", "demo"),
            verify=str(certificates.ca_file),
        )
        outcome = both(connection)
    finally:
        tls.stop()
    assert outcome.name == stub.group(GROUP)["name"]


def test_a_held_reply_is_a_read_timeout_and_not_sent_again(stub: StubServer) -> None:
    connection = to(stub.base_url, read=0.5)
    stub.faults.gate.hold("GET")
    try:
        outcome = both(connection)
    finally:
        stub.faults.gate.release()
    assert outcome.kind == "RequestTimeout" and "read timeout" in (outcome.error or "")
    assert stub.faults.gate.arrived == 2, "one GET each: a read is not repeated after a timeout"


def test_oauth_client_credentials_and_proxies_go_to_httpx(stub_connection: Connection) -> None:
    assert sends_plainly(stub_connection, {})
    assert not sends_plainly(stub_connection, {"https_proxy": "http://proxy:3128"})
    assert not sends_plainly(stub_connection, {"ALL_PROXY": "socks5://proxy:1080"})
    assert sends_plainly(stub_connection, {"NO_PROXY": "*"})


# --- what the commands import ----------------------------------------------------------

REPORT = """
import sys
from tui.cli.main import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("httpx", "asyncio", "pydantic", "textual") if m in sys.modules)
print("IMPORTED", ",".join(heavy), file=sys.stderr)
sys.exit(code)
"""


def run_cli(argv: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "HOME": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-c", REPORT, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize(
    "command",
    [["set", str(GROUP), "name=Imported", "--dry-run"], ["show", str(GROUP)]],
    ids=["set --dry-run", "show"],
)
def test_the_headless_commands_import_no_httpx_asyncio_pydantic_or_textual(
    stub: StubServer, tmp_path: Path, command: list[str]
) -> None:
    done = run_cli(
        [*command, "--base-url", stub.base_url, "--username", "demo", "--password", "demo"],
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "IMPORTED \n" in done.stderr
    assert stub.requests("GET"), "it did fetch the group"


PREFETCH = """
import sys
from tui.api import BasicAuth, Connection
from tui.session.prefetch import Prefetch
prefetch = Prefetch(Connection(sys.argv[1], BasicAuth("demo", "demo")), 2762).start()
prefetch._done.wait(30)
assert prefetch._error is None, prefetch._error
print("FETCHED", prefetch._fetched.group["name"])
print("HTTPX", "httpx" in sys.modules)
"""


def run_script(script: str, stub: StubServer) -> subprocess.CompletedProcess[str]:
    """``script`` in a fresh interpreter (nothing imported yet), given the stand-in's URL."""
    done = subprocess.run(
        [sys.executable, "-c", script, stub.base_url],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_the_editors_prefetch_imports_no_httpx(stub: StubServer) -> None:
    done = run_script(PREFETCH, stub)
    assert f"FETCHED {stub.group(GROUP)['name']}" in done.stdout
    assert "HTTPX False" in done.stdout


WATCHED_PREFETCH = """
import sys
from tui.api import BasicAuth, Connection
from tui.session.prefetch import Prefetch

class Watched(Prefetch):
    def _fetch(self):
        before = set(sys.modules)
        try:
            return super()._fetch()
        finally:
            self.imported = sorted(set(sys.modules) - before)

prefetch = Watched(Connection(sys.argv[1], BasicAuth("demo", "demo")), 2762).start()
prefetch._done.wait(30)
assert prefetch._error is None, prefetch._error
print("IMPORTED IN THE THREAD", prefetch.imported)
"""


def test_the_prefetch_thread_imports_nothing(stub: StubServer) -> None:
    # Its modules are imported before the thread starts: imported in it, they competed
    # with the editor's imports for the interpreter lock (tui/session/prefetch.py).
    done = run_script(WATCHED_PREFETCH, stub)
    assert "IMPORTED IN THE THREAD []" in done.stdout
