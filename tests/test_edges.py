"""Nothing lost at the edges (issue 19): a full disk, a torn audit line, two processes
sending to one group at once. Through the commands, against the stand-in over HTTP,
read as a person meets them: exit codes, stderr, the files in the state folder."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_support import (  # noqa: F401 (the fixtures clean_env and on_stub)
    Run,
    clean_env_fixture,
    on_stub_fixture,
    run_with,
)

import tui.session.audit as audit_module
from tui.session.audit import AuditLog
from tui.stub.server import StubServer

GROUP = 2762


def audit_file(clean_env: Path) -> Path:
    return clean_env / "state" / "tgedit" / "audit.jsonl"


def entries(clean_env: Path) -> list[dict[str, Any]]:
    return AuditLog(audit_file(clean_env)).entries()


def in_thread(argv: list[str]) -> tuple[threading.Thread, list[Run], Callable[[], str]]:
    """``tgedit argv`` in a thread of its own; its result, and its stderr so far."""
    import io

    from tui.cli.common import Io
    from tui.cli.main import main

    stderr = io.StringIO()
    done: list[Run] = []

    def run() -> None:
        out = io.StringIO()
        code = main(argv, Io(stdout=out, stderr=stderr, stdin=io.StringIO(), env=dict(os.environ)))
        done.append(Run(code, out.getvalue(), stderr.getvalue()))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, done, stderr.getvalue


def wait_until(condition: Callable[[], bool], what: str, limit: float = 20.0) -> None:
    """Until ``condition`` holds (a bound on a hang, not a timing assertion)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


# --- finding 5: two apply runs at once ---------------------------------------------------


def _exported(clean_env: Path, name: str) -> Path:
    path = clean_env / f"{name}.json"
    run = run_with(["export", str(GROUP), "--out", str(path)])
    assert run.code == 0, run.err
    group = json.loads(path.read_text(encoding="utf-8"))
    group["name"] = name
    path.write_text(json.dumps(group, indent=2) + "\n", encoding="utf-8")
    return path


def test_a_second_apply_waits_its_turn_then_finds_the_first_ones_change(
    on_stub: StubServer, clean_env: Path
) -> None:
    alpha, beta = _exported(clean_env, "Alpha"), _exported(clean_env, "Beta")
    original = on_stub.group(GROUP)["name"]
    on_stub.faults.gate.hold("PUT")
    first, first_done, _ = in_thread(["apply", str(alpha), "--yes"])
    assert on_stub.faults.gate.wait_until_held(1)  # Alpha's PUT is in flight
    second, second_done, second_err = in_thread(["apply", str(beta), "--yes"])
    wait_until(lambda: "Waiting for another tgedit process" in second_err(), "the waiting note")
    assert on_stub.faults.gate.arrived == 1  # Beta sent nothing while it waited
    on_stub.faults.gate.release()
    first.join(20)
    second.join(20)
    assert first_done[0].code == 0, first_done[0].err
    (run,) = second_done
    assert run.code == 3, run.err
    assert f"target group {GROUP} changed on the server since" in run.err
    assert "Waiting for another tgedit process that is sending to group 2762…" in run.err
    assert on_stub.group(GROUP)["name"] == "Alpha"
    assert [(e["outcome"], e["changes"][0]["before"]) for e in entries(clean_env)] == [
        ("applied", original)
    ]


def test_an_overwrite_after_the_wait_records_what_it_replaced(
    on_stub: StubServer, clean_env: Path
) -> None:
    """Finding 5: B's audit 'before' was the original name, not Alpha, which B replaced:
    a revert of B would have put back a value nobody saw."""
    alpha, beta = _exported(clean_env, "Alpha"), _exported(clean_env, "Beta")
    on_stub.faults.gate.hold("PUT")
    first, first_done, _ = in_thread(["apply", str(alpha), "--yes"])
    assert on_stub.faults.gate.wait_until_held(1)
    second, second_done, second_err = in_thread(["apply", str(beta), "--yes", "--overwrite"])
    wait_until(lambda: "Waiting for another tgedit process" in second_err(), "the waiting note")
    on_stub.faults.gate.release()
    first.join(20)
    second.join(20)
    assert (first_done[0].code, second_done[0].code) == (0, 0), second_done[0].err
    assert on_stub.group(GROUP)["name"] == "Beta"
    newest, older = entries(clean_env)
    assert newest["changes"] == [{"path": "name", "before": "Alpha", "after": "Beta"}]
    assert older["changes"] == [{"path": "name", "before": "uatTargetGroup80", "after": "Alpha"}]


def test_a_set_after_the_wait_records_what_it_replaced(
    on_stub: StubServer, clean_env: Path
) -> None:
    """The second sender's audit 'before' is the first one's value, not a stale one."""
    on_stub.faults.gate.hold("PUT")
    first, first_done, _ = in_thread(["set", str(GROUP), "description=First", "--yes"])
    assert on_stub.faults.gate.wait_until_held(1)
    second, second_done, second_err = in_thread(["set", str(GROUP), "name=Second", "--yes"])
    wait_until(lambda: "Waiting for another tgedit process" in second_err(), "the waiting note")
    on_stub.faults.gate.release()
    first.join(20)
    second.join(20)
    assert first_done[0].code == 0 and second_done[0].code == 3  # set re-fetches: run again
    again = run_with(["set", str(GROUP), "name=Second", "--yes"])
    assert again.code == 0, again.err
    newest = entries(clean_env)[0]
    assert newest["changes"] == [{"path": "name", "before": "uatTargetGroup80", "after": "Second"}]
    assert on_stub.group(GROUP)["description"] == "First"


def test_a_lock_held_longer_than_the_timeout_is_one_sentence_and_sends_nothing(
    on_stub: StubServer, clean_env: Path
) -> None:
    from tui.session.lock import lock_path, try_lock

    path = lock_path(clean_env / "state" / "tgedit", on_stub.base_url, GROUP)
    path.parent.mkdir(parents=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        assert try_lock(fd)  # another process's lock, as far as tgedit can tell
        run = run_with(["set", str(GROUP), "name=Late", "--yes", "--timeout", "0.2"])
    finally:
        os.close(fd)
    assert run.code == 1
    assert "tgedit: another tgedit process has been sending to group 2762 for 0.2 s" in run.err
    assert "nothing was sent" in run.err
    assert on_stub.requests("PUT") == []


# --- finding 2: a full disk --------------------------------------------------------------


def test_a_full_disk_before_the_put_sends_nothing_and_says_so(
    on_stub: StubServer, clean_env: Path
) -> None:
    """/dev/full: every write is ENOSPC, as on a full disk."""
    log = audit_file(clean_env)
    log.parent.mkdir(parents=True)
    log.symlink_to("/dev/full")
    run = run_with(["set", str(GROUP), "name=GzPut", "--yes"])
    assert run.code == 1
    assert "tgedit: nothing was sent: the audit log" in run.err
    assert "(No space left on device)" in run.err
    assert on_stub.requests("PUT") == []


def test_a_disk_that_fills_during_the_put_is_said_and_the_log_stays_whole(
    on_stub: StubServer, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 2: a short write left 208 bytes, the next entry glued on, history blind."""
    calls: list[int] = []

    def fills_after_the_write_ahead(fd: int, data: bytes) -> int:
        calls.append(len(data))
        if len(calls) == 1:
            return os.write(fd, data)
        if len(calls) == 2:
            return os.write(fd, data[:208])  # the short write of a full disk
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(audit_module, "_write", fills_after_the_write_ahead)
    first = run_with(["set", "2310", "name=One", "--yes"])
    assert first.code == 0  # the server took it: exit 0, and the gap said
    assert "warning: the audit log" in first.err
    assert "(No space left on device): the PUT's entry stays 'outcome unknown'" in first.err
    monkeypatch.setattr(audit_module, "_write", os.write)  # space again
    assert run_with(["set", "2310", "name=Two", "--yes"]).code == 0
    assert all(line.startswith("{") for line in audit_file(clean_env).read_text().splitlines())
    history = run_with(["history", "2310"])
    assert history.code == 0
    assert history.err == ""
    heads = [
        line for line in history.out.splitlines() if line.startswith(("l", *"0123456789abcdef"))
    ]
    assert len([h for h in heads if "group 2310" in h]) == 2
    assert "outcome unknown: it may have been applied" in history.out
    assert "name = Two" in history.out and "name = One" in history.out


def test_history_reads_a_log_with_a_torn_line_and_warns(
    on_stub: StubServer, clean_env: Path
) -> None:
    assert run_with(["set", "2310", "name=Before the tear", "--yes"]).code == 0
    log = audit_file(clean_env)
    with log.open("ab") as handle:  # a kill mid-line of an older tgedit
        handle.write(b'{"id": "torn", "time": "2026-01-0')
    assert run_with(["set", "2310", "name=After the tear", "--yes"]).code == 0
    history = run_with(["history", "2310"])
    assert history.code == 0
    assert "name = Before the tear" in history.out
    assert "name = After the tear" in history.out
    assert "warning: 1 line(s) of the audit log" in history.err
    assert "could not be read (cut short by a full disk or a kill) and are left out" in history.err


def test_a_refusals_extra_keys_are_kept_in_the_audit_entry(
    on_stub: StubServer, clean_env: Path
) -> None:
    on_stub.faults.put_status = 400
    on_stub.faults.put_errors = [{"code": 300004, "message": "bad name", "field": "name"}]
    assert run_with(["set", str(GROUP), "name=Refused", "--yes"]).code == 1
    (entry,) = entries(clean_env)
    assert entry["outcome"] == "refused"
    assert entry["errors"] == [{"code": 300004, "message": "bad name", "field": "name"}]


async def test_the_editor_says_it_waits_for_a_cli_sending_to_the_group(
    on_stub: StubServer, clean_env: Path
) -> None:
    """The editor's submit takes its turn after a ``set`` in flight, saying so on screen,
    then finds that ``set``'s change (nothing of the editor was sent over it)."""
    from app_support import loaded, make_app, wait_for_text
    from fault_support import edit_field, submit

    from tui.app.screens.submit import ConflictDialog

    app = make_app(on_stub, clean_env, audit=AuditLog())  # the state folder of the CLI
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await edit_field(pilot, "name", "From the editor")
        on_stub.faults.gate.hold("PUT")
        cli, cli_done, _ = in_thread(["set", str(GROUP), "description=From the CLI", "--yes"])
        assert on_stub.faults.gate.wait_until_held(1)
        await submit(pilot)
        await wait_for_text(pilot, "Waiting for another tgedit process that is sending to group")
        assert on_stub.faults.gate.arrived == 1  # the editor sent nothing meanwhile
        on_stub.faults.gate.release()
        cli.join(20)
        await wait_for_text(pilot, "changed on the server")
        assert isinstance(app.screen, ConflictDialog)
    assert cli_done[0].code == 0
    assert len(on_stub.requests("PUT")) == 1
