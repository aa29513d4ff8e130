"""The garbage collector waits for the editor's first frame (tui/app/collector.py): paused
while the editor starts, given back at its first frame with what exists then frozen, and
given back too when the editor fails before it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_support import loaded, make_app

from tui.app.app import TgEditApp
from tui.app.run import load_group_file, run_editor
from tui.model.errors import ModelError
from tui.stub.server import StubServer

FIXTURE = Path(__file__).parent / "fixtures" / "edit-response-2762.json"


@pytest.fixture
def collecting() -> Iterator[None]:
    """The test process collects, with nothing frozen, before and after each test."""
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


def test_the_editor_starts_with_the_collector_paused_and_gives_it_back(
    collecting: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def run(self: TgEditApp, *args: Any, **kwargs: Any) -> None:
        seen.append(gc.isenabled())

    monkeypatch.setattr(TgEditApp, "run", run)
    assert run_editor(None, file=FIXTURE, state_dir=tmp_path) == 0
    assert seen == [False]
    assert gc.isenabled()


def test_an_editor_that_cannot_start_gives_the_collector_back(
    collecting: None, tmp_path: Path
) -> None:
    broken = tmp_path / "group.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="is not JSON"):
        run_editor(None, file=broken, state_dir=tmp_path)
    assert gc.isenabled()


async def test_the_first_frame_gives_the_collector_back_with_the_start_frozen(
    collecting: None, stub: StubServer, tmp_path: Path
) -> None:
    gc.disable()  # as run_editor leaves it for the app
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert gc.isenabled()
        # Frozen: the collector's first walks do not go over what the start built.
        assert gc.get_freeze_count() > 0


@pytest.mark.parametrize("collecting_before", [True, False])
def test_reading_a_group_file_leaves_the_collector_as_it_was(
    collecting: None, collecting_before: bool
) -> None:
    if not collecting_before:
        gc.disable()  # inside the editor's start: reading the file must not end its pause
    group = load_group_file(FIXTURE)
    assert group["id"] == 2762
    assert gc.isenabled() is collecting_before


@pytest.mark.parametrize("command", [["show", "2762"], ["list"], ["--version"], ["shwo"]])
def test_the_console_script_pauses_the_collector_only_for_the_editor(
    collecting: None,
    stub: StubServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    """``tgedit`` pauses the collector before its imports; a command that is not the
    editor's (``stub`` serves for hours) runs with it on."""
    from tui.cli.entry import console_script

    seen: list[bool] = []
    import tui.cli.main

    real = tui.cli.main._run

    def run(argv: list[str] | None, io: Any) -> int:
        seen.append(gc.isenabled())
        return real(argv, io)

    monkeypatch.setattr(tui.cli.main, "_run", run)
    login = ["--base-url", stub.base_url, "--username", "demo", "--password", "demo"]
    monkeypatch.setattr("sys.argv", ["tgedit", *command, *(login if len(command) > 1 else [])])
    console_script()
    assert seen == [False], "paused from the start"
    assert gc.isenabled(), "and on again for a command that is not the editor's"
