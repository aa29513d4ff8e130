"""The real-terminal layer: the installed ``tgedit`` in a pty, read through a VT emulator.

Pilot bypasses the terminal driver; these tests do not. Keys go in as the bytes a
terminal sends (escape sequences split across writes as a slow link splits them), the
screen is what ``pyte`` draws from tgedit's output, and the stand-in (one per module, a
real server on 127.0.0.1) says what was sent. Every wait polls the screen up to a
deadline; nothing waits a fixed time for something to happen.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from terminal_support import Terminal, private_env

from tui.stub.cli import DEMO_CREDENTIALS
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer
from tui.stub.store import GroupStore

GROUP = 2762
NAME = "uatTargetGroup80"
RENAMED = "Renamed in a pty"
INLINE_HINT = "enter saves"  # the inline editor's hint line, under the field
SIZES = {"120x40": (120, 40), "80x24": (80, 24)}
# Keys the footer must show at each size: help and quit even when narrow.
FOOTER_KEYS = {
    "120x40": ("e Edit", "/ Find", "p Preview", "^s Submit", "? Help", "q Quit"),
    "80x24": ("/ Find", "? Help", "q Quit"),
}

# One real terminal program at a time (these and the tmux tests): a starved child reads a
# lone ESC and the next key as alt+key, so two need not compete for the two cores.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("real-terminal")]


@pytest.fixture(scope="module")
def stand_in() -> Iterator[StubServer]:
    server = StubServer(
        sample_groups(),
        username=DEMO_CREDENTIALS["username"],
        password=DEMO_CREDENTIALS["password"],
    ).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def stub(stand_in: StubServer) -> StubServer:
    """The module's stand-in, with the sample groups as they were and nothing received."""
    stand_in.faults.clear()
    stand_in.store = GroupStore(sample_groups())
    stand_in.clear_received()
    return stand_in


Opener = Callable[..., Terminal]


@pytest.fixture
def tgedit(stub: StubServer, tmp_path: Path) -> Iterator[Opener]:
    """``tgedit(*args, size=..., no_color=...)``: the console script in a pty."""
    started: list[Terminal] = []

    def start(*args: str, size: str = "120x40", no_color: bool = True) -> Terminal:
        env = private_env(
            tmp_path / f"home{len(started)}",
            no_color=no_color,
            extra={
                "CAP_API_BASE_URL": stub.base_url,
                "CAP_API_USERNAME": "demo",
                "CAP_API_PASSWORD": "demo",
            },
        )
        columns, rows = SIZES[size]
        terminal = Terminal(list(args), env, columns=columns, rows=rows)
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        terminal.close()


def opened(tgedit: Opener, size: str = "120x40", no_color: bool = True) -> Terminal:
    """``tgedit edit 2762``, once the group is on screen."""
    return loaded(tgedit("edit", str(GROUP), size=size, no_color=no_color))


def loaded(terminal: Terminal) -> Terminal:
    """Once the top bar names the group and the tree's cursor is on its name.

    (The tree's root line is not waited for: at start the tree is sometimes scrolled one
    line down, the root above the top edge.)
    """
    terminal.wait_until(
        lambda: (
            f"group {GROUP} · {NAME}" in terminal.lines()[0]
            and f"name: {NAME}" in (terminal.cursor_line() or "")
        ),
        "the group loaded, the cursor on name",
    )
    return terminal


def edit_inline(terminal: Terminal, text: str) -> None:
    """enter on the field under the cursor, wait for the editor, replace its text."""
    row = terminal.cursor_row()
    assert row is not None, terminal.text()
    terminal.press("enter")
    terminal.wait_for(INLINE_HINT)
    terminal.press("ctrl+u")
    # The editor, on the field's own row, shows its placeholder ("name (empty)") before
    # the first key of the text.
    terminal.wait_until(lambda: "(empty)" in terminal.lines()[row], "the editor emptied")
    terminal.type(text)
    terminal.wait_for(text[-20:])  # a long text scrolls inside the editor: its end shows


def renamed(terminal: Terminal) -> None:
    """The cursor starts on name: rename the group and commit the edit."""
    assert NAME in (terminal.cursor_line() or ""), terminal.text()
    edit_inline(terminal, RENAMED)
    terminal.press("enter")
    terminal.wait_for(f"● name: {RENAMED}", "● 1 change")


def find(terminal: Terminal, path: str, *, watch: bool = True) -> None:
    """/ path enter; with ``watch``, every character typed is on screen as it is typed."""
    terminal.press("/")
    if watch:
        terminal.type(path, each=lambda so_far: terminal.wait_for(so_far, deadline=5))
    else:
        terminal.type(path)
    terminal.press("enter")


# --- open ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("no_color", [True, False], ids=["NO_COLOR", "colour"])
@pytest.mark.parametrize("size", list(SIZES))
def test_real_terminal_opens_the_group_with_its_name_and_keys(
    tgedit: Opener, stub: StubServer, size: str, no_color: bool
) -> None:
    terminal = opened(tgedit, size, no_color)
    lines = terminal.lines()
    assert f"group {GROUP} · {NAME}" in lines[0], "the top bar names the group"
    assert "no changes" in lines[0]
    assert NAME in (terminal.cursor_line() or ""), "the cursor starts on name"
    terminal.wait_until(
        lambda: all(key in terminal.lines()[-1] for key in FOOTER_KEYS[size]),
        f"the footer at {size} to show {FOOTER_KEYS[size]}",
    )
    assert stub.requests("GET", f"/v3/targetGroups/{GROUP}"), "fetched from the stand-in"


def test_real_terminal_says_it_is_fetching_while_the_server_holds_the_reply(
    tgedit: Opener, stub: StubServer
) -> None:
    stub.faults.gate.hold("GET", f"/v3/targetGroups/{GROUP}")
    terminal = tgedit("edit", str(GROUP))
    terminal.wait_until(lambda: stub.faults.gate.held == 1, "the GET held at the stand-in")
    terminal.wait_for(f"Fetching group {GROUP}…")
    assert NAME not in terminal.text(), "nothing of the group before its reply"
    stub.faults.gate.release()
    loaded(terminal)
    terminal.wait_gone(f"Fetching group {GROUP}…")


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
def test_real_terminal_leaves_at_once_while_the_server_holds_the_reply(
    tgedit: Opener, stub: StubServer, key: str
) -> None:
    # Over SSH a process that waits for a hanging GET's timeout looks hung: the key ends
    # it while the stand-in still holds the request (the GET may take 120 s to time out).
    # The gate is let go only after the process has ended (ended() waits up to 15 s, far
    # less than the GET's own 120 s): the key alone ended it.
    gate = stub.faults.gate
    gate.hold("GET", f"/v3/targetGroups/{GROUP}")
    try:
        terminal = tgedit("edit", str(GROUP), "--timeout", "120")
        terminal.wait_until(lambda: gate.arrived == 1, "the GET held at the stand-in")
        terminal.wait_for(f"Fetching group {GROUP}…")
        terminal.press(key)
        assert terminal.ended() == 0
    finally:
        gate.release()


# --- find ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", list(SIZES))
def test_real_terminal_find_by_path_shows_the_typing_and_moves_the_cursor(
    tgedit: Opener, size: str
) -> None:
    terminal = opened(tgedit, size)
    find(terminal, "targets[3006].expression")
    terminal.wait_cursor_on("expression: true")
    assert "expressionJson" not in (terminal.cursor_line() or "")
    terminal.wait_for("targets[3006].expression")  # the detail panel names the path


# --- edit, preview, submit ----------------------------------------------------------------------


def test_real_terminal_edits_a_field_inline_and_commits(tgedit: Opener) -> None:
    terminal = opened(tgedit)
    renamed(terminal)
    assert f"group {GROUP} · {RENAMED}" in terminal.lines()[0]
    terminal.wait_gone(INLINE_HINT)  # the inline editor closed
    terminal.wait_cursor_on(RENAMED)


def test_real_terminal_keys_in_one_burst_after_enter_reach_the_inline_editor(
    tgedit: Opener,
) -> None:
    # Over SSH, typeahead arrives in one packet: enter, then the first keys of the value.
    terminal = opened(tgedit)
    terminal.write(b"\r\x15Burst")  # enter, ctrl+u, "Burst": one write
    terminal.wait_for(INLINE_HINT)
    terminal.wait_for("Burst")
    terminal.press("enter")
    terminal.wait_for("● name: Burst", "● 1 change")


def test_real_terminal_keys_in_one_burst_into_an_open_editor_stay_in_order(
    tgedit: Opener,
) -> None:
    # The editor is open; then one packet: ctrl+u, a new value, a left arrow, two more
    # letters, backspace, enter. Each editing key must act where it was typed: the
    # letters land before the last t only if the left arrow acted (else "BurstY").
    terminal = opened(tgedit)
    terminal.press("enter")
    terminal.wait_for(INLINE_HINT)
    terminal.write(b"\x15Burst\x1b[DYZ\x7f\r")
    terminal.wait_for("● name: BursYt", "● 1 change")


def test_real_terminal_preview_shows_the_body(tgedit: Opener) -> None:
    terminal = opened(tgedit)
    renamed(terminal)
    terminal.press("p")
    body = json.dumps({"id": GROUP, "name": RENAMED})
    terminal.wait_for("PUT body (minimal)", body)


@pytest.mark.parametrize("no_color", [True, False], ids=["NO_COLOR", "colour"])
def test_real_terminal_submit_sends_exactly_the_previewed_body(
    tgedit: Opener, stub: StubServer, no_color: bool
) -> None:
    terminal = opened(tgedit, no_color=no_color)
    renamed(terminal)
    terminal.press("ctrl+s")
    terminal.wait_for("Send 1 change?", "y  send")
    assert stub.requests("PUT") == [], "nothing is sent before y"
    terminal.press("y")
    terminal.wait_until(lambda: bool(stub.requests("PUT")), "the PUT at the stand-in")
    (put,) = stub.requests("PUT")
    assert put.path == f"/v3/targetGroups/editTargetGroup/{GROUP}"
    assert put.body == json.dumps({"id": GROUP, "name": RENAMED}).encode("utf-8")
    terminal.wait_until(lambda: "no changes" in terminal.lines()[0], "the top bar: no changes")
    assert stub.group(GROUP)["name"] == RENAMED


# --- escape out of everything -------------------------------------------------------------------


def test_real_terminal_escape_leaves_the_inline_editor(tgedit: Opener) -> None:
    terminal = opened(tgedit)
    edit_inline(terminal, "typed then abandoned")
    terminal.press("escape")
    terminal.wait_gone(INLINE_HINT, "typed then abandoned")
    terminal.wait_cursor_on(f"name: {NAME}")
    assert "no changes" in terminal.lines()[0]


def test_real_terminal_escape_leaves_the_multi_line_editor(tgedit: Opener) -> None:
    terminal = opened(tgedit)
    find(terminal, "targets[3006].expressionJson", watch=False)  # the find test watches it
    terminal.wait_cursor_on("expressionJson")
    terminal.press("enter")
    terminal.wait_for("Editing targets[3006].expressionJson")
    terminal.press("ctrl+f")  # formats: valid text, different from the field's
    terminal.wait_for('"arity": "literal"')
    terminal.press("escape")
    terminal.wait_gone("Editing targets[3006].expressionJson")
    assert "no changes" in terminal.lines()[0]
    assert any('expressionJson: {"arity":"literal"' in line for line in terminal.lines())


def test_real_terminal_escape_leaves_the_preview(tgedit: Opener) -> None:
    terminal = opened(tgedit)
    renamed(terminal)
    terminal.press("p")
    terminal.wait_for("PUT body (minimal)")
    terminal.press("escape")
    terminal.wait_gone("PUT body (minimal)")
    terminal.wait_cursor_on(RENAMED)


def test_real_terminal_escape_leaves_the_submit_question_and_sends_nothing(
    tgedit: Opener, stub: StubServer
) -> None:
    terminal = opened(tgedit)
    renamed(terminal)
    terminal.press("ctrl+s")
    terminal.wait_for("Send 1 change?")
    terminal.press("escape")
    terminal.wait_gone("Send 1 change?")
    assert "● 1 change" in terminal.lines()[0]
    assert stub.requests("PUT") == []


def test_real_terminal_escape_leaves_help(tgedit: Opener) -> None:
    terminal = opened(tgedit)
    terminal.press("?")
    terminal.wait_for("In the tree", "Actions")
    terminal.press("escape")
    terminal.wait_gone("In the tree")
    terminal.wait_cursor_on(NAME)


def test_real_terminal_escape_leaves_find_where_it_was(tgedit: Opener) -> None:
    terminal = opened(tgedit)
    terminal.press("/")
    terminal.type("targets[3006]", each=lambda so_far: terminal.wait_for(so_far, deadline=5))
    terminal.press("escape")
    terminal.wait_gone("targets[3006]")
    terminal.wait_for("e Edit")  # the tree's keys are back in the footer
    terminal.wait_cursor_on(f"name: {NAME}")  # escape does not jump


def test_real_terminal_escape_leaves_the_quit_question(tgedit: Opener) -> None:
    terminal = opened(tgedit)
    renamed(terminal)
    terminal.press("q")
    terminal.wait_for("y  quit")
    terminal.press("escape")
    terminal.wait_gone("y  quit")
    assert terminal.child.isalive()
    assert "● 1 change" in terminal.lines()[0]


# --- quit ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
def test_real_terminal_quit_with_changes_asks_first(tgedit: Opener, key: str) -> None:
    terminal = opened(tgedit)
    renamed(terminal)
    terminal.press(key)
    terminal.wait_for("y  quit")
    terminal.press("n")
    terminal.wait_gone("y  quit")
    assert terminal.child.isalive(), f"{key} then n: still editing"
    terminal.press(key)
    terminal.wait_for("y  quit")
    terminal.press("y")
    assert terminal.ended() == 0


def test_real_terminal_quit_without_changes_does_not_ask(tgedit: Opener) -> None:
    terminal = opened(tgedit)
    terminal.press("q")
    assert terminal.ended() == 0


# --- 80×24 --------------------------------------------------------------------------------------


def test_real_terminal_80x24_a_long_name_keeps_the_change_count_in_the_top_bar(
    tgedit: Opener,
) -> None:
    terminal = opened(tgedit, "80x24")
    long_name = "A much longer name for this target group, to fill the bar"
    edit_inline(terminal, long_name)
    terminal.press("enter")
    terminal.wait_for(f"● name: {long_name[:20]}")
    terminal.wait_until(lambda: "● 1 change" in terminal.lines()[0], "the count in the top bar")
    assert f"group {GROUP} · A much" in terminal.lines()[0], "the name is cut, not dropped"
    terminal.wait_until(
        lambda: "? Help" in terminal.lines()[-1] and "q Quit" in terminal.lines()[-1],
        "help and quit in the footer",
    )


# --- demo ---------------------------------------------------------------------------------------


def test_real_terminal_demo_opens_edits_and_quits(tgedit: Opener) -> None:
    terminal = loaded(tgedit("demo"))
    assert "no changes" in terminal.lines()[0]
    renamed(terminal)
    terminal.press("p")
    terminal.wait_for(json.dumps({"id": GROUP, "name": RENAMED}))
    terminal.press("escape")
    terminal.wait_gone("PUT body (minimal)")
    terminal.press("q")
    terminal.wait_for("y  quit")
    terminal.press("y")
    assert terminal.ended() == 0
