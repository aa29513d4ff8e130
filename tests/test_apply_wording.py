"""What ``tgedit apply`` says: a file has what it holds (it sends nothing), and its help
wraps between words, never inside a path (issue 21, item 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import (  # noqa: F401 (the fixtures clean_env and on_stub)
    clean_env_fixture,
    on_stub_fixture,
    run_with,
    the_error,
)

from tui.stub.server import StubServer


def test_a_file_with_a_wrong_type_is_said_to_have_it_not_to_have_sent_it(
    on_stub: StubServer, clean_env: Path
) -> None:
    folder = clean_env / "files"
    assert run_with(["export", "2762", "--dir", str(folder)]).code == 0
    path = folder / "2762.json"
    group = json.loads(path.read_text(encoding="utf-8"))
    group["name"] = 5
    path.write_text(json.dumps(group, indent=2) + "\n", encoding="utf-8")
    run = run_with(["apply", str(path), "--dry-run"])
    assert run.code == 2
    error = the_error(run.err)
    assert f"{path} has a number at name, where the API promises a string" in error, error
    assert " sent " not in error
    assert on_stub.requests("PUT") == []


def test_apply_help_at_80_columns_keeps_each_path_whole(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    run = run_with(["apply", "--help"])
    shown = capsys.readouterr().out + run.out
    assert run.code == 0
    assert "target-groups/2762.json" in shown and "target-groups/*.json" in shown, shown
    assert all(len(line) <= 80 for line in shown.splitlines())
