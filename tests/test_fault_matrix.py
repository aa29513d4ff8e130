"""The fault matrix: every way the API (or the way to it) fails, met by ``tgedit show``,
``tgedit set`` and the editor, over real HTTPS on 127.0.0.1.

Each row is one failure. Each is met three times:

- ``test_show``: the GET fails. One ``tgedit: …`` sentence that says what failed and what
  to do next, no traceback, exit code 1, nothing on stdout; reads repeated only where a
  repeat can help (429, 502, 503, a refused connection), with the waits the server asked for.
- ``test_set``: the PUT of ``tgedit set … --yes`` fails (or, for faults that cannot pick
  the PUT out, the fetch before it). The same sentence and exit code; the PUT sent once
  and never repeated; the audit trail records it, with what came of it.
- ``test_editor``: the editor opens while the GET fails: an error dialog; ``r`` loads the
  group once the fault is gone. Then the PUT fails: a dialog that says what failed and
  that the change is kept in the draft file; the change and the draft intact; editing
  still works; and once the fault is gone, submitting sends the edit.

Requests go to a ``Front`` (tests/fault_support.py): an HTTPS server on 127.0.0.1 with a
private CA, passing requests on to the stand-in. Faults come from the stand-in's own
switches (``stub.faults``) where they exist, and from the front where a fault must hit
the PUT alone or cannot come from the server itself (refused, untrusted certificate).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from app_support import editor, loaded, settle, wait_for
from cli_support import (  # noqa: F401 (the fixture clean_env)
    assert_one_clear_line,
    clean_env_fixture,
    run_with,
)
from fault_support import (
    Before,
    Certificates,
    Drop,
    Front,
    Hang,
    PassOnThenDrop,
    Reply,
    edit_field,
    make_certificates,
    quicker_pilot,
    submit,
)

import tui.api.exchange
from tui.api.auth import BasicAuth, OAuthClientAuth
from tui.api.connection import Connection, Timeouts
from tui.api.retry import backoff_delay, retry_delay
from tui.app.app import TgEditApp
from tui.app.screens.dialogs import ErrorDialog
from tui.app.screens.submit import ConflictDialog
from tui.session.audit import AuditLog
from tui.session.draft import DraftStore
from tui.session.remote import GroupService
from tui.stub.handler import HTML_PAGE
from tui.stub.server import StubServer

GROUP = 2762
SHORT_READ_TIMEOUT = 0.5
BACKOFF = [0.5, 1.0, 2.0]  # the waits before the three repeats of a read


# --- the rig: the stand-in, the front before it, and the waits the client chose ---------------


@dataclass
class Rig:
    stub: StubServer
    front: Front
    certificates: Certificates
    delays: list[float] = field(default_factory=list)

    def clear(self) -> None:
        """Every fault off: the stand-in's switches, the front's rules, its certificate."""
        self.stub.faults.clear()
        self.front.clear()
        self.front.tls = self.certificates.trusted
        if self.front.port and not self.front.listening:
            self.front.start()

    def gets(self) -> int:
        """GETs of the group that reached the front (and so the stand-in, unless faulted)."""
        return self.front.seen.count("GET")

    def puts(self) -> list[bytes]:
        return [r.body for r in self.stub.requests("PUT")]


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def rig(
    stub: StubServer, certificates: Certificates, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Rig]:
    front = Front(stub, certificates.trusted).start()
    made = Rig(stub, front, certificates)

    # The client's real choice of wait is recorded; the wait itself is skipped.
    def no_backoff(attempt: int) -> float:
        made.delays.append(backoff_delay(attempt))
        return 0.0

    def no_retry_wait(status: int | None, after: str | None, attempt: int) -> float:
        made.delays.append(retry_delay(status, after, attempt))
        return 0.0

    monkeypatch.setattr(tui.api.exchange, "backoff_delay", no_backoff)
    monkeypatch.setattr(tui.api.exchange, "retry_delay", no_retry_wait)
    quicker_pilot(monkeypatch)
    try:
        yield made
    finally:
        front.stop()


# --- the rows ----------------------------------------------------------------------------------

Arm = Callable[[Rig], None]


def switches(**values: Any) -> Arm:
    """The stand-in's own fault switches (tui/stub/faults.py)."""

    def arm(rig: Rig) -> None:
        for name, value in values.items():
            setattr(rig.stub.faults, name, value)

    return arm


def front(method: str, action: Any, *, once: bool = False) -> Arm:
    def arm(rig: Rig) -> None:
        rig.front.fail(method, action, once=once)

    return arm


def refuse(rig: Rig) -> None:
    rig.front.refuse()


def untrusted_certificate(rig: Rig) -> None:
    rig.front.tls = rig.certificates.untrusted


def tokens_expire_before(method: str) -> Arm:
    """Every OAuth token the stand-in issued stops working when the next ``method`` arrives."""

    def arm(rig: Rig) -> None:
        rig.front.fail(method, Before(rig.stub.expire_tokens), once=True)

    return arm


def put_reply(status: int, payload: Any, content_type: str = "application/json") -> Arm:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return front("PUT", Reply(status, body, content_type))


HTML_502 = HTML_PAGE.format(status=502, phrase="Bad Gateway").encode()
CUT_JSON = b'{"data": {"id": 2762, "name": "uatTarg'
ERRORS_ON_200 = [{"code": 310145, "message": "invalid key"}]
MAYBE = "may or may not have been applied: reload to check before sending again"


@dataclass(frozen=True)
class Row:
    name: str
    read: Arm  # met by every GET
    read_says: tuple[str, ...]  # words the message of a failed read holds
    write: Arm | None = None  # met by the PUT alone; None: the row cannot pick it out
    write_says: tuple[str, ...] = ()
    gets: int = 1  # GETs that reach the front for one failed read (1 + repeats)
    delays: tuple[float, ...] = ()  # the waits chosen before the repeats
    outcome: str = "refused"  # what the audit trail says of the failed PUT
    read_fails: bool = True  # False: the client gets over it (a renewed token)
    oauth: bool = False
    read_timeout: float = 5.0

    def __str__(self) -> str:
        return self.name


ROWS = [
    Row(
        "401 credentials refused",
        switches(status_for_get=401),
        ("HTTP 401", "check the username and password"),
        switches(put_status=401),
        ("HTTP 401", "check the username and password"),
    ),
    Row(
        "403 no rights to target groups",
        switches(status_for_get=403),
        ("HTTP 403", "ask an admin for target-group rights"),
        switches(put_status=403),
        ("HTTP 403", "ask an admin for target-group rights"),
    ),
    Row(
        "404 no such group",
        switches(status_for_get=404),
        ("HTTP 404", "check the group id"),
        switches(put_status=404),
        ("HTTP 404", "check the group id"),
    ),
    Row(
        "429 with Retry-After",
        switches(status_for_get=429, retry_after="7"),
        ("HTTP 429", "wait 7 s and try again"),
        switches(put_status=429, retry_after="7"),
        ("HTTP 429", "wait 7 s and try again"),
        gets=4,
        delays=(7.0, 7.0, 7.0),
    ),
    Row(
        "429 without Retry-After",
        switches(status_for_get=429),
        ("HTTP 429", "wait a minute and try again"),
        switches(put_status=429),
        ("HTTP 429", "wait a minute and try again"),
        gets=4,
        delays=tuple(BACKOFF),
    ),
    Row(
        "500 server error",
        switches(status_for_get=500),
        ("HTTP 500", "try again later"),
        switches(put_status=500),
        ("HTTP 500", MAYBE),
        outcome="unknown",
    ),
    Row(
        "502 bad gateway",
        switches(status_for_get=502),
        ("HTTP 502", "try again later"),
        switches(put_status=502),
        ("HTTP 502", MAYBE),
        gets=4,
        delays=tuple(BACKOFF),
        outcome="unknown",
    ),
    Row(
        "503 unavailable",
        switches(status_for_get=503),
        ("HTTP 503", "try again later"),
        switches(put_status=503),
        ("HTTP 503", MAYBE),
        gets=4,
        delays=tuple(BACKOFF),
        outcome="unknown",
    ),
    Row(
        "HTML error page from a proxy",
        switches(html_error=True, html_status=502),
        ("HTTP 502", "not the API's JSON", "502 Bad Gateway"),
        put_reply(502, HTML_502, "text/html"),
        ("HTTP 502", "not the API's JSON", "502 Bad Gateway", MAYBE),
        gets=4,
        delays=tuple(BACKOFF),
        outcome="unknown",
    ),
    Row(
        "200 with a body that is not JSON",
        front("GET", Reply(200, CUT_JSON)),
        ("HTTP 200", "not the API's JSON envelope", "report it"),
        put_reply(200, CUT_JSON),
        ("HTTP 200", "not the API's JSON envelope", MAYBE),
        outcome="unknown",
    ),
    Row(
        "200 with errors filled",
        switches(errors_on_success=ERRORS_ON_200),
        ("HTTP 200 but listed errors", "310145: invalid key", "try again"),
        put_reply(200, {"data": {"id": GROUP}, "errors": ERRORS_ON_200, "warnings": None}),
        ("HTTP 200 but listed errors", "310145: invalid key", MAYBE),
        outcome="unknown",
    ),
    Row(
        "200 without data",
        switches(omit_data=True),
        ("HTTP 200 with an envelope without data", "report it"),
        put_reply(200, {"errors": None, "warnings": None}),
        ("HTTP 200 with an envelope without data", MAYBE),
        outcome="unknown",
    ),
    Row(
        "read timeout",
        switches(delay=30.0),  # cut short when the stand-in stops
        ("did not answer in full within the timeout", "raise the timeout"),
        front("PUT", Hang()),
        ("did not answer in full within the timeout", MAYBE),
        outcome="unknown",
        read_timeout=SHORT_READ_TIMEOUT,
    ),
    Row(
        "dropped connection",
        switches(drop_connection=True),
        ("dropped before an answer came", "try again"),
        front("PUT", Drop()),
        ("dropped before an answer came", MAYBE),
        outcome="unknown",
    ),
    Row(
        "connection refused",
        refuse,
        ("could not connect", "connection refused", "check the base URL"),
        gets=0,
        delays=tuple(BACKOFF),
    ),
    Row(
        "TLS certificate not trusted",
        untrusted_certificate,
        ("TLS handshake", "CERTIFICATE_VERIFY_FAILED", "give it with --ca-bundle"),
        gets=0,
    ),
    Row(
        "OAuth token expires mid-session",
        # Before a read: the client generates a new token and reads again, unseen.
        tokens_expire_before("GET"),
        (),
        # Just before the PUT: refused once (a PUT is never repeated); sending again works.
        tokens_expire_before("PUT"),
        ("HTTP 401", "the OAuth token was refused; a new one will be generated: send again"),
        gets=2,
        read_fails=False,
        oauth=True,
    ),
]

ROW_IDS = [row.name for row in ROWS]
# The rows split by what happens, so that no test asks which kind of row it has.
READ_FAILS = [row for row in ROWS if row.read_fails]
READ_RECOVERS = [row for row in ROWS if not row.read_fails]
PUT_PICKED = [row for row in ROWS if row.write is not None]
PUT_NOT_PICKED = [row for row in ROWS if row.write is None]


def arm_read(rig: Rig, row: Row) -> None:
    row.read(rig)


def arm_write(rig: Rig, row: Row) -> None:
    (row.write or row.read)(rig)


def assert_says(message: str, row: Row, words: tuple[str, ...]) -> None:
    for word in words:
        assert word in message, f"{row}: {word!r} not in {message!r}"
    assert "Traceback" not in message


def audit_entries(path: Path) -> list[dict[str, Any]]:
    return AuditLog(path).entries()


# --- the headless commands -------------------------------------------------------------------


@pytest.fixture
def cli_env(rig: Rig, clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAP_API_BASE_URL", rig.front.base_url)
    return clean_env


def cli(rig: Rig, row: Row, *argv: str) -> Any:
    credentials = (
        ["--client-key", "demo-key", "--client-secret", "demo-secret"]
        if row.oauth
        else ["--username", "demo", "--password", "demo"]
    )
    timeout = ["--timeout", str(row.read_timeout)]
    ca = ["--ca-bundle", str(rig.certificates.ca_file)]
    return run_with([*argv, *credentials, *timeout, *ca])


def test_the_rows_cover_both_kinds() -> None:
    assert READ_FAILS and READ_RECOVERS and PUT_PICKED and PUT_NOT_PICKED
    assert all(row.read_fails for row in PUT_NOT_PICKED), "set fails on the read or the PUT"


@pytest.mark.parametrize("row", READ_RECOVERS, ids=str)
def test_show_gets_over_the_fault(row: Row, rig: Rig, cli_env: Path) -> None:
    arm_read(rig, row)
    run = cli(rig, row, "show", str(GROUP))
    assert run.code == 0, run.err
    assert run.out.startswith(f"Target group {GROUP}")
    assert len(rig.stub.issued_tokens) == 2, "a new token was generated"
    assert rig.gets() == row.gets


@pytest.mark.parametrize("row", READ_FAILS, ids=str)
def test_show_fails(row: Row, rig: Rig, cli_env: Path) -> None:
    arm_read(rig, row)
    run = cli(rig, row, "show", str(GROUP))
    assert run.code == 1, run.err
    assert run.out == ""
    assert_one_clear_line(run.err)
    assert run.err.startswith(f"tgedit: Fetching target group {GROUP} failed: ")
    assert_says(run.err, row, row.read_says)
    assert rig.gets() == row.gets
    assert rig.delays == list(row.delays)


def run_set(rig: Rig, row: Row) -> Any:
    run = cli(rig, row, "set", str(GROUP), "name=Scripted", "--yes")
    assert run.code == 1, run.err
    assert run.out == ""
    assert_one_clear_line(run.err)
    return run


@pytest.mark.parametrize("row", PUT_NOT_PICKED, ids=str)
def test_set_fails_on_the_read(row: Row, rig: Rig, cli_env: Path) -> None:
    before = rig.stub.group(GROUP)
    arm_read(rig, row)
    run = run_set(rig, row)
    assert rig.stub.group(GROUP) == before, "nothing changed on the server"
    assert run.err.startswith(f"tgedit: Fetching target group {GROUP} failed: ")
    assert_says(run.err, row, row.read_says)
    assert rig.front.seen.count("PUT") == 0
    audit = audit_entries(cli_env / "state" / "tgedit" / "audit.jsonl")
    assert audit == [], "no PUT went out, so none is in the trail"


@pytest.mark.parametrize("row", PUT_PICKED, ids=str)
def test_set_fails_on_the_put(row: Row, rig: Rig, cli_env: Path) -> None:
    before = rig.stub.group(GROUP)
    arm_write(rig, row)
    run = run_set(rig, row)
    assert rig.stub.group(GROUP) == before, "nothing changed on the server"
    assert run.err.startswith(f"tgedit: Editing target group {GROUP} failed: ")
    assert_says(run.err, row, row.write_says)
    assert rig.front.seen.count("PUT") == 1, "a PUT is never repeated"
    (entry,) = audit_entries(cli_env / "state" / "tgedit" / "audit.jsonl")
    assert entry["body"] == {"id": GROUP, "name": "Scripted"}
    assert entry["outcome"] == row.outcome
    assert entry["message"] in run.err


# --- the editor ------------------------------------------------------------------------------


def make_editor(rig: Rig, row: Row, state: Path) -> TgEditApp:
    auth = OAuthClientAuth("demo-key", "demo-secret") if row.oauth else BasicAuth("demo", "demo")
    connection = Connection(
        base_url=rig.front.base_url,
        auth=auth,
        timeouts=Timeouts(connect=2.0, read=row.read_timeout),
        verify=str(rig.certificates.ca_file),
    )
    return TgEditApp(
        service=GroupService(connection),
        drafts=DraftStore(state / "drafts"),
        group_id=GROUP,
        audit=AuditLog(state / "audit.jsonl"),
    )


async def error_dialog(pilot: Any, title: str) -> str:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ErrorDialog), "the error dialog")
    dialog = pilot.app.screen
    assert isinstance(dialog, ErrorDialog)
    assert dialog.text.startswith(title + "\n"), dialog.text
    return dialog.text


def draft_changes(app: TgEditApp) -> list[dict[str, Any]]:
    path = app.drafts.path_for(app.service.base_url or "", GROUP)
    changes: list[dict[str, Any]] = json.loads(path.read_text())["changes"]
    return changes


@pytest.mark.parametrize("row", READ_FAILS, ids=str)
async def test_editor_opening_fails_then_r_loads(row: Row, rig: Rig, tmp_path: Path) -> None:
    app = make_editor(rig, row, tmp_path)
    arm_read(rig, row)
    async with app.run_test(size=(100, 30)) as pilot:
        # Opening while the GET fails: a dialog, then r loads once the fault is gone.
        text = await error_dialog(pilot, f"Could not fetch group {GROUP}")
        assert_says(text, row, row.read_says)
        await pilot.press("escape")
        assert app.is_running and editor(app).session is None
        rig.clear()
        await pilot.press("r")
        screen = await loaded(pilot)
        assert screen.session is not None
        assert not isinstance(app.screen, ErrorDialog)


@pytest.mark.parametrize("row", READ_RECOVERS, ids=str)
async def test_editor_opens_through_a_read_fault_it_gets_over(
    row: Row, rig: Rig, tmp_path: Path
) -> None:
    app = make_editor(rig, row, tmp_path)
    arm_read(rig, row)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        assert screen.session is not None
        assert not isinstance(app.screen, ErrorDialog)
        assert rig.gets() == row.gets


@pytest.mark.parametrize("row", ROWS, ids=ROW_IDS)
async def test_editor(row: Row, rig: Rig, tmp_path: Path) -> None:
    app = make_editor(rig, row, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        session = screen.session
        assert session is not None
        rig.clear()

        # The PUT fails: a dialog naming the fault, the change kept in memory and on disk.
        await edit_field(pilot, "name", "Kept")
        arm_write(rig, row)
        await submit(pilot)
        text = await error_dialog(pilot, f"Submit of group {GROUP} failed")
        assert_says(text, row, row.write_says if row.write else row.read_says)
        assert "Your 1 change(s) are kept, and saved in the draft file" in text
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.submitting
        assert session.value(("name",)) == "Kept"
        assert draft_changes(app) == [{"path": "name", "value": "Kept"}]
        assert rig.stub.group(GROUP)["name"] != "Kept"
        puts_sent = rig.front.seen.count("PUT")
        assert puts_sent == (1 if row.write else 0)
        trail = audit_entries(tmp_path / "audit.jsonl")
        assert [e["outcome"] for e in trail] == ([row.outcome] if puts_sent else [])

        # Still usable: the field edited again, then (the fault gone) it is sent.
        rig.clear()
        await edit_field(pilot, "name", "Kept again")
        assert session.value(("name",)) == "Kept again"
        assert draft_changes(app) == [{"path": "name", "value": "Kept again"}]
        await submit(pilot)
        await wait_for(pilot, lambda: screen.session is not session, "the server's reply")
        await settle(pilot)
        assert not isinstance(app.screen, ErrorDialog)
        assert rig.stub.group(GROUP)["name"] == "Kept again"
        assert not app.drafts.path_for(app.service.base_url or "", GROUP).exists()
        last = audit_entries(tmp_path / "audit.jsonl")[0]
        assert last["outcome"] == "applied" and last["status"] == 200
        assert last["body"] == {"id": GROUP, "name": "Kept again"}


# --- beyond the matrix: the PUT was applied, but its answer was lost -----------------------------


async def test_a_lost_answer_after_the_put_was_applied_is_found_on_the_next_submit(
    rig: Rig, tmp_path: Path
) -> None:
    row = ROWS[0]
    app = make_editor(rig, row, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        await edit_field(pilot, "name", "Applied")
        rig.front.fail("PUT", PassOnThenDrop())
        await submit(pilot)
        text = await error_dialog(pilot, f"Submit of group {GROUP} failed")
        assert MAYBE in text
        assert rig.stub.group(GROUP)["name"] == "Applied", "the server did apply it"
        await pilot.press("escape")
        assert draft_changes(app) == [{"path": "name", "value": "Applied"}], "the draft stays"
        (entry,) = audit_entries(tmp_path / "audit.jsonl")
        assert entry["outcome"] == "unknown"

        rig.clear()
        await submit(pilot)
        await wait_for(
            pilot, lambda: isinstance(app.screen, ConflictDialog), "the changed-on-server dialog"
        )
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert [c.after for c in dialog.report.server_changes] == ["Applied"]
        assert dialog.report.clashes == [], "the server holds this very change: no clash"
        await pilot.press("r")  # reload and reapply: nothing is left to send
        await settle(pilot)
        assert screen.session is not None and not screen.session.has_changes
        assert rig.front.seen.count("PUT") == 1
