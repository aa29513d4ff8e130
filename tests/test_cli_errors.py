"""Every failure is one clear line and an exit code, never a traceback.

The API's and the network's failures are the fault matrix (tests/test_fault_matrix.py);
here: credentials, usage errors, interruptions, the config file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import (  # noqa: F401 (the fixtures clean_env and on_stub)
    assert_one_clear_line,
    clean_env_fixture,
    on_stub_fixture,
    run_with,
    the_error,
)

from tui.stub.server import StubServer

# Each failure of the API, of a gateway or of the network, met by show and set (and by
# the editor): tests/test_fault_matrix.py.


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

    monkeypatch.setattr("tui.cli.show_cmd.render_group", interrupt)
    run = run_with(["show", "2762"])
    assert run.code == 130
    assert "Traceback" not in run.err and "interrupted" in run.err


def test_an_unexpected_error_is_still_one_line(
    on_stub: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> list[str]:
        raise RuntimeError("a bug")

    monkeypatch.setattr("tui.cli.show_cmd.render_group", broken)
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
