"""The garbage collector is paused while a run starts (tui.cli.main) and given back: by
the editor once it has drawn, by a server at once, by every command when it ends."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_support import loaded, make_app
from cli_support import clean_env_fixture, run_with  # noqa: F401 - the clean_env fixture

from tui.cli.common import Io
from tui.stub import StubServer


@pytest.fixture
def collecting() -> Iterator[None]:
    """The test process collects before and after, whatever a test did meanwhile."""
    gc.enable()
    yield
    gc.enable()


def test_a_command_runs_with_the_collector_paused_and_gives_it_back(
    collecting: None, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def fake_show(args: argparse.Namespace, io: Io) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr("tui.cli.show_cmd.run", fake_show)
    assert run_with(["show", "2762", "--base-url", "http://127.0.0.1:9"]).code == 0
    assert seen == [False]
    assert gc.isenabled()


def test_a_command_that_fails_gives_the_collector_back_too(
    collecting: None, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(args: argparse.Namespace, io: Io) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr("tui.cli.show_cmd.run", failing)
    result = run_with(["show", "2762", "--base-url", "http://127.0.0.1:9"])
    assert result.code == 1 and "boom" in result.err
    assert gc.isenabled()


def test_the_stand_in_server_collects_while_it_serves(
    collecting: None, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def fake_serve(**kwargs: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr("tui.stub.serve_forever_cli", fake_serve)
    assert run_with(["stub", "--port", "0"]).code == 0
    assert seen == [True]


async def test_the_editor_gives_the_collector_back_once_it_has_drawn(
    collecting: None, stub: StubServer, tmp_path: Path
) -> None:
    gc.disable()  # as tui.cli.main leaves it for the editor
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert gc.isenabled()
