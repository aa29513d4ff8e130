"""The editor driven with the Pilot against the stand-in API over real HTTP on 127.0.0.1."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from app_support import (
    editor,
    go_to,
    loaded,
    make_app,
    screen_text,
    settle,
    wait_for,
    wait_for_text,
)

from tui.app.screens.dialogs import Ask, ErrorDialog
from tui.app.screens.draft import DraftDialog
from tui.app.screens.preview import PreviewScreen
from tui.app.screens.submit import ConfirmSubmit, ConflictDialog
from tui.app.screens.text_edit import TextEditScreen
from tui.fields import ElementId
from tui.stub import StubServer, sample_groups

NAME = ("name",)
EXPRESSION = ("targets", ElementId(3006), "expression")
EXPRESSION_JSON = ("targets", ElementId(3006), "expressionJson")


def puts(stub: StubServer) -> list[bytes]:
    return [r.body for r in stub.received if r.method == "PUT"]


async def confirm_submit(pilot) -> None:  # type: ignore[no-untyped-def]
    """ctrl+s, wait for the confirmation that names the URL and the changes, then y."""
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmSubmit), "the confirmation")
    await pilot.press("y")


async def rename(pilot, new_name: str) -> None:  # type: ignore[no-untyped-def]
    """As a person would: / name enter, enter, clear, type, enter."""
    await go_to(pilot, "name")
    await pilot.press("enter")
    await wait_for(pilot, lambda: editor(pilot.app).field_editor.is_open, "the inline editor")
    await pilot.press("ctrl+u")
    await pilot.press(*new_name)
    await pilot.press("enter")
    await pilot.pause()


async def test_edit_preview_submit_sends_exactly_the_previewed_body(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await rename(pilot, "Renamed")
        assert screen.session is not None
        assert screen.session.value(NAME) == "Renamed"
        assert "Renamed" in str(screen.group_tree.root.label)

        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen), "the preview")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        assert preview.query_one("#preview-body").text == '{"id": 2762, "name": "Renamed"}'
        curl = preview.query_one("#preview-curl").text
        assert "editTargetGroup/2762" in curl and "demo" not in curl.split("Basic")[-1][:40]
        await pilot.press("escape")

        draft_file = app.drafts.path_for(stub.base_url, 2762)
        assert draft_file.exists(), "the change reached the draft at once"

        await confirm_submit(pilot)
        await wait_for(pilot, lambda: puts(stub), "the PUT")
        await settle(pilot)
        await wait_for(
            pilot, lambda: not screen.submitting and not screen.session.has_changes, "the reply"
        )

        assert puts(stub) == [b'{"id": 2762, "name": "Renamed"}']
        put = next(r for r in stub.received if r.method == "PUT")
        assert (
            put.headers["Authorization"]
            == "Basic ZGVtbzpmZTAxY2UyYTdmYmFjOGZhZmFlZDdjOTgyYTA0ZTIyOQ=="
        )
        assert stub.group(2762)["name"] == "Renamed"
        assert screen.session.original["name"] == "Renamed", "the tree shows the server's reply"
        assert screen.session.last_updated_on == stub.group(2762)["attribution"]["lastUpdatedOn"]
        assert not draft_file.exists(), "a successful submit removes the draft"


async def test_a_broken_rule_is_refused_while_typing(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await rename(pilot, "")
        assert screen.field_editor.is_open, "enter on a blank name does not commit"
        await wait_for_text(pilot, "✗ Name must not be blank")
        await pilot.press(*("x" * 201))
        await wait_for_text(pilot, "at most 200 characters")
        await pilot.press("escape")
        assert not screen.field_editor.is_open
        assert screen.session is not None and not screen.session.has_changes


async def test_a_read_only_field_refuses_with_the_reason(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await go_to(pilot, "orgId")
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.field_editor.is_open
        notes = [str(n.message) for n in app._notifications]
        assert any("orgId is read-only" in n and "response-only" in n for n in notes), notes
        assert screen.session is not None and not screen.session.has_changes


async def test_undo_redo_and_revert(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await rename(pilot, "First")
        session = screen.session
        assert session is not None and session.value(NAME) == "First"
        await pilot.press("ctrl+z")
        assert session.value(NAME) == "uatTargetGroup80" and not session.has_changes
        await pilot.press("ctrl+y")
        assert session.value(NAME) == "First"
        await wait_for(
            pilot, lambda: screen.group_tree.cursor_path == NAME, "the cursor back on name"
        )
        await pilot.press("x")
        assert not session.has_changes
        assert not app.drafts.path_for(stub.base_url, 2762).exists()


async def test_conflict_offers_reload_and_reapply(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await rename(pilot, "Mine")
        stub.faults.concurrent_edit = True  # someone else edits the description meanwhile
        await confirm_submit(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog), "the conflict dialog")
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert [c.path_text for c in dialog.report.server_changes] == ["description"]
        assert dialog.report.clashes == []
        assert puts(stub) == [], "nothing is sent while the conflict is open"

        await pilot.press("r")
        await pilot.pause()
        session = screen.session
        assert session is not None
        assert session.value(NAME) == "Mine", "the edit is reapplied"
        assert session.original["description"] == stub.group(2762)["description"], (
            "over the newer group"
        )

        await confirm_submit(pilot)
        await wait_for(pilot, lambda: puts(stub), "the PUT")
        await settle(pilot)
        assert puts(stub) == [b'{"id": 2762, "name": "Mine"}']


async def test_conflict_cancel_keeps_edits_and_sends_nothing(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await rename(pilot, "Mine")
        stub.faults.concurrent_edit = True
        await confirm_submit(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog), "the conflict dialog")
        await pilot.press("escape")
        await pilot.pause()
        assert puts(stub) == []
        assert screen.session is not None and screen.session.value(NAME) == "Mine"


@pytest.mark.parametrize(
    ("fault", "value", "expected"),
    [
        ("put_status", 500, "500"),
        ("html_error", True, "502"),
    ],
)
async def test_a_server_error_shows_a_dialog_and_keeps_every_edit(
    stub: StubServer, tmp_path: Path, fault: str, value: object, expected: str
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await rename(pilot, "Kept")
        setattr(stub.faults, fault, value)
        await confirm_submit(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), "the error dialog")
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        shown = dialog.text
        assert expected in shown
        assert "Traceback" not in shown
        assert "kept" in shown
        await pilot.press("escape")
        assert screen.session is not None and screen.session.value(NAME) == "Kept"
        draft = json.loads(app.drafts.path_for(stub.base_url, 2762).read_text())
        assert draft["changes"] == [{"path": "name", "value": "Kept"}]
        assert not screen.submitting, "the editor is usable again"


async def test_second_submit_while_one_is_in_flight_does_nothing(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await rename(pilot, "Once")
        stub.faults.delay = 0.5
        await confirm_submit(pilot)
        await wait_for(pilot, lambda: screen.submitting, "the submit to start")
        await pilot.press("ctrl+s")
        await pilot.press("s")
        assert not isinstance(app.screen, ConfirmSubmit), "no second confirmation while sending"
        await wait_for(pilot, lambda: not screen.submitting, "the submit to end")
        await settle(pilot)
        assert len(puts(stub)) == 1


async def test_editing_the_expression_regenerates_expression_json_in_one_step(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await go_to(pilot, "targets[3006].expression")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.field_editor.is_open, "the inline editor")
        await pilot.press("ctrl+u", *"currentTxn.value>500", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask), "the regenerate question")
        await pilot.press("enter")
        await pilot.pause()
        session = screen.session
        assert session is not None
        body = json.loads(session.body_text())
        target = body["targets"][0]
        assert target["expression"] == "currentTxn.value>500"
        tree = json.loads(target["expressionJson"])
        assert tree["arity"] == "binary_operation" and tree["value"] == ">"
        assert tree["operands"][1] == {
            "arity": "literal",
            "value": "500",
            "type": "number:primitive",
        }
        await pilot.press("ctrl+z")
        assert not session.has_changes, "both fields were one undo step"


async def test_expression_json_opens_the_multi_line_editor_with_parse_errors(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await go_to(pilot, "targets[3006].expressionJson")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TextEditScreen), "the multi-line editor"
        )
        editor_screen = app.screen
        assert isinstance(editor_screen, TextEditScreen)
        editor_screen.area.load_text('{"arity": "literal",\n "value": }')
        await pilot.pause()
        assert editor_screen.problem is not None and "line 2, column" in editor_screen.problem
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, TextEditScreen), "an invalid value is not applied"
        editor_screen.area.load_text(
            '{"arity": "literal", "value": "false", "type": "boolean:primitive"}'
        )
        await pilot.pause()
        status = str(editor_screen.query_one("#text-edit-status").render())
        assert "means: false" in status
        assert "disagrees with the expression 'true'" in status
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.session is not None
        assert json.loads(screen.session.value(EXPRESSION_JSON))["value"] == "false"


async def test_a_read_only_branch_cannot_be_edited_and_find_cycles_text_matches(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"Cycle_", "enter")
        await wait_for(pilot, lambda: screen._find_hits, "the text find (a worker thread)")
        await pilot.pause()
        first = screen.group_tree.cursor_path
        await pilot.press("n")
        await pilot.pause()
        second = screen.group_tree.cursor_path
        assert first is not None and second is not None and first != second
        assert {first[-1], second[-1]} == {"refCode"}
        await pilot.press("N")
        await pilot.pause()
        assert screen.group_tree.cursor_path == first


async def test_quit_with_changes_asks_and_keeps_the_draft(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot, "Unsent")
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask), "the quit question")
        await pilot.press("n")
        assert app.is_running
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask), "the quit question")
        await pilot.press("y")
    assert app.drafts.path_for(stub.base_url, 2762).exists()


async def test_a_draft_is_offered_back_and_restored(stub: StubServer, tmp_path: Path) -> None:
    first = make_app(stub, tmp_path)
    async with first.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot, "From the draft")
    second = make_app(stub, tmp_path)
    async with second.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(second.screen, DraftDialog), "the draft offer")
        await pilot.press("r")
        await pilot.pause()
        session = editor(second).session
        assert session is not None and session.value(NAME) == "From the draft"


async def test_a_draft_made_before_the_server_moved_says_so(
    stub: StubServer, tmp_path: Path
) -> None:
    first = make_app(stub, tmp_path)
    async with first.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot, "Old draft")
    before = stub.group(2762)["attribution"]["lastUpdatedOn"]
    # Someone else edits the group on the server before the editor opens it again.
    stub.faults.concurrent_edit = True
    second = make_app(stub, tmp_path)
    async with second.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(second.screen, DraftDialog), "the draft offer")
        after = stub.group(2762)["attribution"]["lastUpdatedOn"]
        assert after != before, "the other client's edit moved the marker"
        shown = await wait_for_text(pilot, "The group changed on the server since this draft")
        assert "name = Old draft" in shown
        assert before in shown.replace("\n", " ") or before[:10] in shown
        await pilot.press("d")
        await wait_for_text(pilot, "Draft discarded.")
        assert not second.drafts.path_for(stub.base_url, 2762).exists()


HOSTILE = [
    "[reverse]x[/reverse]",
    "[@click=app.quit]x[/]",
    "promo [/]",
    "x[/",
    "[red",
    "\x1b[2J\x1b]52;c;SGVsbG8=\x07bell",
    "multi\nline\rname",
    "家族のマイルストーン 🎯",
    "N" * 200,
]


@pytest.mark.parametrize("hostile", HOSTILE)
async def test_hostile_text_is_shown_literally(tmp_path: Path, hostile: str) -> None:
    groups = copy.deepcopy(sample_groups())
    group = next(g for g in groups if g["id"] == 2762)
    group["name"] = hostile
    group["description"] = hostile
    group["targets"][0]["description"] = hostile
    server = StubServer(groups=groups, port=0)
    server.start()
    try:
        app = make_app(server, tmp_path)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            screen = await loaded(pilot)
            assert app.is_running, "markup in data must not run an action"
            label = screen.group_tree.root.label.plain
            first_line = hostile.split("\n")[0].replace("\x1b", "␛").replace("\x07", "␇")
            assert first_line[:40] in label or first_line[:40].replace("\r", "␍") in label
            assert "\x1b" not in label and "\x07" not in label
            await pilot.press("slash", *"description", "enter")
            await pilot.pause()
            detail = str(screen.detail.query_one("#detail-body").render())
            assert "\x1b" not in detail
            await pilot.press("j", "k", "p")
            await pilot.pause()
            assert app.is_running
    finally:
        server.stop()


async def test_the_ui_answers_keys_while_a_slow_server_loads(
    stub: StubServer, tmp_path: Path
) -> None:
    stub.faults.gate.hold("GET")  # the group's reply waits until this test lets it go
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: stub.faults.gate.held == 1, "the GET at the gate")
        await wait_for_text(pilot, "Fetching group 2762…")
        await pilot.press("question_mark")
        await wait_for_text(pilot, "list every key")
        assert editor(app).session is None, "the group is still on its way"
        await pilot.press("escape")
        await wait_for(pilot, lambda: "list every key" not in screen_text(app), "help to close")
        assert "Fetching group 2762…" in screen_text(app), "still loading, and saying so"
        stub.faults.gate.release()
        await loaded(pilot)
        await wait_for(
            pilot, lambda: "Fetching group" not in screen_text(app), "the status to clear"
        )
        assert "uatTargetGroup80" in screen_text(app)


async def test_the_picker_filters_by_id_or_name_and_opens_a_group(
    stub: StubServer, tmp_path: Path
) -> None:
    from textual.widgets import DataTable

    from tui.app.screens.picker import PickerScreen

    app = make_app(stub, tmp_path, group_id=None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen), "the picker")
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        table = picker.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 4, "four groups")
        await pilot.press(*"unified")
        await pilot.pause()
        assert [g["id"] for g in picker.shown] == [2306]
        await pilot.press("ctrl+u", *"180")
        await pilot.pause()
        assert [g["id"] for g in picker.shown] == [18044]
        await pilot.press("enter")
        screen = await loaded(pilot)
        assert screen.session is not None and screen.session.group_id == 18044
        streaks = screen.group_tree.node_for(("streaks",))
        assert streaks is not None and "Streaks [2]" in streaks.label.plain


async def test_a_saved_group_opens_offline_and_refuses_to_submit(tmp_path: Path) -> None:
    from tui.app.app import TgEditApp
    from tui.app.run import load_group_file
    from tui.session import DraftStore, EditSession
    from tui.session.remote import GroupService

    saved = Path(__file__).parent / "fixtures" / "edit-response-2762.json"
    app = TgEditApp(
        service=GroupService(None),
        drafts=DraftStore(tmp_path / "drafts"),
        session=EditSession(load_group_file(saved)),
        file=saved,
    )
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await rename(pilot, "Offline edit")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmSubmit)
        assert any("Offline" in str(n.message) for n in app._notifications)
        assert screen.session is not None and screen.session.value(NAME) == "Offline edit"
        assert app.drafts.path_for(saved.resolve().as_uri(), 2762).exists(), (
            "offline edits are drafted too"
        )


async def test_control_characters_never_reach_the_inline_editor_raw(tmp_path: Path) -> None:
    """An Input draws its text as it is: an ESC in a name would act on the terminal."""
    hostile = "promo\x1b[2J\x07\x9b\u202e"
    groups = copy.deepcopy(sample_groups())
    next(g for g in groups if g["id"] == 2762)["name"] = hostile
    server = StubServer(groups=groups, port=0)
    server.start()
    try:
        app = make_app(server, tmp_path)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            screen = await loaded(pilot)
            await wait_for(
                pilot, lambda: screen.group_tree.cursor_path == NAME, "the cursor on name"
            )
            await pilot.press("enter")
            await wait_for(pilot, lambda: screen.field_editor.is_open, "the inline editor")
            shown = screen.field_editor.input.value
            assert shown == "promo␛[2J␇\\x9b\\u202e"
            await pilot.press("enter")
            assert screen.session is not None and not screen.session.has_changes, (
                "committing the untouched text changes nothing"
            )
            await pilot.press("enter")
            await wait_for(pilot, lambda: screen.field_editor.is_open, "the inline editor")
            await pilot.press("end", *"!", "enter")
            assert screen.session.value(NAME) == hostile + "!", "the rest of the value survives"
    finally:
        server.stop()
