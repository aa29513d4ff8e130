"""Crash safety, for real: the editor runs in a process of its own and is killed (SIGKILL)
while it edits and while a submit is on its way. Every change that was made is in the
draft afterwards (written atomically), and opening the group again offers exactly that.

Also: a draft that cannot be read (corrupt, or of another format) is reported and moved
aside, never deleted, by the editor and by ``tgedit show``; and an edit made while a
submit is on its way is refused rather than lost.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_support import editor, loaded, make_app, settle, wait_for, wait_for_toast
from cli_support import (  # noqa: F401 (the fixture clean_env)
    assert_one_clear_line,
    clean_env_fixture,
    run_with,
    stub_env,
)
from fault_support import edit_field, quicker_pilot, submit

from tui.api.auth import BasicAuth
from tui.api.connection import Connection
from tui.app.app import TgEditApp
from tui.app.screens.draft import DraftDialog
from tui.session.audit import AuditLog
from tui.session.draft import DraftStore
from tui.session.remote import GroupService
from tui.stub.server import StubServer

GROUP = 2762
TESTS = Path(__file__).parent
TYPED = "Typed before the crash"
START_LIMIT = 60.0  # seconds for the child to start the editor and make its edit

# The editor, headless, in a process of its own: it loads the group, makes an edit with
# the keys, says so in a file, and then either keeps changing the description (so that
# the kill may land in the middle of writing a draft) or submits and waits.
CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path

    sys.path.insert(0, {tests!r})
    from app_support import loaded, wait_for
    from fault_support import edit_field, submit

    from tui.api.auth import BasicAuth
    from tui.api.connection import Connection, Timeouts
    from tui.app.app import TgEditApp
    from tui.session.draft import DraftStore
    from tui.session.audit import AuditLog
    from tui.session.remote import GroupService

    base_url, state, ready, mode = sys.argv[1:5]


    async def main() -> None:
        connection = Connection(
            base_url=base_url, auth=BasicAuth("demo", "demo"), timeouts=Timeouts(read=120)
        )
        app = TgEditApp(
            service=GroupService(connection),
            drafts=DraftStore(Path(state) / "drafts"),
            group_id={group},
            audit=AuditLog(Path(state) / "audit.jsonl"),
        )
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await loaded(pilot)
            await edit_field(pilot, "name", {typed!r})
            if mode == "submit":
                await submit(pilot)
                await wait_for(pilot, lambda: screen.submitting, "the submit to start")
                Path(ready).write_text("submitting")
                while True:
                    await pilot.pause(0.05)
            Path(ready).write_text("edited")
            count = 0
            while True:
                count += 1
                screen.session.set(("description",), f"burst {{count}}")
                await asyncio.sleep(0)


    asyncio.run(main())
    """
).format(tests=str(TESTS), group=GROUP, typed=TYPED)


@pytest.fixture(autouse=True, scope="module")
def _quicker_pilot() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        quicker_pilot(patch)
        yield


class Child:
    """The editor in a process of its own."""

    def __init__(self, tmp_path: Path, base_url: str, mode: str) -> None:
        self.state = tmp_path / "state"
        self.ready = tmp_path / "ready"
        script = tmp_path / "child.py"
        script.write_text(CHILD)
        self.stderr = tmp_path / "child.err"
        self.process = subprocess.Popen(
            [sys.executable, str(script), base_url, str(self.state), str(self.ready), mode],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr.open("wb"),
        )

    def wait_until(self, condition: Any, what: str, limit: float = START_LIMIT) -> None:
        deadline = time.monotonic() + limit
        while not condition():
            if self.process.poll() is not None:
                raise AssertionError(f"the editor process ended early:\n{self.stderr.read_text()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.01)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait(timeout=10) == -signal.SIGKILL

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def children() -> Iterator[list[Child]]:
    started: list[Child] = []
    yield started
    for child in started:
        child.stop()


def reopened(base_url: str, state: Path) -> TgEditApp:
    return TgEditApp(
        service=GroupService(Connection(base_url=base_url, auth=BasicAuth("demo", "demo"))),
        drafts=DraftStore(state / "drafts"),
        group_id=GROUP,
        audit=AuditLog(state / "audit.jsonl"),
    )


def draft_file_of(state: Path, base_url: str) -> Path:
    """The one draft file of the group (the child editor's)."""
    (path,) = DraftStore(state / "drafts").drafts_of(base_url, GROUP)
    return path


def the_draft(state: Path, base_url: str) -> dict[str, Any]:
    """The draft file, which must be whole JSON: a kill never leaves half a draft."""
    data: dict[str, Any] = json.loads(draft_file_of(state, base_url).read_text())
    return data


async def offered_and_restored(app: TgEditApp, expected: list[tuple[str, Any]]) -> None:
    """Opening the group offers exactly ``expected``; r restores it into the editor."""
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DraftDialog), "the draft offer")
        dialog = app.screen
        assert isinstance(dialog, DraftDialog)
        assert dialog.draft.changes == expected
        await pilot.press("r")
        await settle(pilot)
        session = editor(app).session
        assert session is not None
        assert [(c.path_text, c.after) for c in session.changes()] == expected
        assert TYPED in str(editor(app).group_tree.root.label)


# --- killed while editing -----------------------------------------------------------------------


async def test_killed_while_editing_the_draft_is_whole_and_offered_back(
    stub: StubServer, tmp_path: Path, children: list[Child]
) -> None:
    child = Child(tmp_path, stub.base_url, "edit")
    children.append(child)
    child.wait_until(child.ready.exists, "the edit")
    draft_file = draft_file_of(child.state, stub.base_url)
    first = draft_file.stat().st_mtime_ns
    # Let it write a few more drafts (the description, over and over), then kill it.
    child.wait_until(lambda: draft_file.stat().st_mtime_ns != first, "more drafts")
    child.kill()

    draft = the_draft(child.state, stub.base_url)
    changes = [(c["path"], c["value"]) for c in draft["changes"]]
    assert changes[0] == ("name", TYPED)
    assert len(changes) == 2 and changes[1][0] == "description"
    assert re.fullmatch(r"burst \d+", changes[1][1])
    assert stub.requests("PUT") == [], "nothing was sent"

    await offered_and_restored(reopened(stub.base_url, child.state), changes)


# --- killed while a submit is on its way ------------------------------------------------------


async def test_killed_while_the_put_is_on_its_way_the_draft_stays(
    stub: StubServer, tmp_path: Path, children: list[Child]
) -> None:
    gate = stub.faults.gate
    gate.hold("PUT")  # the PUT is received and held: never answered while the child lives
    child = Child(tmp_path, stub.base_url, "submit")
    children.append(child)
    child.wait_until(lambda: gate.held == 1, "the PUT to reach the server")
    child.kill()

    draft = the_draft(child.state, stub.base_url)
    assert draft["changes"] == [{"path": "name", "value": TYPED}]
    assert stub.group(GROUP)["name"] != TYPED, "not applied (yet)"
    assert [e["outcome"] for e in AuditLog(child.state / "audit.jsonl").entries()] == ["unknown"]

    # The PUT stays held (the gate holds PUTs only); the reopened editor's GETs are answered.
    app = reopened(stub.base_url, child.state)
    await offered_and_restored(app, [("name", TYPED)])


# --- a draft that cannot be read ----------------------------------------------------------------

UNREADABLE = {
    "corrupt": b'{"format": 1, "groupId": 2762, "changes": [{"pa',
    "another format": json.dumps({"format": 99, "groupId": GROUP, "changes": []}).encode(),
    "not UTF-8": b"\xff\xfe\x00{",
}


@pytest.mark.parametrize("kind", list(UNREADABLE))
async def test_the_editor_reports_an_unreadable_draft_and_moves_it_aside(
    stub: StubServer, tmp_path: Path, kind: str
) -> None:
    store = DraftStore(tmp_path / "drafts")
    path = store.path_for(stub.base_url, GROUP)
    path.parent.mkdir(parents=True)
    path.write_bytes(UNREADABLE[kind])
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await loaded(pilot)
        note = await wait_for_toast(pilot, f"the draft for group {GROUP} could not be read")
        assert "nothing was deleted" in note, note
        assert not isinstance(app.screen, DraftDialog)
        (moved,) = path.parent.glob(f"{path.stem}.unreadable-*")
        assert str(moved) in note.replace(" ", ""), note  # a long path wraps in the toast
        assert moved.read_bytes() == UNREADABLE[kind], "moved aside byte for byte"
        assert not path.exists()
        # The editor goes on: an edit writes a fresh draft.
        await edit_field(pilot, "name", "After the bad draft")
        assert store.load(stub.base_url, GROUP) is not None


@pytest.mark.parametrize("kind", list(UNREADABLE))
def test_show_reports_an_unreadable_draft_and_moves_it_aside(
    stub: StubServer, clean_env: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    for name, value in stub_env(stub).items():
        monkeypatch.setenv(name, value)
    store = DraftStore(clean_env / "state" / "tgedit" / "drafts")
    path = store.path_for(stub.base_url, GROUP)
    path.parent.mkdir(parents=True)
    path.write_bytes(UNREADABLE[kind])
    run = run_with(["show", str(GROUP)])
    assert run.code == 0, run.err
    assert run.out.startswith(f"Target group {GROUP}")
    (moved,) = path.parent.glob(f"{path.stem}.unreadable-*")
    warning = run.err.strip()
    assert warning.startswith(f"warning: the draft for group {GROUP} could not be read (")
    assert warning.endswith(f"); it was moved to {moved} and nothing was deleted")
    assert "\n" not in warning
    assert moved.read_bytes() == UNREADABLE[kind]


# --- an edit while the PUT is on its way ---------------------------------------------------------


async def test_an_edit_while_a_submit_is_on_its_way_is_refused_not_lost(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await loaded(pilot)
        await edit_field(pilot, "name", "Sent")
        stub.faults.gate.hold("PUT")  # the PUT is held until the test lets it go
        await submit(pilot)
        await wait_for(pilot, lambda: stub.faults.gate.held == 1, "the PUT to be in flight")
        assert screen.submitting
        await pilot.press("enter")  # try to edit the name again meanwhile
        assert not screen.field_editor.is_open
        await pilot.press("ctrl+z")
        await wait_for_toast(pilot, "wait for the server's answer")
        assert stub.group(GROUP)["name"] != "Sent", "still held"
        stub.faults.gate.release()
        await wait_for(pilot, lambda: not screen.submitting, "the answer", timeout=15)
        await settle(pilot)
        assert stub.group(GROUP)["name"] == "Sent"
        assert screen.session is not None and not screen.session.has_changes
        # What is on screen is what the server has: nothing was silently dropped.
        await edit_field(pilot, "name", "Next")
        assert screen.session.value(("name",)) == "Next"
