"""Config as code against the stand-in over HTTP: ``tgedit export``, ``diff``, ``apply``,
``revert`` and the audit entries they read and write."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from cli_support import (  # noqa: F401 (the fixtures clean_env and on_stub)
    FakeTerminal,
    assert_one_clear_line,
    clean_env_fixture,
    on_stub_fixture,
    run_with,
)

from tui.api.auth import basic_authorization
from tui.cli.common import Io
from tui.cli.main import main
from tui.expressions import expression_json_for
from tui.session.audit import AuditLog
from tui.stub.server import StubServer

THREE = ("2762", "18044", "2310")


def served_data(stub: StubServer, group_id: int) -> Any:
    """The ``data`` of the stand-in's GET reply, parsed from the bytes it sent."""
    reply = httpx.get(
        f"{stub.base_url}/v3/targetGroups/{group_id}?includePeriods=true",
        headers={"Authorization": basic_authorization("demo", "demo")},
    )
    return json.loads(reply.text)["data"]


def export(tmp: Path, *ids: str) -> Path:
    folder = tmp / "files"
    run = run_with(["export", *ids, "--dir", str(folder)])
    assert run.code == 0, run.err
    assert run.out.splitlines() == [str(folder / f"{i}.json") for i in ids]
    return folder


def edit_file(path: Path, change: Any) -> None:
    group = json.loads(path.read_text(encoding="utf-8"))
    change(group)
    path.write_text(json.dumps(group, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def puts(stub: StubServer) -> list[Any]:
    return [r.json() for r in stub.requests("PUT")]


def audit(clean_env: Path) -> list[dict[str, Any]]:
    return AuditLog(clean_env / "state" / "tgedit" / "audit.jsonl").entries()


# --- export ------------------------------------------------------------------------------


def test_export_writes_exactly_the_data_served(on_stub: StubServer, clean_env: Path) -> None:
    folder = export(clean_env, "2762", "18044")
    for group_id in (2762, 18044):
        data = served_data(on_stub, group_id)
        expected = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        written = (folder / f"{group_id}.json").read_bytes()
        assert written == expected.encode("utf-8")
        assert list(json.loads(written)) == list(data)  # the server's key order
    again = export(clean_env, "2762")
    assert (again / "2762.json").read_bytes() == (folder / "2762.json").read_bytes()


def test_export_out_file_and_stdout(on_stub: StubServer, clean_env: Path) -> None:
    target = clean_env / "one.json"
    assert run_with(["export", "2762", "--out", str(target)]).code == 0
    to_stdout = run_with(["export", "2762", "--out", "-"])
    assert to_stdout.out == target.read_text(encoding="utf-8")
    assert json.loads(to_stdout.out) == served_data(on_stub, 2762)


def test_export_all_shows_progress_on_a_terminal(on_stub: StubServer, clean_env: Path) -> None:
    folder = clean_env / "all"
    stdout, stderr = io.StringIO(), FakeTerminal()
    code = main(["export", "--all", "--dir", str(folder)], Io(stdout=stdout, stderr=stderr))
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{i}.json" for i in on_stub.store.ids()
    )
    assert "4 of 4" in stderr.getvalue()


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["export"], "give target group ids, or --all"),
        (["export", "2762", "--all"], "give target group ids, or --all"),
        (["export", "2762", "18044", "--out", "x.json"], "--out takes one target group"),
        (["export", "2762", "--active-only"], "--active-only goes with --all"),
    ],
)
def test_export_usage_mistakes_exit_2(on_stub: StubServer, argv: list[str], complaint: str) -> None:
    run = run_with(argv)
    assert run.code == 2
    assert complaint in run.err
    assert on_stub.received == []


# --- apply -------------------------------------------------------------------------------


def test_round_trip_without_an_edit_sends_nothing(on_stub: StubServer, clean_env: Path) -> None:
    folder = export(clean_env, *THREE)
    run = run_with(["apply", *(str(folder / f"{i}.json") for i in THREE)])
    assert run.code == 0, run.err
    assert run.out.splitlines() == [f"{i}: no changes" for i in THREE]
    assert puts(on_stub) == []


def test_a_name_and_an_expression_give_one_minimal_put_then_nothing(
    on_stub: StubServer, clean_env: Path
) -> None:
    folder = export(clean_env, "2762", "18044")
    old_json = on_stub.group(2762)["targets"][0]["expressionJson"]

    def change(group: dict[str, Any]) -> None:
        group["name"] = "Summer milestone"
        group["targets"][0]["expression"] = "currentTxn.value>800"  # expressionJson left stale

    edit_file(folder / "2762.json", change)
    files = [str(folder / "2762.json"), str(folder / "18044.json")]
    run = run_with(["apply", *files, "--yes"])
    assert run.code == 0, run.err
    assert puts(on_stub) == [
        {
            "id": 2762,
            "name": "Summer milestone",
            "targets": [
                {
                    "id": 3006,
                    "expression": "currentTxn.value>800",
                    "expressionJson": expression_json_for("currentTxn.value>800", old_json),
                }
            ],
        }
    ]
    assert "18044: no changes" in run.out and "2762: sent" in run.out
    assert "targets[3006]: expressionJson did not match the expression; regenerated" in run.err

    on_stub.clear_received()
    second = run_with(["apply", *files, "--yes"])
    assert second.code == 0, second.err
    assert second.out.splitlines() == ["2762: no changes", "18044: no changes"]
    assert puts(on_stub) == []


def test_dry_run_prints_each_body_and_sends_nothing(on_stub: StubServer, clean_env: Path) -> None:
    folder = export(clean_env, "2762")
    edit_file(folder / "2762.json", lambda g: g.update(description="From a file"))
    run = run_with(["apply", str(folder / "2762.json"), "--dry-run"])
    assert run.code == 0, run.err
    assert run.out == '{"id": 2762, "description": "From a file"}\n'
    assert puts(on_stub) == []


def test_a_changed_org_id_in_one_of_three_files_sends_nothing(
    on_stub: StubServer, clean_env: Path
) -> None:
    folder = export(clean_env, *THREE)
    edit_file(folder / "18044.json", lambda g: g.update(name="Would be fine"))
    edit_file(folder / "2762.json", lambda g: g.update(orgId=5))
    run = run_with(["apply", *(str(folder / f"{i}.json") for i in THREE), "--yes"])
    assert run.code == 2
    assert_one_clear_line(run.err)
    assert "2762.json: orgId is read-only" in run.err
    assert "live 100737, file 5" in run.err
    assert puts(on_stub) == []


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda g: g.update(name=""), "name: Name must not be blank"),
        (lambda g: g.update(preferredTillId=-1), "positive whole number"),
        (lambda g: g["targets"][0].update(expression="currentTxn.value>>5"), "does not parse"),
        (lambda g: g["periods"].pop(), "only in the live group"),
        (lambda g: g["targets"][0].update(id=9), "targets[9]: only in the file"),
    ],
)
def test_a_broken_rule_exits_2_naming_the_path(
    on_stub: StubServer, clean_env: Path, change: Any, complaint: str
) -> None:
    folder = export(clean_env, "2762")
    edit_file(folder / "2762.json", change)
    run = run_with(["apply", str(folder / "2762.json"), "--yes"])
    assert run.code == 2
    assert complaint in run.err
    assert puts(on_stub) == []


def test_someone_elses_edit_stops_the_apply_unless_overwrite(
    on_stub: StubServer, clean_env: Path
) -> None:
    folder = export(clean_env, "2762")
    edit_file(folder / "2762.json", lambda g: g.update(name="Mine"))
    on_stub.edit_as_someone_else(2762)
    run = run_with(["apply", str(folder / "2762.json"), "--yes"])
    assert run.code == 3
    assert "changed on the server since the file was exported" in run.err
    assert puts(on_stub) == []

    forced = run_with(["apply", str(folder / "2762.json"), "--yes", "--overwrite"])
    assert forced.code == 0, forced.err
    (body,) = puts(on_stub)
    # The file's values win: the other person's description is put back too.
    assert body["name"] == "Mine" and "description" in body
    assert on_stub.group(2762)["name"] == "Mine"


def test_someone_elses_edit_of_an_unchanged_group_is_no_conflict(
    on_stub: StubServer, clean_env: Path
) -> None:
    folder = export(clean_env, "2762")
    on_stub.edit_as_someone_else(2762, name="Theirs")
    edit_file(folder / "2762.json", lambda g: g.update(name="Theirs"))
    run = run_with(["apply", str(folder / "2762.json"), "--yes"])
    assert (run.code, run.out) == (0, "2762: no changes\n")


def test_a_failed_put_stops_the_run_and_says_what_was_sent(
    on_stub: StubServer, clean_env: Path
) -> None:
    folder = export(clean_env, *THREE)
    edit_file(folder / "2762.json", lambda g: g.update(description="first"))
    # A name another group has: the stand-in refuses it (310069), as the API does.
    other = on_stub.group(2306)["name"]
    edit_file(folder / "18044.json", lambda g: g.update(name=other))
    edit_file(folder / "2310.json", lambda g: g.update(description="third"))
    run = run_with(["apply", *(str(folder / f"{i}.json") for i in THREE), "--yes"])
    assert run.code == 1
    assert "the PUT for target group 18044 failed, so the run stopped" in run.err
    assert "  sent: 2762" in run.err
    assert "  failed: 18044" in run.err and "310069" in run.err
    assert "  not sent: 2310" in run.err
    assert [p["id"] for p in puts(on_stub)] == [2762, 18044]
    assert on_stub.group(2762)["description"] == "first"
    assert on_stub.group(2310)["description"] != "third"
    entries = audit(clean_env)
    assert [(e["groupId"], e["outcome"]) for e in entries] == [
        (18044, "refused"),
        (2762, "applied"),
    ]


# --- hostile files --------------------------------------------------------------------


def _big(path: Path) -> None:
    with path.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)


@pytest.mark.parametrize(
    ("name", "write", "complaint"),
    [
        ("a.json", lambda p: p.write_text("{not json"), "is not JSON"),
        ("b.json", lambda p: p.write_text("[1, 2]"), "holds a list, not a target group"),
        ("c.json", lambda p: p.write_text('{"name": "x"}'), 'no numeric target group id ("id")'),
        ("d.json", _big, "is 50 MB; a target group file may be at most"),
        (
            "e\x1b[2J\x1b]52;c;aGk=\x07.json",
            lambda p: p.write_text("nope"),
            "e␛[2J␛]52;c;aGk=␇.json",
        ),
        ("f.json", lambda p: p.write_bytes(b"\xff\xfe{}"), "is not UTF-8"),
        ("g", lambda p: p.mkdir(), "is not a regular file"),
        (
            "h.json",
            lambda p: p.write_text('{"id": 2762, "name": "Alpha", "name": "Beta"}'),
            'h.json has the key "name" twice in one object',
        ),
        ("i.json", lambda p: p.write_text('{"id": 2762, "frequency": NaN}'), "holds NaN"),
    ],
)
def test_a_hostile_file_is_one_clear_line_and_nothing_is_sent(
    on_stub: StubServer, clean_env: Path, name: str, write: Any, complaint: str
) -> None:
    folder = export(clean_env, "2762")
    edit_file(folder / "2762.json", lambda g: g.update(name="Would be fine"))
    hostile = clean_env / name
    write(hostile)
    on_stub.clear_received()
    run = run_with(["apply", str(folder / "2762.json"), str(hostile), "--yes"])
    assert run.code == 2
    assert_one_clear_line(run.err)
    assert len(run.err.strip().splitlines()) == 1
    assert complaint in run.err
    assert "\x1b" not in run.err and "\x07" not in run.err
    assert on_stub.received == []


def test_two_files_for_one_group_are_refused(on_stub: StubServer, clean_env: Path) -> None:
    folder = export(clean_env, "2762")
    copy = clean_env / "copy.json"
    copy.write_bytes((folder / "2762.json").read_bytes())
    run = run_with(["apply", str(folder / "2762.json"), str(copy), "--yes"])
    assert run.code == 2
    assert "are both target group 2762" in run.err


# --- diff ----------------------------------------------------------------------------


def test_diff_of_a_file_shows_what_apply_would_send(on_stub: StubServer, clean_env: Path) -> None:
    folder = export(clean_env, "2762")
    file = str(folder / "2762.json")
    same = run_with(["diff", file])
    assert (same.code, same.out) == (0, "2762: no changes\n")
    edit_file(folder / "2762.json", lambda g: g.update(name="Renamed"))
    run = run_with(["diff", file])
    assert run.code == 4
    assert run.out == 'name: uatTargetGroup80 → Renamed\n\n{"id": 2762, "name": "Renamed"}\n'
    as_json = run_with(["diff", file, "--json"])
    assert as_json.code == 4
    assert json.loads(as_json.out) == [
        {
            "id": 2762,
            "file": file,
            "changes": [{"path": "name", "left": "uatTargetGroup80", "right": "Renamed"}],
            "problems": [],
            "changed_on_server": False,
        }
    ]
    assert puts(on_stub) == []


def test_diff_of_two_groups_pairs_targets_by_name(on_stub: StubServer, clean_env: Path) -> None:
    folder = export(clean_env, "2762", "18044")
    name = on_stub.group(2762)["targets"][0]["name"]
    edit_file(folder / "18044.json", lambda g: g["targets"][0].update(name=name))
    run = run_with(
        ["diff", "--sides", str(folder / "2762.json"), str(folder / "18044.json"), "--json"]
    )
    assert run.code == 4
    paths = {d["path"]: d for d in json.loads(run.out)}
    # The two targets are one pair, named by the left side's id; nothing is "absent".
    assert paths["targets[3006].id"] == {"path": "targets[3006].id", "left": 3006, "right": 33502}
    assert paths["targets[3006].targetEntity"]["right"] == "TRANSACTION"
    assert not any(p.startswith("targets[33502]") for p in paths)
    assert "targets[3006]" not in paths
    # Read-only fields are compared too.
    assert paths["fromDate"]["left"] != paths["fromDate"]["right"]

    mixed = run_with(["diff", "--sides", "2762", str(folder / "18044.json")])
    assert mixed.code == 4
    assert "targets and streaks pair by name" in mixed.out
    assert "targets[3006].targetEntity: EVENT → TRANSACTION" in mixed.out


def test_diff_of_identical_sides_exits_0(on_stub: StubServer, clean_env: Path) -> None:
    folder = export(clean_env, "2762")
    run = run_with(["diff", "--sides", "2762", str(folder / "2762.json")])
    assert run.code == 0, run.err
    assert run.out.endswith("no differences\n")


# --- history and revert ----------------------------------------------------------------


def test_revert_restores_the_exported_group_except_attribution(
    on_stub: StubServer, clean_env: Path
) -> None:
    folder = export(clean_env, "2762")
    exported = (folder / "2762.json").read_bytes()
    edit_file(
        folder / "2762.json",
        lambda g: (
            g.update(name="Changed", description="changed too"),
            g["targets"][0].update(expression="currentTxn.value>100"),
        ),
    )
    assert run_with(["apply", str(folder / "2762.json"), "--yes"]).code == 0
    (entry,) = audit(clean_env)
    assert entry["user"] == "demo"
    assert [c["path"] for c in entry["changes"]] == [
        "name",
        "description",
        "targets[3006].expression",
        "targets[3006].expressionJson",
    ]
    shown = run_with(["history"])
    assert shown.out.startswith(entry["id"] + "  ")
    assert "  name = Changed  (was uatTargetGroup80)" in shown.out

    on_stub.clear_received()
    declined = run_with(["revert", entry["id"][:5]], stdin="n\n", tty_in=True)
    assert declined.code == 5 and declined.err.endswith("[y/N] Nothing sent.\n")
    assert puts(on_stub) == []
    run = run_with(["revert", entry["id"][:5], "--yes"])
    assert run.code == 0, run.err
    now = json.loads(json.dumps(on_stub.group(2762)))
    before = json.loads(exported)
    now.pop("attribution"), before.pop("attribution")
    assert now == before
    on_stub.clear_received()
    twice = run_with(["revert", entry["id"], "--yes"])  # already back: nothing to send
    assert twice.code == 0, twice.err
    assert "Nothing to send" in twice.err
    assert puts(on_stub) == []
    newest = audit(clean_env)[0]
    assert newest["id"] != entry["id"]
    assert {c["path"]: c["after"] for c in newest["changes"]}["name"] == "uatTargetGroup80"


def test_revert_of_a_field_changed_since_exits_3_unless_overwrite(
    on_stub: StubServer, clean_env: Path
) -> None:
    original = on_stub.group(2762)["description"]
    assert run_with(["set", "2762", "name=Mine", "description=mine", "--yes"]).code == 0
    (entry,) = audit(clean_env)
    on_stub.edit_as_someone_else(2762, name="Theirs")
    on_stub.clear_received()
    run = run_with(["revert", entry["id"], "--yes"])
    assert run.code == 3
    assert "name: now Theirs (the entry set Mine)" in run.err
    assert puts(on_stub) == []
    dry = run_with(["revert", entry["id"], "--dry-run", "--overwrite"])
    assert json.loads(dry.out) == {"id": 2762, "name": "uatTargetGroup80", "description": original}
    assert puts(on_stub) == []
    forced = run_with(["revert", entry["id"], "--yes", "--overwrite"])
    assert forced.code == 0, forced.err
    assert on_stub.group(2762)["name"] == "uatTargetGroup80"


def test_entries_written_before_ids_still_read(on_stub: StubServer, clean_env: Path) -> None:
    log = clean_env / "state" / "tgedit" / "audit.jsonl"
    log.parent.mkdir(parents=True)
    old = {
        "time": "2025-01-01T00:00:00+0000",
        "baseUrl": on_stub.base_url,
        "groupId": 2762,
        "status": 200,
        "outcome": "applied",
        "errors": [],
        "warnings": [],
        "body": {"id": 2762, "name": "Old"},
    }
    log.write_text(json.dumps(old) + "\n")
    (entry,) = json.loads(run_with(["history", "--json"]).out)
    (again,) = json.loads(run_with(["history", "--json"]).out)
    assert entry["id"] == again["id"]  # stable
    assert "  name = Old" in run_with(["history"]).out
    run = run_with(["revert", entry["id"], "--yes"])
    assert run.code == 2
    assert "written by an older tgedit" in run.err
    assert puts(on_stub) == []


def test_set_refuses_an_expression_and_expression_json_that_disagree(on_stub: StubServer) -> None:
    other = expression_json_for("currentTxn.value>1")
    run = run_with(
        [
            "set",
            "2762",
            "targets[3006].expression=currentTxn.value>500",
            f"targets[3006].expressionJson={other}",
            "--yes",
        ]
    )
    assert run.code == 2
    assert "targets[3006]: expression and expressionJson describe different rules" in run.err
    assert puts(on_stub) == []


def test_user_is_never_a_secret() -> None:
    from tui.api.auth import BasicAuth, OAuthClientAuth, TokenAuth
    from tui.session.audit import user_label

    assert user_label(BasicAuth("store.server", "server123")) == "store.server"
    assert user_label(OAuthClientAuth("ck-4f1d2e3c9b8a", "s3cret")) == "client key …9b8a"
    assert user_label(TokenAuth("tok-123456")) is None


def test_the_files_need_no_terminal_for_no_changes(on_stub: StubServer, clean_env: Path) -> None:
    # Without --yes and without a terminal, a plan with nothing to send still succeeds.
    folder = export(clean_env, "2762")
    assert run_with(["apply", str(folder / "2762.json")]).code == 0
    edit_file(folder / "2762.json", lambda g: g.update(name="x"))
    refused = run_with(["apply", str(folder / "2762.json")])
    assert refused.code == 2 and "pass --yes" in refused.err
    declined = run_with(["apply", str(folder / "2762.json")], stdin="n\n", tty_in=True)
    assert declined.code == 5 and declined.err.endswith("[y/N] Nothing sent.\n")
    assert puts(on_stub) == []
    confirmed = run_with(["apply", str(folder / "2762.json")], stdin="y\n", tty_in=True)
    assert confirmed.code == 0, confirmed.err
    assert puts(on_stub) == [{"id": 2762, "name": "x"}]


def test_the_worked_session_with_the_installed_command(stub: StubServer, tmp_path: Path) -> None:
    """export → edit the file → diff → apply → history → revert, as the README shows it."""
    from cli_support import ENV_NAMES, stub_env
    from test_cli_process import TGEDIT

    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    env.update(
        stub_env(stub), XDG_CONFIG_HOME=str(tmp_path / "c"), XDG_STATE_HOME=str(tmp_path / "s")
    )

    def tgedit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(TGEDIT), *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )

    exported = tgedit("export", "2762")
    assert (exported.returncode, exported.stdout) == (0, "target-groups/2762.json\n")
    file = tmp_path / "target-groups" / "2762.json"
    original = file.read_bytes()
    file.write_text(
        file.read_text().replace('"expression": "true"', '"expression": "currentTxn.value>500"')
    )
    diff = tgedit("diff", "target-groups/2762.json")
    assert diff.returncode == 4
    assert diff.stdout.startswith("targets[3006].expression: true → currentTxn.value>500\n")
    applied = tgedit("apply", "target-groups/2762.json", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.endswith("2762: sent\n")
    assert tgedit("apply", "target-groups/2762.json", "--yes").stdout == "2762: no changes\n"
    history = tgedit("history", "--json")
    (entry,) = json.loads(history.stdout)
    reverted = tgedit("revert", entry["id"], "--yes")
    assert reverted.returncode == 0, reverted.stderr
    now = stub.group(2762)
    then = json.loads(original)
    now.pop("attribution"), then.pop("attribution")
    assert now == then


def test_in_a_file_the_expression_wins_over_a_hand_edited_expression_json(
    on_stub: StubServer, clean_env: Path
) -> None:
    folder = export(clean_env, "2762")
    other_rule = expression_json_for("currentTxn.value>1")
    edit_file(folder / "2762.json", lambda g: g["targets"][0].update(expressionJson=other_rule))
    run = run_with(["apply", str(folder / "2762.json"), "--yes"])
    assert (run.code, run.out) == (0, "2762: no changes\n")
    assert "targets[3006]: expressionJson did not match the expression; regenerated" in run.err
    assert puts(on_stub) == []


def test_export_all_active_only_skips_inactive_groups(on_stub: StubServer, clean_env: Path) -> None:
    on_stub.edit_as_someone_else(2310, active=False)
    folder = clean_env / "active"
    run = run_with(["export", "--all", "--active-only", "--dir", str(folder)])
    assert run.code == 0, run.err
    assert sorted(p.name for p in folder.iterdir()) == ["18044.json", "2306.json", "2762.json"]
