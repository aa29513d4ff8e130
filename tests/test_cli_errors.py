"""Every failure is one clear line and an exit code, never a traceback."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from cli_support import (  # noqa: F401 (the fixtures clean_env and on_stub)
    assert_one_clear_line,
    clean_env_fixture,
    on_stub_fixture,
    run_with,
    the_error,
)

import tui.api.client
from tui.stub import StubServer


@pytest.fixture
def no_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries of reads happen at once: the tests check the outcome, not the backoff."""
    monkeypatch.setattr(tui.api.client, "backoff_delay", lambda attempt: 0.0)
    monkeypatch.setattr(tui.api.client, "retry_delay", lambda status, after, attempt: 0.0)


FAULTS: list[tuple[str, dict[str, Any], str]] = [
    ("401", {"status_for_get": 401}, "401"),
    ("403", {"status_for_get": 403}, "403"),
    ("404", {"status_for_get": 404}, "404"),
    ("429", {"status_for_get": 429}, "429"),
    ("500", {"status_for_get": 500}, "500"),
    ("503", {"status_for_get": 503}, "503"),
    ("html page", {"html_error": True, "html_status": 502}, "502"),
    ("no data", {"omit_data": True}, "data"),
    (
        "errors on 200",
        {"errors_on_success": [{"code": 310145, "message": "invalid key"}]},
        "310145",
    ),
    ("dropped", {"drop_connection": True}, "2762"),
]


@pytest.mark.parametrize(("fault", "switches", "named"), FAULTS, ids=[f[0] for f in FAULTS])
@pytest.mark.parametrize("command", [["show", "2762"], ["set", "2762", "name=x", "--dry-run"]])
@pytest.mark.usefixtures("no_waits")
def test_each_fault_is_one_line_and_exit_1(
    on_stub: StubServer, fault: str, switches: dict[str, Any], named: str, command: list[str]
) -> None:
    for name, value in switches.items():
        setattr(on_stub.faults, name, value)
    run = run_with(command)
    assert run.code == 1, run.err
    assert_one_clear_line(run.err)
    assert named in run.err
    assert run.out == ""
    assert on_stub.requests("PUT") == []


def test_a_slow_server_times_out(on_stub: StubServer) -> None:
    on_stub.faults.delay = 5.0  # cut short when the stub stops
    run = run_with(["show", "2762", "--timeout", "0.2"])
    assert run.code == 1
    assert_one_clear_line(run.err)


@pytest.mark.usefixtures("no_waits", "clean_env")
def test_nothing_listening() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before tgedit connects
    argv = ["show", "2762", "--base-url", f"http://127.0.0.1:{port}", "--token", "t0ken"]
    run = run_with(argv)
    assert run.code == 1
    assert_one_clear_line(run.err)
    assert "t0ken" not in run.err


def test_a_failed_put_is_not_repeated(on_stub: StubServer) -> None:
    on_stub.faults.put_status = 503
    run = run_with(["set", "2762", "name=x", "--yes"])
    assert run.code == 1
    assert len(on_stub.requests("PUT")) == 1
    assert "503" in the_error(run.err)


def test_wrong_credentials(on_stub: StubServer) -> None:
    run = run_with(["show", "2762", "--password", "wrong"])
    assert run.code == 1
    assert "401" in run.err
    assert_one_clear_line(run.err)
    assert "wrong" not in run.err


@pytest.mark.usefixtures("clean_env")
def test_missing_credentials_name_every_way() -> None:
    run = run_with(["show", "2762"])
    assert run.code == 2
    assert run.err.startswith("tgedit: cannot reach the API: no server; no credentials.")
    for way in ("--token", "CAP_API_CLIENT_SECRET", "password_command", "TGEDIT_PROFILE"):
        assert way in run.err


def test_an_unknown_cluster_is_a_usage_error(clean_env: Path) -> None:
    run = run_with(["list", "--cluster", "mars", "--token", "t"])
    assert run.code == 2
    assert run.err.strip() == (
        "tgedit: unknown cluster 'mars'; the known clusters are: india, apac2, eu, us, china"
    )


def test_argparse_usage_errors_exit_2(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_with(["show"]).code == 2
    assert run_with(["show", "not-a-number"]).code == 2
    assert run_with(["frobnicate"]).code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_with(["--help"]).code == 0
    out = capsys.readouterr().out
    for command in ("demo", "edit", "show", "list", "set", "stub"):
        assert command in out


def test_interrupted_is_130(on_stub: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(*args: object) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr("tui.cli.show.render_group", interrupt)
    run = run_with(["show", "2762"])
    assert run.code == 130
    assert "Traceback" not in run.err and "interrupted" in run.err


def test_an_unexpected_error_is_still_one_line(
    on_stub: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> list[str]:
        raise RuntimeError("a bug")

    monkeypatch.setattr("tui.cli.show.render_group", broken)
    run = run_with(["show", "2762"])
    assert run.code == 1
    assert run.err.strip() == (
        "tgedit: unexpected error: RuntimeError: a bug (run again with --debug to log details)"
    )


# --- the config file, end to end -------------------------------------------------------------


def write_config(clean_env: Path, text: str, mode: int = 0o600) -> Path:
    path = clean_env / "config" / "tgedit" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def test_a_profile_with_a_password_command_reaches_the_stub(
    stub: StubServer, clean_env: Path
) -> None:
    import sys

    command = json.dumps([sys.executable, "-c", "print('demo')"])
    write_config(
        clean_env,
        f'default_profile = "local"\n[profiles.local]\nbase_url = "{stub.base_url}"\n'
        f'username = "demo"\npassword_command = {command}\n',
    )
    run = run_with(["show", "2762"])
    assert run.code == 0, run.err
    assert run.out.startswith("Target group 2762")


def test_flags_beat_the_environment_beat_the_profile(
    stub: StubServer, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(
        clean_env,
        '[profiles.p]\nbase_url = "http://127.0.0.1:9"\nusername = "demo"\npassword = "nope"\n',
    )
    monkeypatch.setenv("TGEDIT_PROFILE", "p")
    monkeypatch.setenv("CAP_API_BASE_URL", stub.base_url)  # env beats the profile's URL
    assert run_with(["show", "2762"]).code == 1  # the profile's password is wrong
    assert run_with(["show", "2762", "--password", "demo"]).code == 0  # the flag wins
    assert stub.requests("GET")[-1].headers["Authorization"].startswith("Basic ")


def test_a_world_readable_config_with_a_secret_is_refused(clean_env: Path) -> None:
    path = write_config(clean_env, '[profiles.p]\ncluster = "eu"\ntoken = "secret-token"\n', 0o644)
    run = run_with(["show", "2762", "--profile", "p"])
    assert run.code == 2
    assert f"chmod 600 {path}" in run.err
    assert "secret-token" not in run.err
    assert_one_clear_line(run.err)


def test_an_unknown_config_key_is_an_error(clean_env: Path) -> None:
    path = write_config(clean_env, '[profiles.p]\nclustr = "eu"\n')
    run = run_with(["show", "2762", "--profile", "p"])
    assert run.code == 2
    assert run.err.startswith(f"tgedit: {path}: unknown key profiles.p.clustr ")


def test_the_debug_log_holds_no_secret(stub: StubServer, clean_env: Path) -> None:
    argv = ["--debug", "show", "2762", "--base-url", stub.base_url]
    run = run_with([*argv, "--client-key", "demo-key", "--client-secret", "demo-secret"])
    assert run.code == 0, run.err
    log = (clean_env / "state" / "tgedit" / "debug.log").read_text()
    assert "GET" in log and "2762" in log
    assert "--client-secret" in log  # where the secret came from, never what it is
    assert "demo-secret" not in log and "demo-key" not in log
    token = stub.issued_tokens[0] if stub.issued_tokens else None
    assert token and token not in log
