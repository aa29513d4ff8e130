"""curl commands: every argument survives the shell, credentials never shown by default."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tui.api.auth import BasicAuth, TokenAuth, basic_authorization
from tui.api.connection import Connection
from tui.api.curl import curl_command, curl_for_edit

URL = "https://eu.api.capillarytech.com/v3/targetGroups/editTargetGroup/2762"
BODY = '{"id": 2762, "name": "it\'s a \\"test\\" $HOME `id` ;|&",\n "description": "line\\nbreak"}'
HEADERS = {
    "Accept": "application/json",
    "Content-Type": "application/json",
    "Authorization": "Basic c2VjcmV0OnZhbHVl",
}

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def shell_argv(command: str, env: dict[str, str] | None = None) -> list[str]:
    """The arguments bash would pass to curl, found by running printf in its place."""
    assert command.startswith("curl ")
    script = "printf '%s\\0' " + command.removeprefix("curl ")
    out = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        check=True,
        env={"PATH": os.environ.get("PATH", ""), **(env or {})},
    ).stdout
    return out.decode("utf-8").split("\0")[:-1]


@needs_bash
def test_a_body_with_quotes_and_shell_characters_survives_byte_for_byte() -> None:
    command = curl_command("PUT", URL, HEADERS, BODY, reveal_secrets=True)
    argv = shell_argv(command)
    assert argv[:3] == ["-X", "PUT", URL]
    assert argv[-2:] == ["--data-raw", BODY]
    assert "Authorization: Basic c2VjcmV0OnZhbHVl" in argv


def test_credentials_are_replaced_by_a_variable_unless_revealed() -> None:
    command = curl_command("PUT", URL, HEADERS, BODY)
    assert "c2VjcmV0OnZhbHVl" not in command
    assert "-H 'Authorization: '\"$CAP_AUTHORIZATION\"" in command
    assert "c2VjcmV0OnZhbHVl" in curl_command("PUT", URL, HEADERS, BODY, reveal_secrets=True)


@needs_bash
def test_the_redacted_command_runs_with_the_token_from_the_environment() -> None:
    headers = {"Accept": "application/json", "X-CAP-API-OAUTH-TOKEN": "real-token"}
    command = curl_command("GET", URL, headers, None)
    assert "real-token" not in command
    argv = shell_argv(command, env={"CAP_API_TOKEN": "from-env"})
    assert "X-CAP-API-OAUTH-TOKEN: from-env" in argv
    assert "--data-raw" not in argv


def test_credentials_in_the_url_are_hidden() -> None:
    command = curl_command("GET", "https://u:pw@h/x", {}, None)
    assert "pw" not in command
    assert "https://h/x" in command


def test_curl_for_edit_uses_the_connection_and_redacts() -> None:
    connection = Connection("https://eu.api.capillarytech.com/", BasicAuth("demo", "demo"))
    command = curl_for_edit(connection, 2762, '{"id": 2762}')
    assert command.startswith("curl -X PUT " + URL)
    assert "-H 'Content-Type: application/json'" in command
    assert "-H 'Accept: application/json'" in command
    assert basic_authorization("demo", "demo") not in command
    revealed = curl_for_edit(connection, 2762, '{"id": 2762}', reveal_secrets=True)
    assert basic_authorization("demo", "demo") in revealed


def test_a_ready_token_is_redacted_as_cap_api_token() -> None:
    connection = Connection("https://h", TokenAuth("tok-123"))
    command = curl_for_edit(connection, 1, "{}")
    assert "tok-123" not in command
    assert '"$CAP_API_TOKEN"' in command
