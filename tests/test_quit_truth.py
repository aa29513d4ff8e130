"""The quit question tells the truth about where unsent changes are (issue 19, finding 4;
issue 21, item 9): when the draft could not be written it says they are not saved and
offers ``w``; offline on a group file, ``w`` writes the file back and is in the footer."""

from __future__ import annotations

import json
from pathlib import Path

from app_support import editor, go_to, loaded, make_app, screen_text, wait_for, wait_for_text

from tui.app.app import TgEditApp
from tui.app.run import load_group_file
from tui.app.screens.quit import QuitQuestion
from tui.app.screens.write_file import WriteFilePrompt
from tui.session.draft import DraftStore
from tui.session.edit import EditSession
from tui.session.remote import GroupService
from tui.stub import StubServer

FIXTURE = Path(__file__).parent / "fixtures" / "edit-response-2762.json"


async def rename(pilot, new_name: str) -> None:  # type: ignore[no-untyped-def]
    await go_to(pilot, "name")
    await pilot.press("enter")
    await wait_for(pilot, lambda: editor(pilot.app).field_editor.is_open, "the inline editor")
    await pilot.press("ctrl+u", *new_name, "enter")
    await pilot.pause()


async def test_the_quit_question_says_an_unwritten_draft_is_not_saved_and_offers_w(
    stub: StubServer, tmp_path: Path
) -> None:
    (tmp_path / "drafts").write_text("a file where the drafts folder should be")
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot, "Kept nowhere")
        await wait_for_text(pilot, "The draft could not be written")
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitQuestion), "the quit question")
        shown = await wait_for_text(pilot, "Quit without sending?")
        flat = " ".join(shown.split())
        assert "They are NOT saved: the draft could not be written" in flat
        assert "quitting loses them" in flat
        assert "draft file" not in flat  # no promise of a file that is not there
        assert "w write to a file" in flat
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WriteFilePrompt), "the path prompt")
        target = tmp_path / "kept.json"
        await pilot.press("ctrl+u", *str(target), "enter")
        await wait_for_text(pilot, "Wrote group 2762")
        assert app.is_running  # w keeps the editor open: nothing was lost yet
    assert json.loads(target.read_text())["name"] == "Kept nowhere"


async def test_the_error_dialog_does_not_promise_an_unwritten_draft(
    stub: StubServer, tmp_path: Path
) -> None:
    (tmp_path / "drafts").write_text("a file where the drafts folder should be")
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot, "Kept nowhere")
        stub.faults.put_status = 500
        await pilot.press("ctrl+s")
        await wait_for_text(pilot, "Send 1 change?")
        await pilot.press("y")
        shown = " ".join((await wait_for_text(pilot, "Submit of group 2762 failed")).split())
        assert "are kept on screen only: the draft could not be written" in shown
        assert "saved in the draft file" not in shown


async def test_offline_on_a_file_w_is_in_the_footer_and_the_quit_question_writes_it_back(
    tmp_path: Path,
) -> None:
    saved = tmp_path / "2762.json"
    saved.write_bytes(FIXTURE.read_bytes())
    app = TgEditApp(
        service=GroupService(None),
        drafts=DraftStore(tmp_path / "drafts"),
        session=EditSession(load_group_file(saved)),
        file=saved,
    )
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert " w Write " in f" {footer} ", footer
        await rename(pilot, "Written back")
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitQuestion), "the quit question")
        flat = " ".join((await wait_for_text(pilot, "Quit without sending?")).split())
        assert "w writes them back to" in flat
        assert saved.name in flat  # the path (a long one wraps)
        assert "w write to a file" in flat
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WriteFilePrompt), "the path prompt")
        prompt = app.screen
        assert isinstance(prompt, WriteFilePrompt) and prompt.default_path == str(saved)
        await pilot.press("enter")
        await wait_for_text(pilot, "Replace the file?")
        await pilot.press("y")
        await wait_for_text(pilot, "Wrote group 2762")
    assert json.loads(saved.read_text())["name"] == "Written back"
