"""Keys do what they say, in every state (issue 21; design.md, "Keys inside an open
editor"): each test reads the screen as a person does, against the stand-in server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_support import (
    editor,
    go_to,
    loaded,
    make_app,
    offline_app,
    screen_text,
    wait_for,
    wait_for_text,
)
from textual.pilot import Pilot

from tui.app.app import TgEditApp
from tui.app.screens.dialogs import Ask, HelpScreen
from tui.app.screens.preview import PreviewScreen
from tui.app.screens.submit import ConfirmSubmit
from tui.app.screens.text_edit import TextEditScreen
from tui.stub.server import StubServer


def editor_rows(app: TgEditApp) -> list[str]:
    """The editor screen's rows as drawn, under a dialog or the preview too (where they
    show through: the top bar and the footer)."""
    return [strip.text.rstrip() for strip in editor(app)._compositor.render_strips()]


def footer_row(app: TgEditApp) -> str:
    return editor_rows(app)[-1]


def top_row(app: TgEditApp) -> str:
    return editor_rows(app)[0]


async def open_inline(pilot: Pilot[Any], path: str) -> None:
    await go_to(pilot, path)
    await pilot.press("enter")
    await wait_for(pilot, lambda: editor(pilot.app).field_editor.is_open, "the inline editor")


async def rename(pilot: Pilot[Any]) -> None:
    """One committed change: name → Other."""
    await open_inline(pilot, "name")
    await pilot.press("ctrl+u", *"Other", "enter")
    await wait_for_text(pilot, "● 1 change")


# --- 1. ctrl+s and ctrl+z inside the inline editor -----------------------------------


async def test_ctrl_s_in_the_inline_editor_asks_to_send_the_typed_value_and_sends_it(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await open_inline(pilot, "name")
        await pilot.press("ctrl+u", *"Other", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmit), "the send question")
        shown = screen_text(app)
        assert "Send 1 change?" in shown and "uatTargetGroup80  →  Other" in shown, shown
        await pilot.press("y")
        await wait_for_text(pilot, "Saved 1 change(s): name")
        assert stub.group(2762)["name"] == "Other"
        assert not editor(app).field_editor.is_open
        assert "Other ✓" not in screen_text(app)


async def test_ctrl_s_on_a_value_its_rule_refuses_sends_nothing_and_keeps_typing(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await open_inline(pilot, "name")
        await pilot.press("ctrl+u", "ctrl+s")
        shown = await wait_for_text(pilot, "✗ Name must not be blank")
        assert not isinstance(app.screen, ConfirmSubmit)
        assert "No changes" not in shown
        assert editor(app).field_editor.is_open


async def test_ctrl_z_in_the_inline_editor_undoes_typing_never_another_field(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot)
        await open_inline(pilot, "description")
        await pilot.press("ctrl+u", *"typing")
        await wait_for_text(pilot, " typing ")
        await pilot.press("ctrl+z", "ctrl+z")
        shown = await wait_for_text(pilot, " typi ")
        assert "Undid" not in shown
        assert "● 1 change" in shown and "name: Other" in shown
        await pilot.press("ctrl+y")
        await wait_for_text(pilot, " typin ")
        for _ in range(6):
            await pilot.press("ctrl+z")
        shown = await wait_for_text(pilot, "description update number 3 ")
        await pilot.press("ctrl+z")
        shown = await wait_for_text(pilot, "Nothing to undo in this field.")
        assert "Undid" not in shown and "● 1 change" in shown


async def test_f1_in_the_inline_editor_lists_its_own_keys(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await open_inline(pilot, "name")
        await pilot.press("f1")
        shown = await wait_for_text(pilot, "In the inline editor")
        assert "undo typing in this field" in shown
        assert "ctrl+s" in shown and "then ask to send" in shown
        assert "In the tree" not in shown


# --- 2. a find's message and n -----------------------------------------------------------


async def test_a_new_find_replaces_the_last_ones_message_and_n_says_why_it_has_nothing(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"pref", "enter")
        await wait_for_text(pilot, "'pref': match 1 of 1")
        await go_to(pilot, "targets[3006].expression")
        await pilot.pause()
        assert "match 1 of 1" not in screen_text(app)
        await pilot.press("n")
        shown = await wait_for_text(pilot, "is a field path (found)")
        assert "No find yet" not in shown
        await pilot.press("slash", *"no such text anywhere", "enter")
        await wait_for_text(pilot, "Nothing matches 'no such text anywhere'")
        await pilot.press("n")
        await wait_for_text(pilot, "nothing for n")


# --- 5. the footer shows only keys that act ---------------------------------------------


async def test_while_the_group_is_fetched_the_footer_offers_no_editing_keys(
    stub: StubServer, tmp_path: Path
) -> None:
    stub.faults.gate.hold("GET")
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: stub.faults.gate.held == 1, "the GET at the gate")
        await wait_for_text(pilot, "Fetching group 2762…")
        row = footer_row(app)
        for absent in ("e Edit", "p Preview", "^s Submit", "x Revert", "/ Find", "^z Undo"):
            assert absent not in row, row
        assert "? Help" in row and "q Quit" in row, row
        stub.faults.gate.release()
        await loaded(pilot)
        await wait_for(pilot, lambda: "e Edit" in footer_row(app), "the editing keys")
        assert "^s Submit" in footer_row(app)
        assert "Write" not in footer_row(app)  # online, w acts but is not offered


async def test_offline_the_footer_offers_no_submit_or_reload(tmp_path: Path) -> None:
    """``tgedit edit --file``: no server to send to or reload from, so neither key is
    offered, in the editor or in the preview; pressing them asks nothing."""

    saved = Path(__file__).parent / "fixtures" / "edit-response-2762.json"
    app = offline_app(saved, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot)
        row = footer_row(app)
        assert "e Edit" in row and "p Preview" in row and "q Quit" in row, row
        assert "Submit" not in row and "Reload" not in row, row
        assert "w Write" in row, row  # offline, writing the file back is how changes leave
        await pilot.press("ctrl+s", "s", "r")
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmSubmit, Ask)), screen_text(app)
        await pilot.press("p")
        await wait_for(pilot, lambda: "m Body mode" in footer_row(app), "the preview's keys")
        assert "Submit" not in footer_row(app), footer_row(app)


async def test_the_preview_and_the_json_editor_show_their_own_keys_and_they_act(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot)
        await rename(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen), "the preview")
        await wait_for(pilot, lambda: "m Body mode" in footer_row(app), "the preview's keys")
        row = footer_row(app)
        for key in ("esc Close", "c Copy body", "C Copy curl", "^s Submit"):
            assert key in row, row
        assert "e Edit" not in row and "x Revert" not in row, row
        await pilot.press("ctrl+s")  # acts: the send question, as from the tree
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmit), "the send question")
        await pilot.press("escape")
        await go_to(pilot, "targets[3006].expressionJson")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextEditScreen), "the JSON editor")
        await wait_for(pilot, lambda: "^s Apply" in footer_row(app), "the JSON editor's keys")
        row = footer_row(app)
        assert "Submit" not in row and "^f Format" in row and "esc Cancel" in row, row


async def test_under_a_question_the_footer_offers_none_of_the_editors_keys(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await rename(pilot)
        await pilot.press("r")
        await wait_for_text(pilot, "Reload from the server?")
        await wait_for(pilot, lambda: "Edit" not in footer_row(app), "no editing keys")
        assert footer_row(app).strip() == ""  # the question's own line says y and n


# --- 6. x reverts an expression with its expressionJson ---------------------------------


async def test_x_on_an_expression_reverts_its_regenerated_expression_json_too(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot)
        await open_inline(pilot, "targets[3006].expression")
        await pilot.press("ctrl+u", *"currentTxn.value>500", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask), "the regenerate question")
        await pilot.press("y")
        await wait_for_text(pilot, "● 2 changes")
        await pilot.press("x")
        shown = await wait_for_text(pilot, "Reverted targets[3006].expression,")
        assert "no changes" in shown.splitlines()[0]
        await pilot.press("ctrl+z")  # one step back: both again
        await wait_for_text(pilot, "● 2 changes")
        await go_to(pilot, "targets[3006].expressionJson")
        await pilot.press("x")  # and from the other side
        shown = await wait_for_text(pilot, "Reverted targets[3006].expression")
        assert "no changes" in shown.splitlines()[0]


# --- 7. help and the palette ---------------------------------------------------------------


async def test_help_lists_every_way_to_quit_and_the_keys_of_what_opens_from_the_tree(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 200)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        shown = await wait_for_text(pilot, "Marks")
        assert "q / ctrl+q / ctrl+c" in shown, shown
        assert "In the preview (p)" in shown and "In the multi-line editor" in shown
        for keys in ("m ", "c ", "C ", "tab", "ctrl+s / F2", "ctrl+f / F3", "ctrl+e / F4"):
            assert f"  {keys}" in shown, keys
        assert "undo typing in this field" in shown


async def test_question_mark_in_the_preview_lists_the_previews_keys(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await rename(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen), "the preview")
        await pilot.press("question_mark")
        shown = await wait_for_text(pilot, "In the preview")
        assert "copy the request as curl" in shown and "next tab" in shown
        assert "In the tree" not in shown


async def test_the_palette_has_one_quit_and_no_textual_keys_or_maximize(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        shown = await wait_for_text(pilot, "Preview")
        titles = [line.strip(" │▎▊") for line in shown.splitlines()]
        assert sum(1 for t in titles if t.startswith("Quit")) == 1, shown
        assert not any(t.startswith(("Keys", "Maximize")) for t in titles), shown


# --- 8. the picker has a way back ----------------------------------------------------------


async def test_escape_goes_back_to_the_picker_asking_first_when_there_are_changes(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path, group_id=None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_text(pilot, "4 of 4 target groups")
        await pilot.press(*"2762", "enter")
        await loaded(pilot)
        await wait_for(pilot, lambda: "esc Back" in footer_row(app), "escape offered")
        await pilot.press("escape")
        await wait_for_text(pilot, "1 of 4 target groups")
        await pilot.press("enter")
        await loaded(pilot)
        await rename(pilot)
        await pilot.press("escape")
        shown = await wait_for_text(pilot, "Back to the list without sending?")
        assert "uatTargetGroup80  →  Other" in shown
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, Ask), "the question closed")
        assert "● 1 change" in screen_text(app)
        await pilot.press("escape", "y")
        await wait_for_text(pilot, "1 of 4 target groups")


async def test_an_editor_opened_by_id_does_not_offer_escape(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await wait_for(pilot, lambda: "e Edit" in footer_row(app), "the keys")
        assert "Back" not in footer_row(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "group 2762" in screen_text(app).splitlines()[0]


# --- 10. m in the preview --------------------------------------------------------------------


async def test_m_says_what_it_changes_and_the_top_bar_keeps_it_in_view(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await rename(pilot)
        assert "body:" not in screen_text(app).splitlines()[0]
        await pilot.press("p")
        await wait_for_text(pilot, "Body mode minimal: only the changed fields")
        await pilot.press("m")
        await wait_for_text(pilot, "Body mode full: the whole editable group is sent")
        await wait_for_text(pilot, "kept for every submit")
        await wait_for(pilot, lambda: "body: full" in top_row(app), "the mode in the top bar")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PreviewScreen), "closed")
        assert "body: full" in top_row(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmit), "the question")
        assert "full" in screen_text(app)


# --- 12. a long number in the detail panel --------------------------------------------------


async def test_at_80_columns_a_rules_long_number_is_never_cut_in_two(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await go_to(pilot, "preferredTillId")
        shown = await wait_for_text(pilot, "a positive whole")
        assert "9223372036854775807" in shown, shown
