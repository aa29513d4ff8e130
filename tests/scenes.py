"""The screens people look at, as reproducible scenes: used by the snapshot tests and by
screenshots/make.py, so the README's pictures cannot drift from what is tested."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from app_support import editor, loaded, wait_for
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tui.app.screens.dialogs import ErrorDialog
from tui.app.screens.preview import PreviewScreen
from tui.app.screens.submit import ConfirmSubmit, ConflictDialog
from tui.stub import StubServer

Scene = Callable[[Pilot[Any], StubServer], Awaitable[None]]


async def _still(pilot: Pilot[Any]) -> None:
    """No blinking cursor in a picture."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()


async def _go(pilot: Pilot[Any], path: str) -> None:
    await pilot.press("slash", *path, "enter")
    await wait_for(
        pilot, lambda: editor(pilot.app).group_tree.cursor_path is not None, "the cursor"
    )
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
    from tui.fields import ElementId

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


SCENES: dict[str, tuple[Scene, int | None]] = {
    "main": (main_screen, 2762),
    "inline-edit": (inline_edit, 2762),
    "preview": (preview, 2762),
    "confirm": (confirm, 2762),
    "conflict": (conflict, 2762),
    "error": (error, 2762),
    "picker": (picker, None),
}
