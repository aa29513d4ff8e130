"""The screens people look at, as reproducible scenes: used by the snapshot tests and by
screenshots/make.py, so the README's pictures cannot drift from what is tested."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from app_support import SHOWN_BASE_URL, editor, go_to, loaded, wait_for, wait_for_text
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tui.app.screens.dialogs import ErrorDialog
from tui.app.screens.preview import PreviewScreen
from tui.app.screens.submit import ConfirmSubmit, ConflictDialog
from tui.session.draft import DraftStore
from tui.session.draft_file import Draft
from tui.stub.server import StubServer

Scene = Callable[[Pilot[Any], StubServer], Awaitable[None]]
# What a scene needs before the editor starts (a draft on disk, a held reply, a fault).
Prepare = Callable[[StubServer, DraftStore], None]


async def _still(pilot: Pilot[Any]) -> None:
    """No blinking cursor in a picture, and the picture taken once the screen has stopped
    changing: on a busy machine (two test workers) a last frame (a scrollbar, a cursor
    moved after a refresh) could still be due after a plain pause."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()
    picture = pilot.app.export_screenshot()
    for _ in range(100):  # a screen that never settles fails in the comparison, as before
        await pilot.pause(0.05)
        again = pilot.app.export_screenshot()
        if again == picture:
            return
        picture = again


async def _go(pilot: Pilot[Any], path: str) -> None:
    # Until the cursor is on the path (the tree moves it, and scrolls to it, after a
    # refresh): the cursor is on name from the start, so "on some row" proves nothing.
    await go_to(pilot, path)
    await pilot.pause()


async def main_screen(pilot: Pilot[Any], stub: StubServer) -> None:
    await loaded(pilot)
    await _go(pilot, "name")
    await _still(pilot)


async def inline_edit(pilot: Pilot[Any], stub: StubServer) -> None:
    await loaded(pilot)
    await _go(pilot, "name")
    await pilot.press("enter")
    await wait_for(pilot, lambda: editor(pilot.app).field_editor.is_open, "the inline editor")
    await pilot.press("ctrl+u", *"Spring milestone")
    await _still(pilot)


async def _two_changes(pilot: Pilot[Any]) -> None:
    await loaded(pilot)
    screen = editor(pilot.app)
    assert screen.session is not None
    from tui.expressions import expression_json_for
    from tui.fields.paths import ElementId

    target = ("targets", ElementId(3006))
    rule = "currentTxn.value>500"
    screen.session.set_many(
        [
            (("name",), "Spring milestone"),
            ((*target, "expression"), rule),
            (
                (*target, "expressionJson"),
                expression_json_for(rule, screen.session.value((*target, "expressionJson"))),
            ),
        ]
    )
    await _go(pilot, "targets[3006].expression")
    await pilot.pause()


async def preview(pilot: Pilot[Any], stub: StubServer) -> None:
    await _two_changes(pilot)
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PreviewScreen), "the preview")
    await _still(pilot)


async def confirm(pilot: Pilot[Any], stub: StubServer) -> None:
    await _two_changes(pilot)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmSubmit), "the confirmation")
    await _still(pilot)


async def conflict(pilot: Pilot[Any], stub: StubServer) -> None:
    await _two_changes(pilot)
    stub.faults.concurrent_edit = True
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmSubmit), "the confirmation")
    await pilot.press("y")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConflictDialog), "the conflict")
    await _still(pilot)


async def error(pilot: Pilot[Any], stub: StubServer) -> None:
    await _two_changes(pilot)
    stub.faults.put_status = 400
    stub.faults.put_errors = [
        {"code": 310069, "message": "Target group with the same name already exists"}
    ]
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmSubmit), "the confirmation")
    await pilot.press("y")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ErrorDialog), "the error dialog")
    await _still(pilot)


async def picker(pilot: Pilot[Any], stub: StubServer) -> None:
    from textual.widgets import DataTable

    await wait_for(
        pilot,
        lambda: (
            pilot.app.screen.query(DataTable)
            and pilot.app.screen.query_one(DataTable).row_count > 0
        ),
        "the list",
    )
    await pilot.press(*"23")
    await _still(pilot)


async def find_typed(pilot: Pilot[Any], stub: StubServer) -> None:
    await loaded(pilot)
    await pilot.press("slash", *"targets[3006].expr")
    await wait_for_text(pilot, "targets[3006].expr")
    await _still(pilot)


async def find_match(pilot: Pilot[Any], stub: StubServer) -> None:
    await loaded(pilot)
    await pilot.press("slash", *"Cycle_", "enter")
    await wait_for_text(pilot, "match 1 of 2")
    await _still(pilot)


async def toast(pilot: Pilot[Any], stub: StubServer) -> None:
    await loaded(pilot)
    await _go(pilot, "name")
    await pilot.press("x")
    await wait_for_text(pilot, "Nothing to revert here")
    await _still(pilot)


async def help_screen(pilot: Pilot[Any], stub: StubServer) -> None:
    await loaded(pilot)
    await pilot.press("question_mark")
    await wait_for_text(pilot, "In the tree")
    await _still(pilot)


def _draft(stub: StubServer, drafts: DraftStore) -> None:
    """A draft an editor that ended left (this editor's own is never offered to it)."""
    ended = DraftStore(drafts.directory, editor="0e1d0000")
    ended.save(
        Draft(
            base_url=SHOWN_BASE_URL,
            group_id=2762,
            last_updated_on=stub.group(2762)["attribution"]["lastUpdatedOn"],
            changes=[("name", "Spring milestone"), ("preferredTillId", 75155298)],
            saved_at="2026-01-01T09:00:00+0000",
        )
    )
    ended.close()


def _draft_then_someone_edits(stub: StubServer, drafts: DraftStore) -> None:
    _draft(stub, drafts)
    stub.edit_as_someone_else(2762, description="changed by a colleague")


async def draft_offer(pilot: Pilot[Any], stub: StubServer) -> None:
    await wait_for_text(pilot, "A draft was found")
    await _still(pilot)


async def multi_line_error(pilot: Pilot[Any], stub: StubServer) -> None:
    from tui.app.screens.text_edit import TextEditScreen

    await loaded(pilot)
    await _go(pilot, "targets[3006].expressionJson")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TextEditScreen), "the editor")
    await pilot.press("end", *",oops")
    await wait_for_text(pilot, "✗")
    await _still(pilot)


def _hold_the_group(stub: StubServer, drafts: DraftStore) -> None:
    stub.faults.gate.hold("GET")


async def loading(pilot: Pilot[Any], stub: StubServer) -> None:
    await wait_for(pilot, lambda: stub.faults.gate.held == 1, "the GET at the gate")
    await wait_for_text(pilot, "Fetching group 2762…")
    await _still(pilot)


def _not_found(stub: StubServer, drafts: DraftStore) -> None:
    stub.faults.status_for_get = 404


async def load_failure(pilot: Pilot[Any], stub: StubServer) -> None:
    await wait_for_text(pilot, "Could not fetch group 2762")
    await _still(pilot)


async def not_loaded(pilot: Pilot[Any], stub: StubServer) -> None:
    await wait_for_text(pilot, "Could not fetch group 2762")
    await pilot.press("escape")
    await wait_for_text(pilot, "Group 2762 is not loaded. r retries, q quits.")
    await _still(pilot)


async def quit_question(pilot: Pilot[Any], stub: StubServer) -> None:
    await _two_changes(pilot)
    await pilot.press("q")
    await wait_for_text(pilot, "Quit without sending?")
    await _still(pilot)


def _no_drafts_folder(stub: StubServer, drafts: DraftStore) -> None:
    """A file where the drafts folder should be: no draft can be written."""
    drafts.directory.parent.mkdir(parents=True, exist_ok=True)
    drafts.directory.write_text("not a folder")


async def quit_unsaved(pilot: Pilot[Any], stub: StubServer) -> None:
    await _two_changes(pilot)  # its find then replaces the status line's "could not be written"
    await pilot.press("q")
    await wait_for_text(pilot, "They are NOT saved")
    await _still(pilot)


async def regenerate_question(pilot: Pilot[Any], stub: StubServer) -> None:
    await loaded(pilot)
    await _go(pilot, "targets[3006].expression")
    await pilot.press("enter")
    await wait_for(pilot, lambda: editor(pilot.app).field_editor.is_open, "the inline editor")
    await pilot.press("ctrl+u", *"currentTxn.value>500", "enter")
    await wait_for_text(pilot, "Regenerate expressionJson too?")
    await _still(pilot)


def _long_name(stub: StubServer, drafts: DraftStore) -> None:
    stub.edit_as_someone_else(
        2762, name="Spring double-points milestone for premium members in every store 2026"
    )


async def long_name(pilot: Pilot[Any], stub: StubServer) -> None:
    await loaded(pilot)
    await _go(pilot, "name")
    await pilot.press("enter")
    await wait_for(pilot, lambda: editor(pilot.app).field_editor.is_open, "the inline editor")
    await pilot.press("end", *"!", "enter")
    await wait_for_text(pilot, "● 1 change")
    await _still(pilot)


async def preview_full(pilot: Pilot[Any], stub: StubServer) -> None:
    await _two_changes(pilot)
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PreviewScreen), "the preview")
    await pilot.press("m")
    await wait_for_text(pilot, "Body mode full")
    await _still(pilot)


async def inline_help(pilot: Pilot[Any], stub: StubServer) -> None:
    await loaded(pilot)
    await _go(pilot, "name")
    await pilot.press("enter")
    await wait_for(pilot, lambda: editor(pilot.app).field_editor.is_open, "the inline editor")
    await pilot.press("f1")
    await wait_for_text(pilot, "In the inline editor")
    await _still(pilot)


async def back_to_list(pilot: Pilot[Any], stub: StubServer) -> None:
    await wait_for_text(pilot, "4 of 4 target groups")
    await pilot.press(*"2762", "enter")
    await _two_changes(pilot)
    await pilot.press("escape")
    await wait_for_text(pilot, "Back to the list without sending?")
    await _still(pilot)


SCENES: dict[str, tuple[Scene, int | None]] = {
    "main": (main_screen, 2762),
    "inline-edit": (inline_edit, 2762),
    "preview": (preview, 2762),
    "confirm": (confirm, 2762),
    "conflict": (conflict, 2762),
    "error": (error, 2762),
    "picker": (picker, None),
    "find-typed": (find_typed, 2762),
    "find-match": (find_match, 2762),
    "toast": (toast, 2762),
    "help": (help_screen, 2762),
    "draft": (draft_offer, 2762),
    "draft-server-moved": (draft_offer, 2762),
    "multi-line-error": (multi_line_error, 2762),
    "loading": (loading, 2762),
    "load-failure": (load_failure, 2762),
    "not-loaded": (not_loaded, 2762),
    "quit": (quit_question, 2762),
    "quit-unsaved": (quit_unsaved, 2762),
    "regenerate": (regenerate_question, 2762),
    "long-name": (long_name, 2762),
    "preview-full": (preview_full, 2762),
    "inline-help": (inline_help, 2762),
    "back-to-list": (back_to_list, None),
}

PREPARE: dict[str, Prepare] = {
    "draft": _draft,
    "draft-server-moved": _draft_then_someone_edits,
    "loading": _hold_the_group,
    "load-failure": _not_found,
    "not-loaded": _not_found,
    "long-name": _long_name,
    "quit-unsaved": _no_drafts_folder,
}
