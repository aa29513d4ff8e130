"""Copying over SSH: OSC 52, wrapped for tmux, capped, with a fallback people can select."""

from __future__ import annotations

import base64
import os

# Many terminals drop OSC 52 payloads past ~100 KB; tmux's own limit is lower still.
MAX_COPY_BYTES = 75_000


def osc52(text: str, *, tmux: bool | None = None) -> str | None:
    """The escape sequence that asks the terminal to copy ``text``; None if it is too long."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    if len(payload) > MAX_COPY_BYTES:
        return None
    sequence = f"\x1b]52;c;{payload}\x07"
    if tmux if tmux is not None else bool(os.environ.get("TMUX")):
        # tmux passes a sequence through to the outer terminal only inside a DCS wrapper,
        # with every ESC in it doubled.
        return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence
