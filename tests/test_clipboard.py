"""Copying: the OSC 52 forms, the cap, which form a terminal gets, the toast, the option."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from cli_support import assert_one_clear_line, clean_env_fixture, on_stub_fixture, run_with

from tui.app.clipboard import (
    MAX_COPY_BYTES,
    PASSTHROUGH_FIX,
    TMUX_FIX,
    Clipboard,
    Plan,
    TmuxOptions,
    ask_tmux,
    osc52,
    outcome,
    plan,
)
from tui.config.file import ConfigError, load_config
from tui.config.settings import resolve_settings
from tui.stub.server import StubServer

__all__ = ["clean_env_fixture", "on_stub_fixture"]

PLAIN_HI = "\x1b]52;c;aGk=\x07"  # base64("hi") == "aGk="


# --- the sequences ---------------------------------------------------------------------------


def test_plain_is_osc_52_with_the_text_in_base64() -> None:
    assert osc52("hi") == PLAIN_HI
    text = '{"name": "Ünïcode ✓"}\n'
    sequence = osc52(text)
    assert sequence is not None
    assert base64.b64decode(sequence.removeprefix("\x1b]52;c;").removesuffix("\x07")) == (
        text.encode("utf-8")
    )


def test_tmux_passthrough_wraps_it_in_a_dcs_with_every_esc_doubled() -> None:
    assert osc52("hi", wrap="tmux") == "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"


def test_screen_gets_the_sequence_in_dcs_pieces_it_does_not_cut() -> None:
    text = "x" * 2000
    sequence = osc52(text, wrap="screen")
    assert sequence is not None
    pieces = sequence.split("\x1b\\")
    assert pieces[-1] == ""
    assert all(piece.startswith("\x1bP") for piece in pieces[:-1])
    # GNU screen before 4.2.0 cut a DCS string past 256 bytes.
    assert all(len(piece) + 2 <= 256 for piece in pieces[:-1])
    assert "".join(piece.removeprefix("\x1bP") for piece in pieces) == osc52(text)
    assert len(pieces) > 2


@pytest.mark.parametrize("wrap", ["plain", "tmux", "screen"])
def test_the_cap_is_75_kb_of_payload_in_every_form(wrap: str) -> None:
    fits = "a" * (MAX_COPY_BYTES // 4 * 3)  # base64: 4 characters for every 3 bytes
    assert len(base64.b64encode(fits.encode())) == MAX_COPY_BYTES
    assert osc52(fits, wrap=wrap) is not None  # type: ignore[arg-type]
    assert osc52(fits + "a", wrap=wrap) is None  # type: ignore[arg-type]


# --- which form, and whether it is known to arrive -------------------------------------------

IN_TMUX = {"TMUX": "/tmp/tmux-1000/default,4242,0"}
IN_SCREEN = {"STY": "4242.pts-0.host"}


@pytest.mark.parametrize(
    ("mode", "env", "tmux", "expected"),
    [
        # No option: plain everywhere, inside tmux too.
        (None, {}, None, Plan("plain")),
        (None, IN_TMUX, TmuxOptions("on", "off"), Plan("plain")),
        (None, IN_TMUX, TmuxOptions("on", "on"), Plan("plain")),
        # tmux's default ignores OSC 52 from programs: the wrapper if tmux allows it...
        (None, IN_TMUX, TmuxOptions("external", "on"), Plan("tmux")),
        (None, IN_TMUX, TmuxOptions("external", "all"), Plan("tmux")),
        # ...else plain, with the line that would make it arrive.
        (None, IN_TMUX, TmuxOptions("external", "off"), Plan("plain", TMUX_FIX)),
        (None, IN_TMUX, TmuxOptions("off", "off"), Plan("plain", TMUX_FIX)),
        # tmux did not answer: nothing is known, nothing is claimed.
        (None, IN_TMUX, TmuxOptions(None, None), Plan("plain")),
        (None, IN_TMUX, None, Plan("plain")),
        # tmux's answer counts only inside tmux.
        (None, {}, TmuxOptions("off", "off"), Plan("plain")),
        (None, IN_SCREEN, None, Plan("screen")),
        # The option decides.
        ("osc52", IN_SCREEN, None, Plan("plain")),
        ("osc52", IN_TMUX, TmuxOptions("external", "on"), Plan("plain", TMUX_FIX)),
        ("tmux-passthrough", IN_TMUX, TmuxOptions("on", "on"), Plan("tmux")),
        ("tmux-passthrough", IN_TMUX, TmuxOptions("on", "off"), Plan("tmux", PASSTHROUGH_FIX)),
        ("tmux-passthrough", {}, None, Plan("tmux")),
        ("off", IN_TMUX, TmuxOptions("on", "on"), Plan(None)),
        ("off", {}, None, Plan(None)),
    ],
)
def test_the_plan(
    mode: str | None, env: dict[str, str], tmux: TmuxOptions | None, expected: Plan
) -> None:
    assert plan(mode, env, tmux) == expected  # type: ignore[arg-type]


def test_the_toast_claims_a_send_only_when_nothing_says_it_is_dropped() -> None:
    sent = outcome("hello", "the PUT body", Plan("plain"))
    assert (sent.sequence, sent.warning) == (osc52("hello"), False)
    assert sent.message == "Sent the PUT body (5 characters) to the terminal's clipboard (OSC 52)."

    dropped = outcome("hello", "the PUT body", Plan("plain", TMUX_FIX))
    assert dropped.warning
    assert "set -g set-clipboard on" in dropped.message
    assert dropped.message.startswith("The PUT body did not reach the clipboard")
    assert "Sent" not in dropped.message

    off = outcome("hello", "the curl command", Plan(None), config="/home/me/tgedit.toml")
    assert off.sequence is None
    assert 'clipboard = "off" in /home/me/tgedit.toml' in off.message
    assert "the curl command is on screen to select" in off.message

    too_long = outcome("a" * MAX_COPY_BYTES, "the PUT body", Plan("plain"))
    assert (too_long.sequence, too_long.warning) == (None, True)
    assert too_long.message.startswith("The PUT body is too long for the terminal clipboard")


# --- asking tmux -----------------------------------------------------------------------------


class Asker:
    """Stands in for ``ask_tmux``: records the thread it ran on."""

    def __init__(self, answer: TmuxOptions) -> None:
        self.answer = answer
        self.threads: list[threading.Thread] = []

    def __call__(self, env: Mapping[str, str]) -> TmuxOptions:
        self.threads.append(threading.current_thread())
        return self.answer


def test_tmux_is_asked_off_the_calling_thread_and_its_answer_used() -> None:
    asker = Asker(TmuxOptions("external", "on"))
    clipboard = Clipboard(None, IN_TMUX, ask=asker)
    clipboard.prepare()  # the preview opening
    done = clipboard.copy("hi", "the PUT body")
    assert done.sequence == osc52("hi", wrap="tmux")
    assert len(asker.threads) == 1
    assert asker.threads[0] is not threading.current_thread()
    clipboard.copy("hi", "the PUT body")
    assert len(asker.threads) == 1  # a second copy in the same preview asks nothing


def test_each_preview_asks_again_so_a_fixed_tmux_counts() -> None:
    asker = Asker(TmuxOptions("external", "off"))
    clipboard = Clipboard(None, IN_TMUX, ask=asker)
    clipboard.prepare()
    assert clipboard.copy("hi", "the PUT body").warning
    asker.answer = TmuxOptions("on", "off")  # the person followed the toast's advice
    clipboard.prepare()
    assert clipboard.copy("hi", "the PUT body").sequence == PLAIN_HI
    assert not clipboard.copy("hi", "the PUT body").warning
    assert len(asker.threads) == 2


@pytest.mark.parametrize(("mode", "env"), [(None, {}), (None, IN_SCREEN), ("off", IN_TMUX)])
def test_tmux_is_not_asked_outside_tmux_or_when_copying_is_off(
    mode: str | None, env: dict[str, str]
) -> None:
    asker = Asker(TmuxOptions("on", "on"))
    clipboard = Clipboard(mode, env, ask=asker)  # type: ignore[arg-type]
    clipboard.prepare()
    clipboard.copy("hi", "the PUT body")
    assert asker.threads == []


@pytest.fixture
def tmux_socket() -> Iterator[Path]:
    """A private tmux server (no config file) with both options set to "on"."""
    if shutil.which("tmux") is None:
        pytest.fail("these tests ask a real tmux: install it (apt-get install tmux)")
    socket = Path(tempfile.mkdtemp(prefix="tgedit-tmux-")) / "sock"
    tmux = ["tmux", "-S", str(socket)]
    options = ["set", "-g", "set-clipboard", "on", ";", "set", "-g", "allow-passthrough", "on"]
    subprocess.run(
        [*tmux, "-f", "/dev/null", "new-session", "-d", "sleep 600", ";", *options],
        env={k: v for k, v in os.environ.items() if k != "TMUX"},
        check=True,
        capture_output=True,
        timeout=20,
    )
    try:
        yield socket
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, capture_output=True, timeout=20)
        shutil.rmtree(socket.parent, ignore_errors=True)


def test_ask_tmux_reads_the_server_that_tmux_names(tmux_socket: Path) -> None:
    env = {**os.environ, "TMUX": f"{tmux_socket},1,0"}
    assert ask_tmux(env) == TmuxOptions("on", "on")


def test_ask_tmux_without_a_server_or_a_tmux_says_nothing(tmp_path: Path) -> None:
    gone = {**os.environ, "TMUX": f"{tmp_path / 'no-such-socket'},1,0"}
    assert ask_tmux(gone) == TmuxOptions(None, None)
    no_tmux = {**gone, "PATH": str(tmp_path)}
    assert ask_tmux(no_tmux) == TmuxOptions(None, None)


# --- the config option -----------------------------------------------------------------------


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.mark.parametrize("mode", ["osc52", "tmux-passthrough", "off"])
def test_the_clipboard_option_reaches_the_settings(tmp_path: Path, mode: str) -> None:
    path = write_config(tmp_path, f'clipboard = "{mode}"\n')
    assert load_config(path).clipboard == mode
    assert resolve_settings({}, {}, config_path=path).clipboard == mode


def test_without_the_option_the_terminal_decides(tmp_path: Path) -> None:
    path = write_config(tmp_path, "timeout_read = 5\n")
    assert resolve_settings({}, {}, config_path=path).clipboard is None


@pytest.mark.parametrize("value", ['"tmux"', '"OSC52"', "true", "52"])
def test_an_unknown_clipboard_value_names_the_file_the_key_and_the_choices(
    tmp_path: Path, value: str
) -> None:
    path = write_config(tmp_path, f"clipboard = {value}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: clipboard must be one of ")
    assert '"osc52", "tmux-passthrough", "off"' in str(caught.value)


def test_clipboard_is_a_top_level_key_not_a_profile_key(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[profiles.eu]\ncluster = "eu"\nclipboard = "off"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "unknown key profiles.eu.clipboard " in str(caught.value)


def test_tgedit_edit_with_a_bad_clipboard_value_is_one_clear_line(
    on_stub: StubServer, clean_env: Path
) -> None:
    (clean_env / "config" / "tgedit").mkdir(parents=True)
    path = clean_env / "config" / "tgedit" / "config.toml"
    path.write_text('clipboard = "tmux"\n')
    done = run_with(["edit", "2762"])
    assert done.code == 2
    assert_one_clear_line(done.err)
    assert f"{path}: clipboard must be one of" in done.err


def test_a_copy_that_did_not_reach_the_clipboard_asks_tmux_again_at_the_next_copy() -> None:
    asker = Asker(TmuxOptions("external", "off"))
    clipboard = Clipboard(None, IN_TMUX, ask=asker)
    clipboard.prepare()  # the preview opening
    assert "did not reach the clipboard" in clipboard.copy("hi", "the PUT body").message
    asker.answer = TmuxOptions("on", "off")  # the toast's advice, followed in the same preview
    done = clipboard.copy("hi", "the PUT body")
    assert not done.warning and done.message.startswith("Sent the PUT body")
    assert len(asker.threads) == 2
