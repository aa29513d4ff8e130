"""The installed ``tgedit`` executable, run as a person runs it, against the stand-in server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import ENV_NAMES, stub_env

from tui.api.auth import basic_authorization
from tui.stub.server import StubServer

TGEDIT = Path(sys.executable).parent / "tgedit"


@pytest.fixture
def env(stub: StubServer, tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    clean.update(stub_env(stub))
    clean["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    clean["XDG_STATE_HOME"] = str(tmp_path / "state")
    return clean


def tgedit(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TGEDIT), *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def test_dry_run_prints_exactly_the_body(stub: StubServer, env: dict[str, str]) -> None:
    done = tgedit(env, "set", "2762", "name=Renamed", "--dry-run")
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        '{"id": 2762, "name": "Renamed"}\n',
        "",
    )
    assert stub.requests("PUT") == []


def test_yes_sends_it_and_show_shows_it(stub: StubServer, env: dict[str, str]) -> None:
    done = tgedit(env, "set", "2762", "name=Renamed", "--yes")
    assert done.returncode == 0, done.stderr
    (put,) = stub.requests("PUT")
    assert json.loads(put.body) == {"id": 2762, "name": "Renamed"}
    assert put.headers["Authorization"] == basic_authorization("demo", "demo")
    shown = tgedit(env, "show", "2762")
    assert shown.returncode == 0
    assert shown.stdout.startswith("Target group 2762 · Renamed\n")
    assert "\x1b" not in shown.stdout  # a pipe gets no colour


def test_a_read_only_field_exits_2_and_sends_nothing(stub: StubServer, env: dict[str, str]) -> None:
    done = tgedit(env, "set", "2762", "orgId=5", "--yes")
    assert done.returncode == 2
    assert done.stderr.startswith("tgedit: orgId is read-only")
    assert "Traceback" not in done.stderr
    assert stub.requests("PUT") == []


def test_without_a_terminal_it_refuses_to_send(stub: StubServer, env: dict[str, str]) -> None:
    done = tgedit(env, "set", "2762", "name=Renamed")
    assert done.returncode == 2
    assert "--yes" in done.stderr
    assert stub.received == []


def test_show_runs_without_textual_or_rich(stub: StubServer, env: dict[str, str]) -> None:
    code = (
        "import sys; from tui.cli.main import main; code = main(['show', '2762']); "
        "print('UI', 'textual' in sys.modules, 'rich' in sys.modules); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "UI False False"
    assert "Target group 2762" in done.stdout


def test_help(env: dict[str, str]) -> None:
    done = tgedit(env, "--help")
    assert done.returncode == 0
    assert "tgedit demo" in done.stdout
