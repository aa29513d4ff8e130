"""Global flags stand before or after the command name, with the same effect either way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cli_support import (  # noqa: F401 (the fixture clean_env)
    clean_env_fixture,
    run_with,
)

import tui.api.client
from tui.api.errors import ApiError
from tui.cli.main import build_parser
from tui.stub.server import StubServer

GROUP = 2762
COMMANDS = {
    "show": ["show", str(GROUP)],
    "set": ["set", str(GROUP), "name=Flag position", "--dry-run"],
}


def placed(command: list[str], options: list[str], where: str) -> list[str]:
    return [*options, *command] if where == "before" else [*command, *options]


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_connection_flags_work_on_either_side(
    stub: StubServer, clean_env: Path, command: str, where: str
) -> None:
    options = ["--base-url", stub.base_url, "--username", "demo", "--password", "demo"]
    run = run_with(placed(COMMANDS[command], options, where))
    assert run.code == 0, run.err
    assert stub.requests("GET"), "the flags pointed the command at the stand-in"


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_allow_http_works_on_either_side(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, command: str, where: str
) -> None:
    def stop_here(*args: Any, **kwargs: Any) -> Any:  # never a request to another machine
        raise ApiError("reached the point of sending")

    monkeypatch.setattr(tui.api.client, "fetch_group", stop_here)
    options = ["--allow-http", "--base-url", "http://lab.example.com", "--token", "t0ken"]
    run = run_with(placed(COMMANDS[command], options, where))
    assert run.err.strip() == "tgedit: reached the point of sending"
    assert run.code == 1


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_profile_and_debug_work_on_either_side(
    stub: StubServer, clean_env: Path, command: str, where: str
) -> None:
    config = clean_env / "config" / "tgedit" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[profiles.lab]\nbase_url = "{stub.base_url}"\nusername = "demo"\n')
    options = ["--profile", "lab", "--password", "demo", "--debug"]
    run = run_with(placed(COMMANDS[command], options, where))
    assert run.code == 0, run.err
    assert stub.requests("GET"), "the profile's base URL was used"
    assert "GET" in (clean_env / "state" / "tgedit" / "debug.log").read_text()


@pytest.mark.parametrize("command", [["history"], ["demo"], ["stub"], ["list"], ["edit", "1"]])
@pytest.mark.parametrize(
    "options",
    [["--allow-http"], ["--debug"], ["--base-url", "http://x"], ["--profile", "p"]],
)
def test_every_command_takes_the_global_flags_after_its_name(
    command: list[str], options: list[str]
) -> None:
    before = vars(build_parser().parse_args([*options, *command]))
    after = vars(build_parser().parse_args([*command, *options]))
    assert after == before
