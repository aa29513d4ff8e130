"""``tgedit set``: checks before any PUT, the exact body, confirmation, conflicts, faults."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_support import (  # noqa: F401 (the fixtures clean_env and on_stub)
    assert_one_clear_line,
    clean_env_fixture,
    on_stub_fixture,
    run_with,
    stub_env,
    the_error,
)

from tui.api.auth import basic_authorization
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer

PUT_2762 = "/v3/targetGroups/editTargetGroup/2762"


def puts(stub: StubServer) -> list[object]:
    return [r.json() for r in stub.requests("PUT")]


def test_dry_run_prints_exactly_the_body_and_sends_nothing(on_stub: StubServer) -> None:
    run = run_with(["set", "2762", "name=Renamed", "--dry-run"])
    assert run.code == 0, run.err
    assert run.out == '{"id": 2762, "name": "Renamed"}\n'
    assert puts(on_stub) == []
    assert on_stub.group(2762)["name"] == "uatTargetGroup80"


def test_yes_sends_that_body_with_basic_auth_and_show_sees_it(on_stub: StubServer) -> None:
    run = run_with(["set", "2762", "name=Renamed", "--yes"])
    assert run.code == 0, run.err
    (put,) = on_stub.requests("PUT")
    assert put.path == PUT_2762
    assert put.body == b'{"id": 2762, "name": "Renamed"}'
    assert put.headers["Authorization"] == basic_authorization("demo", "demo")
    assert "name: uatTargetGroup80 → Renamed" in run.out
    shown = run_with(["show", "2762"])
    assert shown.out.startswith("Target group 2762 · Renamed\n")
    assert "   name:" in shown.out and "Renamed" in shown.out


def test_the_put_is_written_to_the_audit_log(on_stub: StubServer, clean_env: Path) -> None:
    assert run_with(["set", "2762", "description=audited", "--yes"]).code == 0
    lines = (clean_env / "state" / "tgedit" / "audit.jsonl").read_text().splitlines()
    entry = json.loads(lines[-1])
    assert entry["body"] == {"id": 2762, "description": "audited"}
    assert entry["outcome"] == "applied"
    assert "demo" not in entry["baseUrl"]


@pytest.mark.parametrize(
    ("assignment", "complaint"),
    [
        ("orgId=5", "orgId is read-only"),
        ("id=5", "id is read-only"),
        ("targets[3006].defaultValues[127052].defaultValue=4", "is read-only"),
        ("name=", "name: Name must not be blank"),
        ("name=" + "x" * 201, "at most 200 characters"),
        ("preferredTillId=abc", "must be a whole number, not 'abc'"),
        ("preferredTillId=-3", "positive whole number"),
        ("targets[3006].expressionJson=[1]", "must hold a JSON object"),
        ("targets[9].expression=x", "no element with id 9 (ids: 3006)"),
        ("targets[.expression=x", "expected a closing ']' at column 8"),
        ("bogus=1", "bogus is not a field tgedit knows; the fields that may change are name"),
        ("no-equals-sign", "is not PATH=VALUE"),
        ("targets[3006].expression=currentTxn.value>>500", "at column 18"),
    ],
)
def test_a_bad_assignment_exits_2_and_sends_nothing(
    on_stub: StubServer, assignment: str, complaint: str
) -> None:
    run = run_with(["set", "2762", assignment, "--yes"])
    assert run.code == 2
    assert complaint in run.err
    assert_one_clear_line(run.err)
    assert puts(on_stub) == []
    assert run.out == ""


def test_one_bad_assignment_among_good_ones_sends_nothing(on_stub: StubServer) -> None:
    run = run_with(["set", "2762", "name=Fine", "orgId=5", "--yes"])
    assert run.code == 2
    assert puts(on_stub) == []


def test_a_field_given_twice(on_stub: StubServer) -> None:
    run = run_with(["set", "2762", "name=a", "name=b", "--dry-run"])
    assert (run.code, run.err.strip()) == (2, "tgedit: name is given twice; give each field once")


def test_the_value_is_split_at_the_first_equals_sign(on_stub: StubServer) -> None:
    run = run_with(["set", "2762", "description=a=b", "--dry-run"])
    assert run.out == '{"id": 2762, "description": "a=b"}\n'


def test_no_terminal_and_no_yes_is_refused_before_any_request(on_stub: StubServer) -> None:
    run = run_with(["set", "2762", "name=Renamed"], tty_in=False)
    assert run.code == 2
    assert "pass --yes" in run.err
    assert_one_clear_line(run.err)
    assert on_stub.received == []


def test_a_terminal_is_asked_and_yes_sends(on_stub: StubServer) -> None:
    run = run_with(["set", "2762", "name=Asked"], stdin="y\n", tty_in=True)
    assert run.code == 0, run.err
    assert "name: uatTargetGroup80 → Asked" in run.err
    assert "Send these changes to target group 2762" in run.err and "[y/N]" in run.err
    assert puts(on_stub) == [{"id": 2762, "name": "Asked"}]


@pytest.mark.parametrize("answer", ["\n", "n\n", "nope\n", ""])
def test_anything_but_yes_sends_nothing(on_stub: StubServer, answer: str) -> None:
    # A refusal is the person's choice, not a usage error (2): exit 5, said plainly.
    run = run_with(["set", "2762", "name=Asked"], stdin=answer, tty_in=True)
    assert run.code == 5
    assert run.err.endswith("[y/N] Nothing sent.\n")
    assert "tgedit:" not in run.err
    assert puts(on_stub) == []


def test_a_moved_last_updated_on_exits_3_and_sends_nothing(on_stub: StubServer) -> None:
    on_stub.faults.concurrent_edit = True
    run = run_with(["set", "2762", "name=Mine", "--yes"])
    assert run.code == 3
    assert puts(on_stub) == []
    conflict = the_error(run.err)
    assert "changed on the server since it was fetched" in conflict
    assert "lastUpdatedOn 2025-11-18T13:51:31.644+0000 → " in conflict
    assert "nothing was sent" in conflict
    # it names what the other person changed
    assert "  description: description update number 3 → " in run.err
    assert on_stub.group(2762)["name"] == "uatTargetGroup80"


def test_expression_regenerates_expression_json(on_stub: StubServer) -> None:
    run = run_with(["set", "2762", "targets[3006].expression=currentTxn.value>500", "--dry-run"])
    body = json.loads(run.out)
    (target,) = body["targets"]
    assert target["expression"] == "currentTxn.value>500"
    tree = json.loads(target["expressionJson"])
    assert tree["arity"] == "binary_operation" and tree["value"] == ">"


def test_no_sync_sends_the_expression_json_given_not_a_regenerated_one(
    on_stub: StubServer,
) -> None:
    expression = "currentTxn.value>500"
    synced = json.loads(
        run_with(["set", "2762", f"targets[3006].expression={expression}", "--dry-run"]).out
    )
    # The same tree, written by hand with other spacing: --no-sync sends it as given.
    by_hand = json.dumps(json.loads(synced["targets"][0]["expressionJson"]), indent=1)
    argv = [
        "set",
        "2762",
        f"targets[3006].expression={expression}",
        f"targets[3006].expressionJson={by_hand}",
        "--no-sync",
        "--dry-run",
    ]
    run = run_with(argv)
    assert run.code == 0, run.err
    (target,) = json.loads(run.out)["targets"]
    assert target == {"id": 3006, "expression": expression, "expressionJson": by_hand}


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "sent"])
def test_no_sync_never_sends_an_expression_that_does_not_parse(
    on_stub: StubServer, dry_run: bool
) -> None:
    argv = ["set", "2762", "targets[3006].expression=currentTxn.value >", "--no-sync"]
    run = run_with([*argv, "--dry-run" if dry_run else "--yes"])
    assert run.code == 2
    assert "targets[3006].expression does not parse" in run.err
    assert run.out == ""
    assert on_stub.requests("PUT") == []


def test_no_sync_never_sends_an_expression_its_expression_json_disagrees_with(
    on_stub: StubServer,
) -> None:
    argv = ["set", "2762", "targets[3006].expression=currentTxn.value>500", "--no-sync", "--yes"]
    run = run_with(argv)
    assert run.code == 2
    assert "targets[3006].expression and its expressionJson disagree" in run.err
    assert on_stub.requests("PUT") == []


def test_full_body(on_stub: StubServer) -> None:
    run = run_with(["set", "2762", "name=Full", "--dry-run", "--body", "full"])
    body = json.loads(run.out)
    assert body["name"] == "Full" and body["id"] == 2762
    assert "periods" in body and "targets" in body
    assert "attribution" not in body and "orgId" not in body


def test_full_body_from_the_config_file(on_stub: StubServer, clean_env: Path) -> None:
    config = clean_env / "config" / "tgedit" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('body = "full"\n')
    body = json.loads(run_with(["set", "2762", "name=Full", "--dry-run"]).out)
    assert "periods" in body


def test_nothing_to_change(on_stub: StubServer) -> None:
    run = run_with(["set", "2762", "name=uatTargetGroup80", "--yes"])
    assert run.code == 0
    assert "already has those values" in run.err
    assert puts(on_stub) == []


def test_errors_of_a_refused_put(on_stub: StubServer) -> None:
    on_stub.faults.put_status = 400
    on_stub.faults.put_errors = [{"code": 310069, "message": "a group of that name exists"}]
    run = run_with(["set", "2762", "name=Taken", "--yes"])
    assert run.code == 1
    assert "310069" in run.err and "a group of that name exists" in run.err
    the_error(run.err)
    assert run.out == ""


def test_an_unknown_group(on_stub: StubServer) -> None:
    run = run_with(["set", "9999", "name=x", "--dry-run"])
    assert run.code == 1
    assert "9999" in run.err
    assert_one_clear_line(run.err)


def test_server_warnings_are_printed_as_code_and_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tui.api.replies import warning_items
    from tui.api.results import EditResult
    from tui.cli.common import Io
    from tui.cli.sending import report_result
    from tui.session.edit import EditSession

    session = EditSession({"id": 1, "name": "a"})
    session.set("name", "b")
    warning = {"code": 0, "message": "field orgId is read-only and was ignored", "field": "orgId"}
    warnings = warning_items([warning, "plain \x1b[2J"])  # as read from the reply
    report_result(EditResult({"id": 1, "name": "b"}, warnings, 200), session, Io())
    out, err = capsys.readouterr()
    assert out == "Updated target group 1:\n  name: a → b\n"
    assert "warning from the server: 0: field orgId is read-only and was ignored" in err
    assert "warning from the server: plain ␛[2J" in err


@pytest.mark.parametrize(
    ("spoil", "path"),
    [
        (lambda g: g["targets"][0].__setitem__("active", "yes"), "targets[3006].active"),
        (lambda g: g["periods"][0].__setitem__("startDate", 20260101), "periods[30148].startDate"),
        (lambda g: g.__setitem__("targets", {"3006": {}}), "targets"),
    ],
)
def test_a_group_of_the_wrong_shape_is_refused_before_anything_is_printed(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, spoil: Any, path: str
) -> None:
    groups = sample_groups()
    spoil(groups[0])
    with StubServer(groups, port=0, username="demo", password="demo") as server:
        for name, value in stub_env(server).items():
            monkeypatch.setenv(name, value)
        run = run_with(["set", "2762", "name=x", "--dry-run"])
        assert server.requests("PUT") == []
    assert run.code == 1
    assert run.out == ""
    assert "wrong shape" in run.err and path in run.err
    assert_one_clear_line(run.err)


def test_a_dry_run_does_without_pydantic(on_stub: StubServer) -> None:
    # The headless path checks the group's shape without the models (issue 10): a whole
    # process, since this one has imported pydantic long ago.
    script = (
        "import sys; from tui.cli.main import main; code = main(sys.argv[1:]); "
        "print('pydantic' in sys.modules, code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "set", "2762", "name=Renamed", "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.splitlines() == ['{"id": 2762, "name": "Renamed"}', "False 0"], done.stderr
