"""A guard on the bytes the editor writes to its terminal (issue 20's targets, with margin).

The byte counts of ``tests/bench/wire.py`` are exact and nearly the same from run to run
(a frame can split differently), so they make a test with a margin; the times of that
bench stay in the bench. The editor runs in a pseudo-terminal of 120×40, truecolor,
against the stand-in over HTTP.
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path
from typing import Any

import pyte
import pytest

from tui.stub.server import StubServer

sys.path.insert(0, str(Path(__file__).parent / "bench"))
import wire
from run import child_env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("real-terminal")]


def moves(env: dict[str, str], base_url: str) -> tuple[int, float, bytes]:
    """Bytes of the first screen, the median of 12 cursor moves, and all that was written."""
    pty, first_screen = wire.start(wire.editor(base_url), env)
    try:
        return first_screen, statistics.median(wire.per_key(pty, wire.DOWN, 12)), bytes(pty.raw)
    finally:
        pty.end()


def test_the_editor_writes_few_bytes_a_frame(stub: StubServer, tmp_path: Path) -> None:
    env = child_env(tmp_path, COLORTERM="truecolor")
    first_screen, move, written = moves(env, stub.base_url)
    assert first_screen <= 45_000
    assert move <= 1_500
    assert re.search(rb"\x1b\[[0-9;]*38;2;", written), "colour is written"
    _, move_without_colour, written = moves(dict(env, NO_COLOR="1"), stub.base_url)
    assert move_without_colour <= 0.7 * move
    assert re.findall(rb"\x1b\[[0-9;]*[34]8;[0-9;]*m", written) == [], "NO_COLOR: no colour"
    assert re.search(rb"\x1b\[[0-9;]*7m", written), "the cursor's row is shown reversed"


def test_a_typed_character_writes_a_few_hundred_bytes(stub: StubServer, tmp_path: Path) -> None:
    env = child_env(tmp_path, COLORTERM="truecolor")
    pty, _ = wire.start(wire.editor(stub.base_url), env)
    typed: list[Any]
    try:
        for keys in wire.OPEN_NAME_EDITOR:
            pty.send(keys)
            pty.read(0.5, 5)
        typed = wire.per_key(pty, b"x", 8)
        screen = pyte.Screen(wire.COLUMNS, wire.ROWS)
        pyte.ByteStream(screen).feed(bytes(pty.raw))
        assert any("uatTargetGroup80" in row and "x" * 8 in row for row in screen.display)
    finally:
        pty.end()
    assert statistics.median(typed) <= 300
