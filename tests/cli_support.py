"""Helpers for running ``tgedit`` in-process (``main([...])``) against the stand-in server.

A test module gets the fixtures ``clean_env`` and ``on_stub`` by importing
``clean_env_fixture`` and ``on_stub_fixture``.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tui.cli.common import Io
from tui.cli.main import main
from tui.stub.server import StubServer

ENV_NAMES = (
    "CAP_API_BASE_URL",
    "CAP_API_CLUSTER",
    "CAP_API_USERNAME",
    "CAP_API_PASSWORD",
    "CAP_API_CLIENT_KEY",
    "CAP_API_CLIENT_SECRET",
    "CAP_API_TOKEN",
    "TGEDIT_PROFILE",
    "NO_COLOR",
)


@pytest.fixture(name="clean_env")
def clean_env_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No credentials from the person running the tests; config and state in tmp_path."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    yield tmp_path


def stub_env(stub: StubServer) -> dict[str, str]:
    return {
        "CAP_API_BASE_URL": stub.base_url,
        "CAP_API_USERNAME": "demo",
        "CAP_API_PASSWORD": "demo",
    }


@pytest.fixture(name="on_stub")
def on_stub_fixture(
    stub: StubServer, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> StubServer:
    """The environment points tgedit at ``stub`` with demo/demo."""
    for name, value in stub_env(stub).items():
        monkeypatch.setenv(name, value)
    return stub


@contextlib.contextmanager
def serving(groups: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> Iterator[StubServer]:
    """A stand-in serving ``groups``, with the environment pointing tgedit at it."""
    server = StubServer(groups).start()
    for name, value in stub_env(server).items():
        monkeypatch.setenv(name, value)
    try:
        yield server
    finally:
        server.stop()


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal (for the prompt and for colour)."""

    def isatty(self) -> bool:
        return True


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_with(
    argv: list[str], *, stdin: str = "", tty_in: bool = False, tty_out: bool = False
) -> Run:
    """``main(argv)`` with its own streams: stdin (a terminal or not) and stdout."""
    stdout: io.StringIO = FakeTerminal() if tty_out else io.StringIO()
    stderr = io.StringIO()
    stdin_stream: io.StringIO = FakeTerminal(stdin) if tty_in else io.StringIO(stdin)
    code = main(argv, Io(stdout=stdout, stderr=stderr, stdin=stdin_stream, env=dict(os.environ)))
    return Run(code, stdout.getvalue(), stderr.getvalue())


def assert_one_clear_line(err: str) -> None:
    """An error is one ``tgedit: …`` sentence (maybe with indented details), no traceback."""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines and lines[0].startswith("tgedit: "), err
    assert all(line.startswith("  ") for line in lines[1:]), err


def the_error(err: str) -> str:
    """The one ``tgedit: …`` line of a failed run that printed other things before it."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("tgedit: ")]
    assert len(lines) == 1, err
    return lines[0]
