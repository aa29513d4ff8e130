"""tui.session.submit: the one submit of the editor, set, apply and revert, against the
stand-in over real HTTP: the re-check, the PUT, its audit entry, the draft's removal."""

from __future__ import annotations

import asyncio
import errno
import os
import threading
from collections.abc import Callable
from pathlib import Path

from pytest import MonkeyPatch

from tui.api.auth import OAuthClientAuth
from tui.api.connection import Connection
from tui.session.audit import AuditLog
from tui.session.draft import DraftStore
from tui.session.draft_file import draft_of
from tui.session.edit import EditSession
from tui.session.remote import GroupService
from tui.session.submit import DraftPlace, NotRecorded, Submitted, submit
from tui.stub.server import StubServer


def _submit(
    connection: Connection,
    audit: AuditLog | None,
    *,
    recheck: bool = True,
    draft: Callable[[EditSession], DraftPlace] | None = None,
    meanwhile: Callable[[], object] = lambda: None,
) -> Submitted:
    """Fetch 2762, rename it, let ``meanwhile`` happen on the server, then submit."""

    async def run() -> Submitted:
        service = GroupService(connection)
        try:
            session = EditSession((await service.fetch(2762)).group)
            session.set("name", "Renamed")
            meanwhile()
            place = draft(session) if draft is not None else None
            return await submit(
                service, session, "minimal", audit=audit, recheck=recheck, draft=place
            )
        finally:
            await service.aclose()

    return asyncio.run(run())


def test_a_submit_sends_the_put_writes_its_audit_entry_and_removes_the_draft(
    stub: StubServer, stub_connection: Connection, tmp_path: Path
) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    drafts = DraftStore(tmp_path / "drafts")

    saved_at: list[Path] = []

    def saved(session: EditSession) -> DraftPlace:
        saved_at.append(drafts.save(draft_of(session, stub.base_url)))
        return DraftPlace(drafts, stub.base_url)

    submitted = _submit(stub_connection, audit, draft=saved)
    assert saved_at, "the draft was never written"
    assert submitted.result is not None
    assert submitted.result.group["name"] == "Renamed"
    assert [c.path_text for c in submitted.changes] == ["name"]
    assert (submitted.conflict, submitted.error, submitted.audit_gap) == (None, None, None)
    (entry,) = audit.entries()
    assert entry["outcome"] == "applied"
    assert entry["changes"] == [{"path": "name", "before": "uatTargetGroup80", "after": "Renamed"}]
    assert not drafts.path_for(stub.base_url, 2762).exists()


def test_a_group_changed_on_the_server_is_a_conflict_and_nothing_is_sent(
    stub: StubServer, stub_connection: Connection, tmp_path: Path
) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    meanwhile = lambda: stub.edit_as_someone_else(2762, description="theirs")  # noqa: E731
    submitted = _submit(stub_connection, audit, meanwhile=meanwhile)
    assert submitted.conflict is not None
    assert [c.path_text for c in submitted.conflict.server_changes] == ["description"]
    assert submitted.result is None
    assert stub.requests("PUT") == []
    assert audit.entries() == []
    assert stub.group(2762)["name"] == "uatTargetGroup80"


def test_an_overwrite_skips_the_recheck_and_sends(
    stub: StubServer, stub_connection: Connection, tmp_path: Path
) -> None:
    meanwhile = lambda: stub.edit_as_someone_else(2762, description="theirs")  # noqa: E731
    submitted = _submit(
        stub_connection, AuditLog(tmp_path / "a.jsonl"), recheck=False, meanwhile=meanwhile
    )
    assert submitted.conflict is None
    assert stub.group(2762)["name"] == "Renamed"


def test_a_failed_put_is_returned_after_its_audit_entry(
    stub: StubServer, stub_connection: Connection, tmp_path: Path
) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    stub.faults.put_status = 500
    submitted = _submit(stub_connection, audit)
    assert submitted.result is None
    assert "500" in str(submitted.error)
    (entry,) = audit.entries()
    assert (entry["status"], entry["outcome"]) == (500, "unknown")


def test_no_put_leaves_when_its_audit_entry_cannot_be_written(
    stub: StubServer, stub_connection: Connection, tmp_path: Path
) -> None:
    (tmp_path / "audit.jsonl").mkdir()  # a folder where the file should be
    submitted = _submit(stub_connection, AuditLog(tmp_path / "audit.jsonl"))
    assert submitted.result is None
    assert isinstance(submitted.error, NotRecorded)
    assert str(submitted.error).startswith("nothing was sent: the audit log ")
    assert stub.requests("PUT") == []


def test_an_entry_that_cannot_be_settled_is_a_gap_and_stays_unknown(
    stub: StubServer, stub_connection: Connection, tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    """The disk fills between the write-ahead entry and the answer: the PUT was taken,
    the gap is returned, the log keeps the entry 'unknown' and no torn line."""
    import tui.session.audit as audit_module

    audit = AuditLog(tmp_path / "audit.jsonl")
    writes: list[int] = []

    def full_after_the_first(fd: int, data: bytes) -> int:
        writes.append(len(data))
        if len(writes) == 1:
            return os.write(fd, data)
        if len(writes) == 2:
            return os.write(fd, data[:10])  # a short write, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(audit_module, "_write", full_after_the_first)
    submitted = _submit(stub_connection, audit)
    assert submitted.result is not None
    assert submitted.audit_gap is not None
    assert "stays 'outcome unknown'" in submitted.audit_gap.text
    assert stub.group(2762)["name"] == "Renamed"
    assert [e["outcome"] for e in audit.entries()] == ["unknown"]
    assert audit.unreadable_lines == 0
    assert audit.path.read_bytes().endswith(b"\n")


def test_the_audit_entry_is_on_disk_before_the_put_is_answered(
    stub: StubServer, stub_connection: Connection, tmp_path: Path
) -> None:
    """Write-ahead: a process killed while its PUT is on its way leaves an entry that
    says the outcome is unknown; the answer settles that entry, it adds none."""
    audit = AuditLog(tmp_path / "audit.jsonl")
    stub.faults.gate.hold("PUT")
    while_held: list[list[dict[str, object]]] = []

    def read_log_then_answer() -> None:
        assert stub.faults.gate.wait_until_held(), "the PUT never reached the stand-in"
        while_held.append(audit.entries())
        stub.faults.gate.release()

    reader = threading.Thread(target=read_log_then_answer)
    reader.start()
    submitted = _submit(stub_connection, audit)
    reader.join()
    (entry,) = while_held[0]
    assert (entry["outcome"], entry["status"]) == ("unknown", None)
    assert "may or may not have been applied" in str(entry["message"])
    assert entry["body"] == {"id": 2762, "name": "Renamed"}
    assert submitted.result is not None
    (settled,) = audit.entries()
    assert (settled["id"], settled["outcome"], settled["status"]) == (entry["id"], "applied", 200)
    assert "message" not in settled


def test_an_overwrite_whose_token_call_fails_sends_and_writes_nothing(
    stub: StubServer, stub_connection: Connection, tmp_path: Path
) -> None:
    """The token call fails: an overwrite, which fetches the group first (its audit entry
    says what it replaces), stops there: no PUT, no entry."""
    audit = AuditLog(tmp_path / "audit.jsonl")

    async def run() -> Submitted:
        reader = GroupService(stub_connection)
        session = EditSession((await reader.fetch(2762)).group)
        await reader.aclose()
        session.set("name", "Renamed")
        refused = Connection(
            base_url=stub.base_url, auth=OAuthClientAuth("demo-key", "not-the-secret")
        )
        service = GroupService(refused)
        try:
            return await submit(service, session, "minimal", audit=audit, recheck=False)
        finally:
            await service.aclose()

    submitted = asyncio.run(run())
    assert "Invalid key is passed" in str(submitted.error)
    assert stub.requests("PUT") == []
    assert audit.entries() == []
    assert not audit.path.exists()
