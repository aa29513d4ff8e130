"""``tgedit show`` and ``tgedit list``: the tree, the marks, colour rules, hostile text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import (  # noqa: F401 (the fixtures clean_env and on_stub)
    assert_one_clear_line,
    clean_env_fixture,
    on_stub_fixture,
    run_with,
    serving,
    stub_env,
)

from tui.fields.marks import CHANGED_MARK, EDITABLE_MARK, READ_ONLY_MARK
from tui.session.draft import DraftStore
from tui.session.draft_file import Draft
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer

SGR = re.compile(r"\x1b\[[0-9;]*m")


def test_the_tree_of_group_2762(on_stub: StubServer) -> None:
    run = run_with(["show", "2762"])
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0] == "Target group 2762 · uatTargetGroup80"
    assert f"  {READ_ONLY_MARK}orgId:" in run.out
    assert f"  {EDITABLE_MARK}name:" in run.out
    assert f"  {EDITABLE_MARK}preferredTillId:" in run.out
    assert f"  {READ_ONLY_MARK}Periods [2]" in lines
    assert f"    {READ_ONLY_MARK}30148 · Cycle_2 · 2025-05-11 → 2025-05-11 · ENDED" in lines
    assert f"    {READ_ONLY_MARK}30147 · Cycle_1 · 2025-06-11 → 2025-06-11 · ENDED" in lines
    assert f"  {EDITABLE_MARK}Targets [1]" in lines
    assert "3006 · uat_target_group_80 · COUNT on EVENT   (targets[3006])" in run.out
    assert re.search(r"   expression: +true$", run.out, re.MULTILINE)
    # default values are labelled with their period's refCode and dates
    assert f"{READ_ONLY_MARK}127052 · Cycle_1 · 2025-06-11 → 2025-06-11 = 1" in run.out
    assert f"{READ_ONLY_MARK}extendedFieldInfo: points · SUM" in run.out
    assert "by naman (75152721)" in run.out
    assert "tgedit set 2762 'targets[3006].expression=…'" in lines[-1]


# The group as a server might lay it out: odd spacing, its own key order, a float spelled
# with a trailing zero, a non-ASCII letter raw and one escaped. ``show --json`` must print
# this text exactly, not json.loads + json.dumps of it.
ODD_DATA = (
    '{ "name" :"uat  group",\n\t"id":2762,  "orgId" : 50074,\r\n "description": "caf\u00e9 é",'
    ' "targets" : [ ], "weight": 1.50 ,"periods":[],"active":true}'
)


def test_json_prints_data_byte_for_byte_as_the_server_sent_it(
    stub: StubServer, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fault_support import Front, Reply

    reply = '{"errors" : null ,"data":   ' + ODD_DATA + ' ,\n "warnings": []}'
    front = Front(stub).start()
    try:
        front.fail("GET", Reply(200, reply.encode("utf-8")))
        for name, value in {**stub_env(stub), "CAP_API_BASE_URL": front.base_url}.items():
            monkeypatch.setenv(name, value)
        run = run_with(["show", "2762", "--json"])
    finally:
        front.stop()
    assert run.code == 0, run.err
    assert run.out == ODD_DATA + "\n"


def test_raw_member_finds_the_value_text_of_a_key() -> None:
    from tui.api.replies import raw_member

    assert raw_member('{"a": 1, "data" : {"x" : [1, 2]} }', "data") == '{"x" : [1, 2]}'
    assert raw_member('{"data": "}", "b": 2}', "data") == '"}"'
    assert raw_member('{"data": 1, "data": 2.0}', "data") == "2.0", "the last, as json.loads"
    assert raw_member('{"other": {"data": 1}}', "data") is None, "only a top-level key"
    assert raw_member("[1]", "data") is None
    assert raw_member('{"data": tru}', "data") is None


def test_streaks(on_stub: StubServer) -> None:
    run = run_with(["show", "18044"])
    assert f"  {READ_ONLY_MARK}Streaks [2]" in run.out
    assert f"{READ_ONLY_MARK}1415 · streakTest13test124 · 1 in a row" in run.out
    assert "activePeriod:" in run.out and "22057 · period44" in run.out


def test_json_is_the_group_as_received(on_stub: StubServer) -> None:
    run = run_with(["show", "2762", "--json"])
    assert run.code == 0
    shown = json.loads(run.out)
    assert shown == on_stub.group(2762)
    assert list(shown) == list(on_stub.group(2762))  # the server's key order


def test_no_colour_when_not_a_terminal_yet_read_only_is_marked(on_stub: StubServer) -> None:
    run = run_with(["show", "2762"], tty_out=False)
    assert "\x1b" not in run.out
    assert run.out.count(READ_ONLY_MARK) > 20


def test_colour_on_a_terminal(on_stub: StubServer) -> None:
    run = run_with(["show", "2762"], tty_out=True)
    assert f"\x1b[2m  {READ_ONLY_MARK}orgId:" not in run.out  # the indent is not painted
    assert f"  \x1b[2m{READ_ONLY_MARK}orgId:" in run.out
    assert f"  {EDITABLE_MARK}name:" in run.out  # editable stays plain


def test_no_color_wins_over_a_terminal(
    on_stub: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    run = run_with(["show", "2762"], tty_out=True)
    assert "\x1b" not in run.out
    assert f"  {READ_ONLY_MARK}orgId:" in run.out


def test_an_unsent_draft_is_shown_marked(on_stub: StubServer) -> None:
    DraftStore().save(
        Draft(
            base_url=on_stub.base_url,
            group_id=2762,
            last_updated_on="2025-11-18T13:51:31.644+0000",
            changes=[("name", "Drafted"), ("targets[3006].description", "later")],
        )
    )
    run = run_with(["show", "2762"])
    # the title is the server's name; the draft is said on its own line under it
    title, note = run.out.splitlines()[:2]
    assert title == "Target group 2762 · uatTargetGroup80"
    assert note.startswith("An unsent draft") and "changes 2 fields, marked ●" in note
    assert re.search(rf"  {CHANGED_MARK}name: +Drafted   \(server: uatTargetGroup80\)", run.out)
    assert re.search(rf"{CHANGED_MARK}description: +later   \(server: \"\"\)", run.out)
    assert "tgedit edit 2762" in run.out


def test_an_unknown_group(on_stub: StubServer) -> None:
    run = run_with(["show", "9999"])
    assert run.code == 1
    assert "9999" in run.err
    assert_one_clear_line(run.err)
    assert run.out == ""


# --- hostile text from the server ---------------------------------------------------------

HOSTILE_NAME = "\x1b[2J[red]x\x1b]52;c;AAAA\x07"


def hostile_groups() -> list[dict[str, Any]]:
    groups = sample_groups()
    group = next(g for g in groups if g["id"] == 2762)
    group["name"] = HOSTILE_NAME
    group["description"] = "line one\r\nline two\x9b31m \u202eevil"
    group["targets"][0]["name"] = "[bold]target[/] \x07"
    group["periods"][0]["refCode"] = "\x1b[31mred"
    group["futureField"] = {"flag": "\x1b[1mbold"}  # a field the API docs never named
    return groups


@pytest.fixture
def hostile_stub(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StubServer]:
    with serving(hostile_groups(), monkeypatch) as server:
        yield server


@pytest.mark.parametrize("tty", [False, True])
def test_hostile_text_is_printed_as_visible_symbols(hostile_stub: StubServer, tty: bool) -> None:
    run = run_with(["show", "2762"], tty_out=tty)
    assert run.code == 0, run.err
    ours_removed = SGR.sub("", run.out)
    for control in ("\x1b", "\x07", "\r", "\x9b", "\u202e"):
        assert control not in ours_removed
    assert "Target group 2762 · ␛[2J[red]x␛]52;c;AAAA␇" in ours_removed
    assert "line one␍⏎line two\\x9b31m \\u202eevil" in ours_removed
    assert "[bold]target[/] ␇" in ours_removed
    assert "30148 · ␛[31mred · 2025-05-11" in ours_removed
    assert f"  {READ_ONLY_MARK}Other fields (not in the API docs, sent back unchanged)" in (
        ours_removed
    )
    assert f'    {READ_ONLY_MARK}futureField: {{"flag": "\\u001b[1mbold"}}' in ours_removed


def test_hostile_text_in_json_stays_escaped(hostile_stub: StubServer) -> None:
    run = run_with(["show", "2762", "--json"])
    for control in ("\x1b", "\x07", "\r", "\x9b"):
        assert control not in run.out
    assert json.loads(run.out)["name"] == HOSTILE_NAME


def test_hostile_names_in_the_list(hostile_stub: StubServer) -> None:
    run = run_with(["list"])
    assert "\x1b" not in run.out and "\x07" not in run.out
    assert "␛[2J[red]x␛]52;c;AAAA␇" in run.out


# --- list ------------------------------------------------------------------------------------


def test_list_has_aligned_columns(on_stub: StubServer) -> None:
    run = run_with(["list"])
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "ACTIVE", "DATES", "TRACKING"]
    assert re.fullmatch(r"2762 +uatTargetGroup80 +yes +2025-05-11 → 2025-06-11 +DEFAULT", lines[1])
    assert len(lines) == 1 + len(sample_groups())
    name_column = lines[0].index("NAME")
    assert all(line[name_column - 1] == " " and line[name_column] != " " for line in lines)


def test_list_json(on_stub: StubServer) -> None:
    run = run_with(["list", "--json"])
    assert [g["id"] for g in json.loads(run.out)] == [2762, 18044, 2310, 2306]


def test_list_active_only_asks_the_server(on_stub: StubServer) -> None:
    run_with(["list", "--active-only"])
    (request,) = on_stub.requests("GET")
    assert request.query["includeOnlyActive"] == "true"


@pytest.mark.parametrize("command", ["show", "set", "edit", "history", "export"])
@pytest.mark.parametrize("word", ["-5", "0", "abc"])
def test_an_id_that_is_no_group_id_is_a_usage_error_and_nothing_is_sent(
    on_stub: StubServer, capsys: pytest.CaptureFixture[str], command: str, word: str
) -> None:
    on_stub.clear_received()
    argv = [command, "--", word] + (["name=x", "--dry-run"] if command == "set" else [])
    assert run_with(argv).code == 2
    # argparse's usage errors go to the process's stderr
    said = "is not a target group id (a positive whole number)"
    assert f"'{word}' {said}" in capsys.readouterr().err
    assert on_stub.received == []


def test_a_target_whose_two_expressions_disagree_is_marked(on_stub: StubServer) -> None:
    (target,) = on_stub.store.targets(2762) or []
    target["expression"] = "currentTxn.value > 500"  # expressionJson still says "true"
    on_stub.edit_as_someone_else(2762, targets=[target])
    run = run_with(["show", "2762"])
    assert run.code == 0
    assert (
        "⚠ targets[3006]: expression and expressionJson disagree: they describe different rules"
        in run.out
    )
    assert "disagree" not in run_with(["show", "18044"]).out  # its targets agree
