"""``tgedit edit`` and ``tgedit demo`` hand over to the editor with the resolved settings.

The editor itself is replaced here: these tests check the hand-over, not the UI.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from cli_support import (  # noqa: F401 (the fixtures clean_env and on_stub)
    assert_one_clear_line,
    clean_env_fixture,
    on_stub_fixture,
    run_with,
)

import tui.app.run
from tui.api.auth import BasicAuth
from tui.stub.server import StubServer

FIXTURE = Path(__file__).parent / "fixtures" / "edit-response-2762.json"


@pytest.fixture
def editor_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []

    def fake_run_editor(connection: Any, group_id: Any, file: Any, **options: Any) -> int:
        calls.append((connection, group_id, file, options))
        return 0

    monkeypatch.setattr(tui.app.run, "run_editor", fake_run_editor)
    return calls


def test_edit_an_id_with_the_connection_and_keymap(
    on_stub: StubServer, clean_env: Path, editor_calls: list[tuple[Any, ...]]
) -> None:
    config = clean_env / "config" / "tgedit" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('body = "full"\nclipboard = "off"\n[keys]\nsubmit = "ctrl+enter"\n')
    assert run_with(["edit", "2762"]).code == 0
    ((connection, group_id, file, options),) = editor_calls
    assert connection.base_url == on_stub.base_url
    assert connection.auth == BasicAuth("demo", "demo")
    assert (group_id, file) == (2762, None)
    # The GET was started before the editor: its reply is the group, not yet checked.
    fetched = asyncio.run(options.pop("prefetch").reply())
    assert (fetched.group["id"], fetched.checked) == (2762, False)
    assert options == {
        "body_mode": "full",
        "keymap": {"submit": "ctrl+enter"},
        "clipboard": "off",
        "config_path": config,
    }


def test_edit_a_file_offline(clean_env: Path, editor_calls: list[tuple[Any, ...]]) -> None:
    assert run_with(["edit", "--file", str(FIXTURE)]).code == 0
    ((connection, group_id, file, _),) = editor_calls
    assert (connection, group_id, file) == (None, None, FIXTURE)


def test_edit_without_credentials_or_file(
    clean_env: Path, editor_calls: list[tuple[Any, ...]]
) -> None:
    run = run_with(["edit", "2762"])
    assert run.code == 2
    assert "cannot reach the API" in run.err
    assert editor_calls == []


@pytest.mark.parametrize(
    ("content", "complaint"),
    [("{not json", "is not JSON"), ('{"data": [1]}', "not a group"), (None, "cannot read")],
)
def test_a_bad_file_is_one_line_before_the_editor_starts(
    clean_env: Path, editor_calls: list[tuple[Any, ...]], content: str | None, complaint: str
) -> None:
    path = clean_env / "group.json"
    if content is not None:
        path.write_text(content)
    run = run_with(["edit", "--file", str(path)])
    assert run.code == 2
    assert complaint in run.err
    assert_one_clear_line(run.err)
    assert editor_calls == []


def test_an_id_and_a_file_together(clean_env: Path, editor_calls: list[tuple[Any, ...]]) -> None:
    run = run_with(["edit", "2762", "--file", str(FIXTURE)])
    assert run.code == 2 and "not both" in run.err


def test_demo_needs_no_credentials(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[bool] = []

    def fake_run_demo() -> int:
        called.append(True)
        return 0

    monkeypatch.setattr(tui.app.run, "run_demo", fake_run_demo)
    assert run_with(["demo"]).code == 0
    assert called == [True]
