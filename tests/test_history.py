"""The audit trail and ``tgedit history``: every PUT sent, from ``set`` and from the editor,
newest first, with what came of it; never a credential, never a raw control character."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_support import loaded, make_app, settle, wait_for
from cli_support import (  # noqa: F401 (the fixtures clean_env and on_stub)
    assert_one_clear_line,
    clean_env_fixture,
    on_stub_fixture,
    run_with,
)
from fault_support import edit_field, quicker_pilot, submit

from tui.app.screens.dialogs import ErrorDialog
from tui.session.audit import AuditLog
from tui.stub.server import StubServer

GROUP = 2762
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(autouse=True, scope="module")
def _quicker_pilot() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        quicker_pilot(patch)
        yield


def audit_path(clean_env: Path) -> Path:
    return clean_env / "state" / "tgedit" / "audit.jsonl"


def test_history_shows_each_put_of_set_newest_first(on_stub: StubServer, clean_env: Path) -> None:
    assert run_with(["set", str(GROUP), "name=First name", "--yes"]).code == 0
    on_stub.faults.put_status = 400
    on_stub.faults.put_errors = [{"code": 310008, "message": "name is longer than 200"}]
    assert run_with(["set", str(GROUP), "description=Second", "--yes"]).code == 1
    on_stub.faults.clear()
    assert run_with(["set", "18044", "description=Other group", "--yes"]).code == 0

    run = run_with(["history"])
    assert run.code == 0, run.err
    blocks = run.out.split("\n\n")
    assert len(blocks) == 3
    assert "group 18044  applied (HTTP 200)" in blocks[0]
    assert "  description = Other group" in blocks[0]
    assert f"group {GROUP}  refused (nothing changed) (HTTP 400)" in blocks[1]
    assert "  description = Second" in blocks[1]
    assert "  error: 310008: name is longer than 200" in blocks[1]
    assert f"Editing target group {GROUP} failed" in blocks[1]
    assert f"group {GROUP}  applied (HTTP 200)  {on_stub.base_url}" in blocks[2]
    assert "  name = First name" in blocks[2]

    only = run_with(["history", str(GROUP)])
    assert only.out.split("\n\n") == blocks[1:]
    newest = run_with(["history", "--limit", "1"])
    assert newest.out == blocks[0] + "\n"


def test_history_as_json(on_stub: StubServer, clean_env: Path) -> None:
    assert run_with(["set", str(GROUP), "targets[3006].description=Via set", "--yes"]).code == 0
    run = run_with(["history", "--json"])
    (entry,) = json.loads(run.out)
    assert entry["groupId"] == GROUP and entry["status"] == 200
    assert entry["outcome"] == "applied"
    assert entry["baseUrl"] == on_stub.base_url
    assert entry["body"] == {"id": GROUP, "targets": [{"id": 3006, "description": "Via set"}]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", entry["time"])
    lines = run_with(["history"]).out
    assert "  targets[3006].description = Via set" in lines


def test_an_empty_history_says_where_it_looked(clean_env: Path) -> None:
    run = run_with(["history"])
    assert run.code == 0 and run.out == ""
    assert run.err.strip() == (
        f"No change was sent from here yet (the audit log is {audit_path(clean_env)})."
    )
    run = run_with(["history", "5"])
    assert "No change to target group 5 was sent" in run.err
    assert run_with(["history", "--limit", "0"]).code == 2


def test_the_log_is_private_and_a_bad_line_is_skipped(on_stub: StubServer, clean_env: Path) -> None:
    assert run_with(["set", str(GROUP), "name=One", "--yes"]).code == 0
    path = audit_path(clean_env)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(path.parent).st_mode & 0o077 == 0
    with path.open("a") as log:
        log.write('{"half a line\n[1, 2]\n')
    assert run_with(["set", str(GROUP), "name=Two", "--yes"]).code == 0
    assert [e["body"]["name"] for e in AuditLog(path).entries()] == ["Two", "One"]


def test_every_file_in_the_state_folder_is_private(on_stub: StubServer, clean_env: Path) -> None:
    # Drafts first (the folder above them was left 0755), then the debug log (was 0644).
    from tui.session.draft import DraftStore
    from tui.session.draft_file import Draft

    store = DraftStore()
    store.save(Draft(on_stub.base_url, GROUP, None, [("name", "x")], "2026-01-01T09:00:00+0000"))
    state = clean_env / "state" / "tgedit"
    assert os.stat(state).st_mode & 0o777 == 0o700
    assert run_with(["--debug", "set", str(GROUP), "name=One", "--yes"]).code == 0
    for path in (state / "debug.log", state / "audit.jsonl"):
        assert os.stat(path).st_mode & 0o777 == 0o600, path
    for folder in (state, state / "drafts"):
        assert os.stat(folder).st_mode & 0o777 == 0o700, folder


def test_server_text_in_the_history_is_shown_not_obeyed(
    on_stub: StubServer, clean_env: Path
) -> None:
    on_stub.faults.put_status = 400
    on_stub.faults.put_errors = [{"code": 1, "message": "bad \x1b[2J\x1b]52;c;eA==\x07 value"}]
    assert run_with(["set", str(GROUP), "name=\x9b31mred", "--yes"]).code == 1
    run = run_with(["history"])
    assert not RAW_CONTROL.search(run.out), repr(run.out)
    assert "error: 1: bad ␛[2J␛]52;c;eA==␇ value" in run.out
    assert "name = \\x9b31mred" in run.out


def test_a_log_that_cannot_be_written_sends_nothing(on_stub: StubServer, clean_env: Path) -> None:
    """Write-ahead: a PUT leaves only once its audit entry is on disk."""
    audit_path(clean_env).mkdir(parents=True)  # a folder where the file should be
    run = run_with(["set", str(GROUP), "name=Not sent", "--yes"])
    assert run.code == 1
    assert "tgedit: nothing was sent: the audit log" in run.err
    assert "could not be written (Is a directory)" in run.err
    assert on_stub.group(GROUP)["name"] != "Not sent"
    assert on_stub.requests("PUT") == []


# --- the editor -----------------------------------------------------------------------------


async def test_the_editor_appends_every_put_it_sent(stub: StubServer, tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    app = make_app(stub, tmp_path, audit=log)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        await edit_field(pilot, "name", "From the editor")
        stub.faults.put_status = 503
        await submit(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), "the error dialog")
        await pilot.press("escape")
        stub.faults.clear()
        session = screen.session
        await submit(pilot)
        await wait_for(pilot, lambda: screen.session is not session, "the reply")
        await settle(pilot)
        # A failure before any PUT (the check for changes on the server) is not a PUT.
        await edit_field(pilot, "description", "Never sent")
        stub.faults.status_for_get = 404
        await submit(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), "the error dialog")
    entries = log.entries()
    assert [(e["outcome"], e["status"]) for e in entries] == [("applied", 200), ("unknown", 503)]
    assert all(e["body"] == {"id": GROUP, "name": "From the editor"} for e in entries)
    assert entries[0]["baseUrl"] == stub.base_url
    assert "may or may not have been applied" in entries[1]["message"]
    assert entries[1]["errors"] == [{"code": 503, "message": "service unavailable"}]


async def test_an_editor_without_an_audit_log_still_submits(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    assert app.audit is None
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        await edit_field(pilot, "name", "No trail")
        await submit(pilot)
        await wait_for(pilot, lambda: stub.group(GROUP)["name"] == "No trail", "the PUT")
        await settle(pilot)
        assert screen.session is not None and not screen.session.has_changes


async def test_the_editor_sends_nothing_when_the_log_cannot_be_written(
    stub: StubServer, tmp_path: Path
) -> None:
    folder = tmp_path / "audit.jsonl"
    folder.mkdir()
    app = make_app(stub, tmp_path, audit=AuditLog(folder))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await loaded(pilot)
        await edit_field(pilot, "name", "Not sent")
        await submit(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), "the error dialog")
        assert "nothing was sent: the audit log" in app.screen.text
        assert "could not be written (Is a directory)" in app.screen.text
    assert stub.requests("PUT") == []


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"id": 1, "name": "n"}, [("name", "n")]),
        (
            {"id": 1, "targets": [{"id": 7, "expression": "e", "expressionJson": "{}"}]},
            [("targets[7].expression", "e"), ("targets[7].expressionJson", "{}")],
        ),
        ("not an object", [("(body)", "not an object")]),
    ],
)
def test_the_fields_a_body_changed(body: Any, fields: list[tuple[str, Any]]) -> None:
    from tui.cli.history_cmd import changed_fields

    assert changed_fields(body) == fields


def test_a_put_whose_answer_never_came_shows_as_maybe_applied(
    on_stub: StubServer, clean_env: Path
) -> None:
    """A process that ended with its PUT on the way leaves the entry written ahead."""
    from tui.session.audit import SentPut

    put = SentPut(on_stub.base_url, GROUP, '{"id": 2762, "name": "Lost"}', "demo")
    AuditLog(audit_path(clean_env)).record_sending(put)
    assert run_with(["set", str(GROUP), "name=After", "--yes"]).code == 0

    blocks = run_with(["history"]).out.split("\n\n")
    assert len(blocks) == 2
    assert f"group {GROUP}  applied (HTTP 200)" in blocks[0]
    assert f"group {GROUP}  outcome unknown: it may have been applied (no answer)" in blocks[1]
    assert "  name = Lost" in blocks[1]
    assert "the change may or may not have been applied" in blocks[1]
    assert f"to see what the server holds now: tgedit show {GROUP}" in blocks[1]


def test_an_entry_after_a_torn_line_starts_a_line_of_its_own(
    on_stub: StubServer, clean_env: Path
) -> None:
    """A kill or a full disk mid-write leaves half a line; the next entry still reads."""
    log = audit_path(clean_env)
    log.parent.mkdir(parents=True)
    log.write_text('{"id": "torn", "groupId": 2762, "outcome": "unk')
    assert run_with(["set", str(GROUP), "name=After a torn line", "--yes"]).code == 0
    (entry,) = json.loads(run_with(["history", "--json"]).out)
    assert entry["body"] == {"id": GROUP, "name": "After a torn line"}
    assert log.read_text().splitlines()[0] == '{"id": "torn", "groupId": 2762, "outcome": "unk'
