"""Copying inside a real tmux: the installed ``tgedit`` in a pane, its copy in tmux's buffer.

A private tmux server (its own socket, no config file, ``set-clipboard on`` as tmux's
documentation says for OSC 52) runs ``tgedit edit`` against the stand-in server. The
keys are sent as a person types them; every wait polls the pane or the paste buffer
until a condition holds or a deadline passes.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_support import ENV_NAMES

from tui.api.auth import BasicAuth, basic_authorization
from tui.api.connection import Connection
from tui.api.curl import curl_for_edit
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer

TGEDIT = Path(sys.executable).parent / "tgedit"
GROUP = 2762
USERNAME = "copier"
PASSWORD = "tmux-Secret-4f7Q"
NEW_NAME = "Copied in tmux"
DEADLINE_SECONDS = 60.0  # a slow, shared CI machine starting Textual in a pane

# One real terminal program at a time (with tests/test_terminal_e2e.py), on one worker.
pytestmark = pytest.mark.xdist_group("real-terminal")


class Tmux:
    """One private tmux server with one pane, and ways to wait on what it shows."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=20,
            check=check,
        )

    def screen(self, *, colours: bool = False) -> str:
        """The pane's text; with ``colours``, its escape sequences too (focus shows there)."""
        return self("capture-pane", "-p", *(["-e"] if colours else [])).stdout

    def buffer(self) -> str | None:
        """tmux's newest paste buffer; None while there is none."""
        done = self("show-buffer", check=False)
        return done.stdout if done.returncode == 0 else None

    def keys(self, *keys: str, literal: bool = False) -> None:
        self("send-keys", *(["-l"] if literal else []), *keys)

    def wait_for(self, what: str, holds: Callable[[str], bool], *, colours: bool = False) -> str:
        """Poll the pane until ``holds(screen)``; the screen, or a failure showing it."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            screen = self.screen(colours=colours)
            if holds(screen):
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"waited for {what}; the pane shows:\n{screen}")
            time.sleep(0.05)

    def wait_for_buffer(self, what: str, unlike: str | None) -> str:
        """Poll until tmux holds a paste buffer other than ``unlike``; that buffer."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            buffer = self.buffer()
            if buffer is not None and buffer != unlike:
                return buffer
            if time.monotonic() > deadline:
                pytest.fail(f"waited for {what} in tmux's buffer; the pane shows:\n{self.screen()}")
            time.sleep(0.05)


@pytest.fixture
def secret_stub() -> Iterator[StubServer]:
    """The stand-in server with a password that must never reach the clipboard."""
    server = StubServer(groups=sample_groups(), port=0, username=USERNAME, password=PASSWORD)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def start_tmux(stub: StubServer, tmp_path: Path, *, set_clipboard: str, config: str) -> Tmux:
    """``tgedit edit 2762`` in a pane of a new private tmux server; the caller kills it."""
    # .ci/run installs tmux: without it this fails rather than skipping in silence.
    if shutil.which("tmux") is None:
        pytest.fail("these tests run tgedit inside tmux: install it (apt-get install tmux)")
    (tmp_path / "config" / "tgedit").mkdir(parents=True)
    (tmp_path / "config" / "tgedit" / "config.toml").write_text(config)
    env = {k: v for k, v in os.environ.items() if k not in (*ENV_NAMES, "TMUX", "TMUX_PANE", "STY")}
    env.update(
        TERM="xterm-256color",
        CAP_API_BASE_URL=stub.base_url,
        CAP_API_USERNAME=USERNAME,
        CAP_API_PASSWORD=PASSWORD,
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    # A unix socket path has a short limit (~100 bytes): keep it out of pytest's long paths.
    server = Tmux(Path(tempfile.mkdtemp(prefix="tgedit-tmux-")) / "sock")
    command = shlex.join([str(TGEDIT), "edit", str(GROUP)])
    start = ["new-session", "-d", "-x", "120", "-y", "40", command]
    options = [
        "set",
        "-g",
        "set-clipboard",
        set_clipboard,
        ";",
        "set",
        "-g",
        "remain-on-exit",
        "on",
    ]
    subprocess.run(
        ["tmux", "-S", str(server.socket), "-f", "/dev/null", *start, ";", *options],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=20,
        check=True,
    )
    return server


@pytest.fixture
def tmux_at(secret_stub: StubServer, tmp_path: Path) -> Iterator[Callable[[str, str], Tmux]]:
    """Start tgedit in tmux with a set-clipboard value and a config file; killed after."""
    started: list[Tmux] = []

    def start(set_clipboard: str, config: str = "") -> Tmux:
        started.append(
            start_tmux(secret_stub, tmp_path, set_clipboard=set_clipboard, config=config)
        )
        return started[-1]

    try:
        yield start
    finally:
        for server in started:
            server("kill-server", check=False)
            shutil.rmtree(server.socket.parent, ignore_errors=True)


def offers_edit(screen: str) -> bool:
    """The footer offers ``e Edit``: the tree has the keys (not a text box)."""
    return re.search(r"\be Edit\b", screen) is not None


def open_preview_after_renaming(tmux: Tmux) -> None:
    tmux.wait_for("the group to load", lambda s: "uatTargetGroup80" in s and offers_edit(s))
    # "/ name enter" jumps to the field; each wait is for the keys to go where they should.
    tmux.keys("/")
    tmux.wait_for("the find box to take the keys", lambda s: not offers_edit(s))
    tmux.keys("name", literal=True)
    tmux.keys("Enter")
    tmux.wait_for("the tree to take the keys again", offers_edit)
    tmux.keys("Enter")
    tmux.wait_for("the value editor", lambda s: "esc Cancel" in s)
    tmux.keys("C-u")
    # ctrl+u is a binding, run once the key has bubbled up: letters typed at once would
    # land before it and be cleared with the old value.
    tmux.wait_for("the old value to be cleared", lambda s: "must not be blank" in s)
    tmux.keys(NEW_NAME, literal=True)
    tmux.keys("Enter")
    tmux.wait_for("the rename", lambda s: "1 change" in s and offers_edit(s))
    tmux.keys("p")
    tmux.wait_for("the preview", lambda s: "PUT body (minimal)" in s)


def test_c_and_shift_c_leave_the_body_and_the_redacted_curl_in_tmux(
    tmux_at: Callable[[str, str], Tmux], secret_stub: StubServer
) -> None:
    tmux = tmux_at("on", "")
    body = f'{{"id": {GROUP}, "name": "{NEW_NAME}"}}'
    curl = curl_for_edit(
        Connection(base_url=secret_stub.base_url, auth=BasicAuth(USERNAME, PASSWORD)), GROUP, body
    )
    open_preview_after_renaming(tmux)
    assert tmux.buffer() is None

    tmux.keys("c")
    assert tmux.wait_for_buffer("the body", unlike=None) == body
    tmux.wait_for("the toast", lambda s: "Sent the PUT body" in s)

    tmux.keys("C")
    copied = tmux.wait_for_buffer("the curl command", unlike=body)
    assert copied == curl
    assert PASSWORD not in copied
    assert basic_authorization(USERNAME, PASSWORD) not in copied
    assert "-H 'Authorization: '\"$" in copied

    # The same text the preview's curl tab shows, line for line: tab goes Body → Diff → curl.
    tmux.keys("Tab")
    tmux.wait_for("the diff tab", lambda s: "uatTargetGroup80" in s)
    tmux.keys("Tab")
    shown = tmux.wait_for("the curl tab", lambda s: "--data-raw" in s)
    for line in curl.splitlines():
        assert line.strip(" \\") in shown


def test_with_tmux_default_set_clipboard_the_toast_says_what_to_set(
    tmux_at: Callable[[str, str], Tmux],
) -> None:
    # tmux's default, "external", ignores OSC 52 from programs: no success is claimed.
    tmux = tmux_at("external", "")
    open_preview_after_renaming(tmux)
    tmux.keys("c")
    toast = tmux.wait_for("the toast", lambda s: "did not reach the clipboard" in s)
    assert "set -g set-clipboard on" in toast
    assert "Sent " not in toast
    # The sequence is written before the toast, so tmux has seen it by now, and dropped it.
    assert tmux.buffer() is None

    # The advice followed, in the same preview: the next copy is asked about again.
    tmux("set", "-g", "set-clipboard", "on")
    tmux.keys("c")
    assert (
        tmux.wait_for_buffer("the body", unlike=None) == f'{{"id": {GROUP}, "name": "{NEW_NAME}"}}'
    )
    tmux.wait_for("the toast", lambda s: "Sent the PUT body" in s)


def test_with_clipboard_off_nothing_is_sent_and_the_toast_says_so(
    tmux_at: Callable[[str, str], Tmux],
) -> None:
    tmux = tmux_at("on", 'clipboard = "off"\n')
    open_preview_after_renaming(tmux)
    tmux.keys("c")
    # (the toast wraps its long line: one phrase of it is enough to know it is there)
    tmux.wait_for("the toast", lambda s: "Copying is off" in s)
    assert tmux.buffer() is None
