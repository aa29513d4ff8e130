"""Copying over SSH: OSC 52, sent plain unless a wrapper is needed and allowed, capped.

Plain OSC 52 is what tmux itself takes (with ``set-clipboard on`` it keeps a paste
buffer and passes the copy on to the outer terminal). tmux's DCS passthrough wrapper is
dropped unless ``allow-passthrough`` is on (off by default since tmux 3.3), so it is
used only when the config file asks for it or tmux says passthrough is allowed and
``set-clipboard`` would not take the plain form. GNU screen gets its own DCS form.

What tmux allows is asked in a thread when the preview opens (copying is a key away
there): never before the first frame, never on the UI thread unless a copy must wait.
"""

from __future__ import annotations

import base64
import os
import subprocess
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from tui.config.file import ClipboardMode

# Many terminals drop OSC 52 payloads past ~100 KB; tmux's own limit is lower still.
MAX_COPY_BYTES = 75_000
# GNU screen cuts a DCS string past 768 bytes (256 before 4.2.0): send the sequence in
# pieces that fit the oldest limit, each in its own DCS, which screen passes on verbatim.
SCREEN_PIECE = 256 - 4
# Asking tmux is local and quick; a hung server must not hold up a copy for long.
TMUX_ASK_TIMEOUT = 1.0

Wrap = Literal["plain", "tmux", "screen"]
TMUX_FIX = "set -g set-clipboard on"
PASSTHROUGH_FIX = "set -g allow-passthrough on"


def osc52(text: str, *, wrap: Wrap = "plain") -> str | None:
    """The escape sequence that asks the terminal to copy ``text``; None if it is too long."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    if len(payload) > MAX_COPY_BYTES:
        return None
    sequence = f"\x1b]52;c;{payload}\x07"
    if wrap == "tmux":
        # tmux passes a sequence through to the outer terminal only inside a DCS wrapper,
        # with every ESC in it doubled.
        return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    if wrap == "screen":
        return "".join(
            f"\x1bP{sequence[start : start + SCREEN_PIECE]}\x1b\\"
            for start in range(0, len(sequence), SCREEN_PIECE)
        )
    return sequence


@dataclass(frozen=True)
class TmuxOptions:
    """tmux's global options that decide whether a copy arrives; None: tmux did not say."""

    set_clipboard: str | None  # "on", "external" (tmux's default) or "off"
    allow_passthrough: str | None  # "on", "all" or "off"; tmux before 3.3 passes all


def ask_tmux(env: Mapping[str, str], *, timeout: float = TMUX_ASK_TIMEOUT) -> TmuxOptions:
    """``tmux show -gv`` for the two options, against the server ``$TMUX`` names."""
    return TmuxOptions(
        set_clipboard=_tmux_option("set-clipboard", env, timeout),
        allow_passthrough=_tmux_option("allow-passthrough", env, timeout),
    )


def _tmux_option(name: str, env: Mapping[str, str], timeout: float) -> str | None:
    try:
        done = subprocess.run(
            ["tmux", "show", "-gv", name],
            env=dict(env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        # tmux before 3.3 has no allow-passthrough option and passes every DCS through.
        if name == "allow-passthrough" and "invalid option" in done.stderr:
            return "on"
        return None
    return done.stdout.strip() or None


@dataclass(frozen=True)
class Plan:
    """How to send a copy, and when it is known not to arrive, what to set instead."""

    wrap: Wrap | None  # None: send nothing (clipboard = "off")
    fix: str | None = None  # the tmux line that would make it arrive


def plan(mode: ClipboardMode | None, env: Mapping[str, str], tmux: TmuxOptions | None) -> Plan:
    """The way to copy for the config's ``mode`` in this terminal (tmux: what it said)."""
    if mode == "off":
        return Plan(None)
    in_tmux = bool(env.get("TMUX"))
    said = tmux if in_tmux and tmux is not None else TmuxOptions(None, None)
    if mode == "tmux-passthrough":
        return Plan("tmux", PASSTHROUGH_FIX if said.allow_passthrough == "off" else None)
    if mode is None and in_tmux:
        if said.set_clipboard != "on" and said.allow_passthrough in ("on", "all"):
            return Plan("tmux")
    elif mode is None and env.get("STY"):
        return Plan("screen")
    # Plain OSC 52: tmux takes it from a program only with set-clipboard on.
    known_dropped = said.set_clipboard is not None and said.set_clipboard != "on"
    return Plan("plain", TMUX_FIX if known_dropped else None)


@dataclass(frozen=True)
class Outcome:
    """What to write to the terminal (None: nothing) and what to tell the person."""

    sequence: str | None
    message: str
    warning: bool


def outcome(text: str, what: str, how: Plan, *, config: str = "the config file") -> Outcome:
    """The sequence for ``text`` and a toast that claims no more than is known."""
    if how.wrap is None:
        return Outcome(
            None,
            f'Copying is off (clipboard = "off" in {config}): {what} is on screen to select '
            "(shift+drag in most terminals).",
            warning=False,
        )
    sequence = osc52(text, wrap=how.wrap)
    if sequence is None:
        return Outcome(
            None,
            f"{_capital(what)} is too long for the terminal clipboard: select it on screen instead.",
            warning=True,
        )
    if how.fix is not None:
        return Outcome(
            sequence,
            f"{_capital(what)} did not reach the clipboard: tmux drops OSC 52 as set up. "
            f"Add `{how.fix}` to ~/.tmux.conf, then run `tmux source ~/.tmux.conf` "
            "(or select the text on screen).",
            warning=True,
        )
    return Outcome(
        sequence,
        f"Sent {what} ({len(text)} characters) to the terminal's clipboard (OSC 52).",
        warning=False,
    )


def _capital(what: str) -> str:
    return what[:1].upper() + what[1:]


class Clipboard:
    """The app's way to copy: the config's mode, and what tmux said, asked once."""

    def __init__(
        self,
        mode: ClipboardMode | None = None,
        env: Mapping[str, str] | None = None,
        *,
        ask: Callable[[Mapping[str, str]], TmuxOptions] = ask_tmux,
        config: str = "the config file",
    ) -> None:
        self.mode = mode
        self.env = dict(os.environ if env is None else env)
        self.config = config
        self._ask = ask
        self._tmux: TmuxOptions | None = None
        self._asking: threading.Thread | None = None

    def prepare(self) -> None:
        """Ask tmux again, in a thread; the next copy waits for the answer.

        The preview calls this each time it opens, so a tmux setting changed on the
        toast's advice counts from the next preview on.
        """
        if self.mode == "off" or not self.env.get("TMUX"):
            return
        if self._asking is None or not self._asking.is_alive():
            self._asking = threading.Thread(target=self._ask_tmux, name="ask-tmux", daemon=True)
            self._asking.start()

    def _ask_tmux(self) -> None:
        self._tmux = self._ask(self.env)

    def copy(self, text: str, what: str) -> Outcome:
        if self._asking is None:
            self.prepare()
        if self._asking is not None:
            # Two tmux calls at most, each with its own timeout.
            self._asking.join(timeout=2 * TMUX_ASK_TIMEOUT + 0.5)
        done = outcome(text, what, plan(self.mode, self.env, self._tmux), config=self.config)
        if done.warning:
            # Not kept: the person may follow the toast's advice (set-clipboard on) and
            # copy again in the same preview; the next copy asks tmux again.
            self._asking = None
        return done
