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
    offline_app,
    screen_text,
    settle,
    wait_for,
    wait_for_text,
)

import tui.api.exchange
from tui.app.screens.dialogs import Ask, ErrorDialog
from tui.app.screens.draft import DraftDialog
from tui.app.screens.preview import PreviewScreen
from tui.app.screens.quit import QuitQuestion
from tui.app.screens.submit import ConfirmSubmit, ConflictDialog
from tui.app.screens.text_edit import TextEditScreen
from tui.app.screens.write_file import WriteFilePrompt
from tui.fields.paths import ElementId
from tui.session.draft import DraftKeeper, DraftStore
from tui.session.edit import EditSession
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer
from tui.terminal_text import visible

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


async def replace_value(pilot, path: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """As a person would: / path enter, enter (the inline editor), clear, type, enter."""
    await go_to(pilot, path)
    await pilot.press("enter")
    await wait_for(pilot, lambda: editor(pilot.app).field_editor.is_open, "the inline editor")
    await pilot.press("ctrl+u", *text, "enter")


async def rename(pilot, new_name: str) -> None:  # type: ignore[no-untyped-def]
    await replace_value(pilot, "name", new_name)
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
        # 200 characters in one go (the Pilot costs two idle-waits a key), then the 201st
        # typed: the limit is refused as the key goes in.
        screen.field_editor.input.value = "x" * 200
        await pilot.press("end", "x")
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
        shown = await wait_for_text(pilot, "orgId is read-only: the server computes it")
        assert "(response-only)" in shown, shown
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
    stub: StubServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
    value: object,
    expected: str,
) -> None:
    # The 502 also meets the GET before the PUT, which the client repeats after a wait
    # (0.5 + 1 + 2 s): the repeats still happen, without the waits.
    monkeypatch.setattr(tui.api.exchange, "retry_delay", lambda *_: 0.0)
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
        await loaded(pilot)
        await rename(pilot, "Once")
        stub.faults.gate.hold("PUT")  # the PUT stays in flight until the test lets it go
        await confirm_submit(pilot)
        await wait_for(pilot, lambda: stub.faults.gate.held == 1, "the PUT at the gate")
        await wait_for_text(pilot, "Sending…")
        await pilot.press("ctrl+s")
        await pilot.press("s")
        await pilot.pause()
        shown = screen_text(app)
        assert "Send 1 change?" not in shown, "no second confirmation while sending"
        assert "Sending…" in shown, "\n".join(rows(app))
        stub.faults.gate.release()
        await wait_for(pilot, lambda: "no changes" in rows(app)[0], "the submit to end")
        await settle(pilot)
        assert len(puts(stub)) == 1


async def test_editing_the_expression_regenerates_expression_json_in_one_step(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await replace_value(pilot, "targets[3006].expression", "currentTxn.value>500")
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


async def test_a_read_only_branch_cannot_be_edited(stub: StubServer, tmp_path: Path) -> None:
    """e and enter on the read-only Attribution branch and on a field in it: each says
    why, no editor opens, and the keys typed after change nothing."""
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await go_to(pilot, "attribution")
        await pilot.press("e")
        await wait_for_text(pilot, "Pick a field inside this branch to edit it.")
        await go_to(pilot, "attribution.createdOn")
        for key in ("e", "enter"):
            app.clear_notifications()
            await pilot.press(key)
            await wait_for_text(pilot, "attribution.createdOn is read-only: the server computes")
            await pilot.press(*"1999", "enter")
            await settle(pilot)
            shown = screen_text(app)
            assert "Editing" not in shown and "1999" not in shown, shown
            assert "no changes" in rows(app)[0]


async def test_find_cycles_text_matches(stub: StubServer, tmp_path: Path) -> None:
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


async def test_escape_in_the_draft_offer_applies_nothing_and_keeps_it_for_next_time(
    stub: StubServer, tmp_path: Path
) -> None:
    first = make_app(stub, tmp_path)
    async with first.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot, "Not now")
    left = first.drafts.path_for(stub.base_url, 2762)
    second = make_app(stub, tmp_path)
    async with second.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(second.screen, DraftDialog), "the draft offer")
        assert "escape  not now" in await wait_for_text(pilot, "A draft was found")
        await pilot.press("escape")
        shown = await wait_for_text(pilot, "Draft not applied")
        assert "no changes" in shown  # the top bar: the group as fetched
        assert "Not now" in left.read_text()
        # The next edit writes this editor's own draft, beside the one left.
        await rename(pilot, "A new edit")
        assert "A new edit" in second.drafts.path_for(stub.base_url, 2762).read_text()
        assert "Not now" in left.read_text()
    third = make_app(stub, tmp_path)
    async with third.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(third.screen, DraftDialog), "the first offer")
        first_offer = await wait_for_text(pilot, "A draft was found")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(third.screen, DraftDialog), "the second offer")
        await pilot.pause()
        second_offer = screen_text(third)
    offered = first_offer + second_offer
    assert "name = Not now" in offered and "name = A new edit" in offered


async def test_two_editors_on_one_group_never_lose_each_others_draft(
    stub: StubServer, tmp_path: Path
) -> None:
    """Finding 3: B's edit replaced A's draft; A's submit deleted it; B killed: lost."""
    other = DraftStore(tmp_path / "drafts")  # editor B, still running
    session_b = EditSession(stub.group(2762))
    session_b.subscribe(DraftKeeper(other, stub.base_url))
    session_b.set(("description",), "B's unsent change")
    app = make_app(stub, tmp_path)  # editor A
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.pause()
        assert not isinstance(app.screen, DraftDialog)  # B runs: its draft is B's
        await rename(pilot, "A sends this")
        await confirm_submit(pilot)
        await wait_for(pilot, lambda: stub.group(2762)["name"] == "A sends this", "A's PUT")
        await wait_for_text(pilot, "Saved 1 change(s)")
    assert "B's unsent change" in other.path_for(stub.base_url, 2762).read_text()
    other.close()  # B is killed
    reopened = make_app(stub, tmp_path)
    async with reopened.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(reopened.screen, DraftDialog), "the offer")
        assert "description = B's unsent change" in await wait_for_text(pilot, "A draft was found")
        await pilot.press("r")
        await wait_for_text(pilot, "Restored 1 change(s) from the draft.")
        own = reopened.drafts.path_for(stub.base_url, 2762)
        assert "B's unsent change" in own.read_text()
        assert not other.path_for(stub.base_url, 2762).exists()


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
            # the tree's first row: Target group 2762 · <the name's first line, made visible>
            first_line = visible(hostile.split("\n")[0], keep_newlines=False)[:15]
            assert f"Target group 2762 · {first_line}" in rows(app)[1], rows(app)[1]
            assert "\x1b" not in screen_text(app) and "\x07" not in screen_text(app)
            await pilot.press("slash", *"description", "enter")
            await pilot.pause()
            detail = screen.detail.text
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
        await wait_for_text(pilot, "Streaks [2]")


async def test_a_saved_group_opens_offline_and_is_drafted(tmp_path: Path) -> None:

    saved = Path(__file__).parent / "fixtures" / "edit-response-2762.json"
    app = offline_app(saved, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await rename(pilot, "Offline edit")
        await pilot.press("ctrl+s")  # not offered offline (test_keys_in_every_state): no question
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmSubmit)
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


# --- what a person reads on the screen -----------------------------------------------


def rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    return screen_text(app).split("\n")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_the_find_box_shows_what_is_typed_and_the_match_status_shows(
    stub: StubServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"Cycle_")
        await wait_for(pilot, lambda: rows(app)[-2].strip() == "Cycle_", "the typed text")
        assert "palette" in rows(app)[-1], "the footer stays below the find box"
        await pilot.press("enter")
        await wait_for_text(pilot, "'Cycle_': match 1 of 2 (n next, N previous)")
        assert "Cycle_" not in rows(app)[-1]
        await pilot.press("n")
        await wait_for_text(pilot, "match 2 of 2")


async def test_a_find_that_matches_nothing_says_so(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"zzz-nowhere", "enter")
        await wait_for_text(pilot, "Nothing matches 'zzz-nowhere'.")


def heading(app, path: str) -> bool:  # type: ignore[no-untyped-def]
    """The detail panel (right of the tree) is about ``path``: its heading line shows it."""
    return any(row.rstrip().endswith(f"│ {path}") for row in rows(app))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_a_path_typed_in_part_goes_to_the_fields_it_begins(
    stub: StubServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"targets[3006].expr", "enter")
        await wait_for_text(pilot, "'targets[3006].expr': match 1 of 2")
        await wait_for(pilot, lambda: heading(app, "targets[3006].expression"), "expression")
        await pilot.press("n")
        await wait_for_text(pilot, "match 2 of 2")
        await wait_for(pilot, lambda: heading(app, "targets[3006].expressionJson"), "its JSON")


async def test_a_path_that_names_nothing_says_what_is_wrong(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"targets[3007].expr", "enter")
        await wait_for_text(pilot, "Nothing matches 'targets[3007].expr'.")
        await wait_for_text(pilot, "has no element with id 3007 (ids: 3006)")


@pytest.mark.parametrize(
    ("fault", "value", "why"),
    [("status_for_get", 404, "not found"), ("drop_connection", True, "")],
    ids=["404", "unreachable"],
)
async def test_a_group_that_cannot_be_fetched_says_why_and_what_to_do(
    stub: StubServer, tmp_path: Path, fault: str, value: object, why: str
) -> None:
    setattr(stub.faults, fault, value)
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        shown = await wait_for_text(pilot, "Could not fetch group 2762")
        assert why in shown
        await pilot.press("escape")
        await wait_for_text(pilot, "Group 2762 is not loaded. r retries, q quits.")
        stub.faults.clear()
        await pilot.press("r")
        await loaded(pilot)
        await wait_for(pilot, lambda: "not loaded" not in screen_text(app), "the status to clear")


async def test_reload_keeps_the_tree_and_says_it_is_reloading(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        stub.faults.gate.hold("GET")
        await pilot.press("r")
        await wait_for(pilot, lambda: stub.faults.gate.held == 1, "the reload at the gate")
        shown = await wait_for_text(pilot, "Reloading group 2762 from the server…")
        assert "name: uatTargetGroup80" in shown, "the tree stays on screen"
        stub.faults.drop_connection = True
        stub.faults.gate.release()
        await wait_for_text(pilot, "Could not fetch group 2762")
        await pilot.press("escape")
        shown = await wait_for_text(pilot, "Reload of group 2762 failed")
        assert "name: uatTargetGroup80" in shown


async def test_a_draft_that_cannot_be_written_is_said_and_never_promised(
    stub: StubServer, tmp_path: Path
) -> None:
    """Issue 19, finding 4: the quit question promised a draft file that was not there."""
    (tmp_path / "drafts").write_text("a file where the drafts folder should be")
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot, "Kept nowhere")
        await wait_for_text(pilot, "The draft could not be written")
        stub.faults.put_status = 500
        await confirm_submit(pilot)
        shown = " ".join((await wait_for_text(pilot, "Submit of group 2762 failed")).split())
        assert "are kept on screen only: the draft could not be written" in shown
        assert "saved in the draft file" not in shown
        await pilot.press("escape")
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitQuestion), "the quit question")
        flat = " ".join((await wait_for_text(pilot, "Quit without sending?")).split())
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


async def test_offline_on_a_file_w_is_in_the_footer_and_the_quit_question_writes_it_back(
    tmp_path: Path,
) -> None:
    """Issue 21, item 9: offline edit --file could only quit."""
    saved = tmp_path / "2762.json"
    saved.write_bytes((Path(__file__).parent / "fixtures" / "edit-response-2762.json").read_bytes())
    app = offline_app(saved, tmp_path)
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


async def test_escape_leaves_the_multi_line_editor_without_applying(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await go_to(pilot, "targets[3006].expressionJson")
        await pilot.press("enter")
        await wait_for_text(pilot, "Editing targets[3006].expressionJson")
        # valid text, different from the field's: formatted (ctrl+f), which applies cleanly
        await pilot.press("ctrl+f")
        shown = await wait_for_text(pilot, '"arity": "literal"')
        assert "✓ must parse as a JSON object" in shown, shown
        await pilot.press("escape")
        await wait_for(
            pilot, lambda: "Editing targets" not in screen_text(app), "the editor to close"
        )
        assert "no changes" in rows(app)[0]
        assert 'expressionJson: {"arity":"literal"' in screen_text(app)


async def test_escape_in_the_regenerate_question_changes_nothing(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await replace_value(pilot, "targets[3006].expression", "currentTxn.value>500")
        shown = await wait_for_text(pilot, "Regenerate expressionJson too?")
        assert "escape  change nothing" in shown
        await pilot.press("escape")
        await wait_for_text(pilot, "Not changed: the expression is as it was.")
        assert screen.session is not None and not screen.session.has_changes
        assert "no changes" in rows(app)[0]


async def test_escape_in_the_preview_and_the_confirmation_sends_nothing(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot, "Esc")
        await pilot.press("p")
        await wait_for_text(pilot, "PUT body (minimal)")
        await pilot.press("escape")
        await pilot.press("ctrl+s")
        await wait_for_text(pilot, "Send 1 change?")
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Send 1 change?" not in screen_text(app), "the dialog")
        assert puts(stub) == []
        assert "● 1 change" in rows(app)[0]


@pytest.mark.parametrize("keys", [["ctrl+q"], ["ctrl+c"], ["ctrl+p", *"quit", "enter"]])
async def test_every_way_out_asks_when_there_are_unsent_changes(
    stub: StubServer, tmp_path: Path, keys: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # drafts/…: a path short enough to read on one line
    app = make_app(stub, Path("."))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot, "Unsent")
        await pilot.press(*keys)
        shown = await wait_for_text(pilot, "Quit without sending?")
        draft = str(app.drafts.path_for(stub.base_url, 2762))
        assert draft.startswith("drafts/")
        assert f"1 change(s) were not sent. They stay in the draft file {draft}" in shown, shown
        await pilot.press("ctrl+q")  # a second ctrl+q does not stack a second question
        await pilot.press("escape")
        await wait_for(
            pilot, lambda: "Quit without sending?" not in screen_text(app), "the question"
        )
        assert app.is_running
        await pilot.press(*keys)
        await wait_for_text(pilot, "Quit without sending?")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, "the app to quit")


async def test_the_demo_says_its_unsent_changes_will_be_lost(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path, drafts_last=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot, "Demo edit")
        await pilot.press("q")
        shown = await wait_for_text(pilot, "Quit without sending?")
        assert "they will be lost" in " ".join(shown.split())
        assert "draft file" not in shown


async def test_ctrl_q_without_changes_quits_at_once(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running, "the app to quit")


async def set_expression_only(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Edit targets[3006].expression and, if asked, keep expressionJson as it is (n)."""
    await replace_value(pilot, "targets[3006].expression", text)


async def refused_at_submit(pilot, stub: StubServer, why: str) -> None:  # type: ignore[no-untyped-def]
    """ctrl+s and s both refuse, naming the target and why; nothing reaches the server."""
    app = pilot.app
    await pilot.press("ctrl+s")
    shown = await wait_for_text(pilot, "Not sent: a target's rule is not valid")
    assert why in shown
    assert not isinstance(app.screen, ConfirmSubmit)
    await pilot.press("escape")
    await pilot.press("s")
    await wait_for_text(pilot, "Not sent: a target's rule is not valid")
    assert puts(stub) == []


async def test_an_expression_that_does_not_parse_is_not_sent(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await set_expression_only(pilot, "currentTxn.value >")
        await wait_for_text(pilot, "The expression does not parse")
        assert screen.session is not None and screen.session.has_changes
        await refused_at_submit(pilot, stub, "targets[3006].expression does not parse:")


async def test_an_expression_that_disagrees_with_its_json_is_not_sent(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await set_expression_only(pilot, "currentTxn.value>500")
        await wait_for_text(pilot, "Regenerate expressionJson too?")
        await pilot.press("n")
        await wait_for_text(pilot, "Set the expression only")
        assert screen.session is not None and screen.session.has_changes
        await refused_at_submit(
            pilot, stub, "targets[3006].expression and its expressionJson disagree"
        )


async def test_the_preview_mode_is_the_mode_sent(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await rename(pilot, "Full body")
        await pilot.press("p")
        await wait_for_text(pilot, "PUT body (minimal)")
        await pilot.press("m")
        assert screen.session is not None
        full = screen.session.body_text("full")
        await wait_for_text(pilot, f"PUT body (full) · {len(full.encode())} bytes")
        await pilot.press("escape")
        await pilot.press("ctrl+s")
        await wait_for_text(pilot, f"body: full, {len(full.encode())} bytes")
        await pilot.press("y")
        await wait_for(pilot, lambda: puts(stub), "the PUT")
        assert puts(stub) == [full.encode()]


async def test_tab_switches_the_preview_tabs(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot, "Tabbed")
        await pilot.press("p")
        await wait_for_text(pilot, '"name": "Tabbed"')
        await pilot.press("tab")
        await wait_for_text(pilot, "uatTargetGroup80  →  Tabbed")
        await pilot.press("tab")
        await wait_for_text(pilot, "curl -X PUT")
        await pilot.press("tab")
        await wait_for_text(pilot, '"name": "Tabbed"')


async def test_a_till_id_beyond_what_the_api_stores_is_refused(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await loaded(pilot)
        await replace_value(pilot, "preferredTillId", "99999999999999999999")
        shown = await wait_for_text(pilot, "must be at most 9223372036854775807")
        # At 80 columns the whole message wraps onto the next row instead of being cut.
        assert "(the largest id the API stores)" in " ".join(shown.split())
        assert screen.field_editor.is_open
        assert screen.session is not None and not screen.session.has_changes


async def test_format_then_apply_keeps_the_fetched_compact_json(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await go_to(pilot, "targets[3006].expressionJson")
        await pilot.press("enter")
        await wait_for_text(pilot, "Editing targets[3006].expressionJson")
        await pilot.press("ctrl+f")
        await wait_for_text(pilot, '  "arity": "literal",')
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Editing targets" not in screen_text(app), "the editor")
        assert screen.session is not None and not screen.session.has_changes
        assert "no changes" in rows(app)[0]
        assert 'expressionJson: {"arity":"literal","value":"true"' in screen_text(app)


async def test_the_inline_editor_leaves_the_next_row_in_view(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await loaded(pilot)
        await go_to(pilot, "name")
        before = rows(app)
        at = next(i for i, row in enumerate(before) if "name: uatTargetGroup80" in row)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.field_editor.is_open, "the inline editor")
        await wait_for_text(pilot, "✓ 1–200 characters, not blank · enter saves")
        after = rows(app)
        assert "fromDate: 2025-05-11" in after[at + 1], "the row below stays readable"
        assert "uatTargetGroup80" in after[at]


async def test_a_field_without_a_rule_has_a_plain_hint(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await go_to(pilot, "description")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.field_editor.is_open, "the inline editor")
        shown = await wait_for_text(pilot, "✓ enter saves · escape cancels")
        assert "✓ · enter" not in shown


async def test_at_80_columns_the_bars_keep_the_count_help_and_quit(tmp_path: Path) -> None:
    long_name = "Spring double-points milestone for premium members in every store 2026"
    groups = copy.deepcopy(sample_groups())
    next(g for g in groups if g["id"] == 2762)["name"] = long_name
    server = StubServer(groups=groups, port=0)
    server.start()
    try:
        app = make_app(server, tmp_path)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await loaded(pilot)
            await go_to(pilot, "description")
            await pilot.press("x")  # nothing to revert: just a key that is not an edit
            await rename(pilot, long_name + "!")
            top, footer = rows(app)[0], rows(app)[-1]
            assert top.rstrip().endswith("● 1 change"), top
            assert "…" in top
            assert "? Help" in footer and "q Quit" in footer, footer
            # The detail panel's rule wraps under its text, not under its label.
            shown = rows(app)
            rule = next(i for i, row in enumerate(shown) if "rule       1–200" in row)
            column = shown[rule].index("1–200")
            assert shown[rule + 1][column - 1] == " " and shown[rule + 1][column] != " "
    finally:
        server.stop()


async def test_help_wraps_under_its_text(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        shown = (await wait_for_text(pilot, "collapse / expand")).split("\n")
        at = next(i for i, row in enumerate(shown) if "collapse / expand" in row)
        column = shown[at].index("collapse")
        assert shown[at + 1][:column].strip(" █▌▐┃│├─⊘▶") == "", shown[at + 1]
        assert shown[at + 1][column:].strip().startswith("child)"), shown[at + 1]
        assert "escape  close" in "\n".join(shown), "the keys line stays in the dialog"


async def test_keys_typed_in_one_burst_after_slash_land_in_the_find_box(
    stub: StubServer, tmp_path: Path
) -> None:
    """A terminal delivers a paste or a fast typist's keys in one read: the driver posts
    them all before the app has run ``/``. Pilot waits between keys, so post as the
    driver does."""
    from textual import events

    app = make_app(stub, tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await loaded(pilot)
        for key, character in [("slash", "/"), *[(c, c) for c in "targets"]]:
            app.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: rows(app)[-2].strip() == "targets", "the typed text")
        assert screen.session is not None and not screen.session.has_changes
        assert "No changes: nothing to send" not in screen_text(app), "s was not run"
        assert not screen.field_editor.is_open, "e was not run as a command"
