"""The editor's ``w``: the group with its pending changes, written in the export format,
which ``tgedit edit --file`` opens and ``w`` writes again byte for byte."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_support import loaded, make_app, offline_app, wait_for, wait_for_toast
from cli_support import run_with
from fault_support import edit_field, quicker_pilot
from textual.widgets import Input

from tui.app.screens.write_file import WriteFilePrompt
from tui.session.export import export_text
from tui.stub.server import StubServer


@pytest.fixture(autouse=True, scope="module")
def _quicker_pilot() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        quicker_pilot(patch)
        yield


async def write_with_w(pilot, path: Path) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot.press("w")
    await wait_for(pilot, lambda: isinstance(app.screen, WriteFilePrompt), "the path prompt")
    box = app.screen.query_one("#write-path", Input)
    box.value = str(path)
    await pilot.press("enter")
    await wait_for(pilot, path.exists, f"{path} written")


async def test_w_writes_the_pending_changes_and_round_trips(
    stub: StubServer, tmp_path: Path
) -> None:
    written = tmp_path / "2762.json"
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await edit_field(pilot, "name", "Written, not sent")
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WriteFilePrompt), "the path prompt")
        await pilot.press("escape")  # escape writes nothing
        await wait_for(pilot, lambda: not isinstance(app.screen, WriteFilePrompt), "no prompt")
        await write_with_w(pilot, written)
    assert stub.requests("PUT") == []
    group = json.loads(written.read_text(encoding="utf-8"))
    expected = stub.group(2762)
    expected["name"] = "Written, not sent"
    assert written.read_text(encoding="utf-8") == export_text(expected)
    assert list(group) == list(stub.group(2762))

    # edit --file on it, then w again: the same bytes.
    again = tmp_path / "again.json"
    offline = offline_app(written, tmp_path)
    async with offline.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await write_with_w(pilot, again)
    assert again.read_bytes() == written.read_bytes()


async def test_w_then_apply_sends_the_change(
    stub: StubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = tmp_path / "2762.json"
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await edit_field(pilot, "description", "reviewed later")
        await write_with_w(pilot, written)
    for name, value in {
        "CAP_API_BASE_URL": stub.base_url,
        "CAP_API_USERNAME": "demo",
        "CAP_API_PASSWORD": "demo",
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }.items():
        monkeypatch.setenv(name, value)
    # main() runs its own event loop: give it a thread, away from the test's loop.
    run = await asyncio.to_thread(run_with, ["apply", str(written), "--yes"])
    assert run.code == 0, run.err
    assert [r.json() for r in stub.requests("PUT")] == [
        {"id": 2762, "description": "reviewed later"}
    ]


async def test_a_path_that_cannot_be_written_is_said_and_nothing_breaks(
    stub: StubServer, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WriteFilePrompt), "the path prompt")
        app.screen.query_one("#write-path", Input).value = str(blocker / "x.json")
        await pilot.press("enter")
        await wait_for_toast(pilot, "Could not write")


async def w_onto_a_file_by_hand(pilot, existing: Path) -> str:  # type: ignore[no-untyped-def]
    """w with a pending change, onto ``existing`` (in the current folder): the question's
    screen text."""
    from app_support import wait_for_text

    from tui.app.screens.dialogs import Ask

    app = pilot.app
    await loaded(pilot)
    await edit_field(pilot, "name", "Written over")
    await pilot.press("w")
    await wait_for(pilot, lambda: isinstance(app.screen, WriteFilePrompt), "the path prompt")
    # relative to the test's folder: a long temporary path would wrap the question
    app.screen.query_one("#write-path", Input).value = existing.name
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, Ask), "the question")
    return await wait_for_text(pilot, "writing replaces what it holds")


BY_HAND = '{"edited": "by hand"}\n'


async def test_w_asks_before_replacing_a_file_and_y_replaces_it(
    stub: StubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    existing = tmp_path / "hand.json"
    existing.write_text(BY_HAND, encoding="utf-8")
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        shown = await w_onto_a_file_by_hand(pilot, existing)
        assert "Replace the file?" in shown and "hand.json exists" in shown
        assert existing.read_text(encoding="utf-8") == BY_HAND, "nothing written before y"
        await pilot.press("y")
        await wait_for(pilot, lambda: "Written over" in existing.read_text(), "the file replaced")


@pytest.mark.parametrize("answer", ["n", "escape"])
async def test_w_onto_a_file_keeps_it_unless_told(
    stub: StubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    monkeypatch.chdir(tmp_path)
    from app_support import screen_text

    existing = tmp_path / "hand.json"
    existing.write_text(BY_HAND, encoding="utf-8")
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await w_onto_a_file_by_hand(pilot, existing)
        await pilot.press(answer)
        await wait_for(pilot, lambda: "Nothing written" in screen_text(app), "the notice")
    assert existing.read_text(encoding="utf-8") == BY_HAND


async def test_w_offers_the_file_diff_id_reads(
    stub: StubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``enter`` on the path offered writes where ``export`` writes and ``diff ID`` reads."""
    from app_support import screen_text, wait_for_text
    from cli_support import stub_env

    monkeypatch.chdir(tmp_path)
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await edit_field(pilot, "name", "Written for diff")
        await pilot.press("w")
        await wait_for_text(pilot, "target-groups/2762.json")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Wrote group 2762" in screen_text(app), "the notice")
    for name, value in {**stub_env(stub), "XDG_STATE_HOME": str(tmp_path / "state")}.items():
        monkeypatch.setenv(name, value)
    run = await asyncio.to_thread(run_with, ["diff", "2762"])
    assert run.code == 4, run.err
    assert "name: uatTargetGroup80 → Written for diff" in run.out


async def test_w_offline_offers_the_file_opened(stub: StubServer, tmp_path: Path) -> None:
    from app_support import wait_for_text

    opened = tmp_path / "hand-kept.json"
    opened.write_text(export_text(stub.group(2762)), encoding="utf-8")
    offline = offline_app(opened, tmp_path)
    async with offline.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("w")
        await wait_for_text(pilot, "hand-kept.json")
        await pilot.press("enter")
        await wait_for_text(pilot, "Replace the file?")
