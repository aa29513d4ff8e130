"""Frames cut down to the cells they change leave the terminal showing what whole frames do.

Each frame is written twice into a VT emulator (pyte): as Textual would write it, and cut
down by ``ScreenMemory``. After every frame the two screens hold the same characters with
the same colours and attributes, and the cut-down one was sent fewer bytes.
"""

from __future__ import annotations

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from wcwidth import wcwidth

from tui.app.screen_memory import ScreenMemory, cells_of, changed_spans

WIDTH, HEIGHT = 30, 6
CONSOLE = Console(color_system="truecolor", force_terminal=True, width=WIDTH, legacy_windows=False)
STYLES = [
    Style(color="#e0e0e0", bgcolor="#121212"),
    Style(color="#a1a1a1", bgcolor="#272727", italic=True),
    Style(color="#92c5ec", bgcolor="#0178d4", bold=True),
    Style(reverse=True),
]
TEXTS = ["a", "bc", "├─ ", "⊘ ", "名前", "x" * 7, " " * 5]


def written(pieces: list[tuple[int, int, Strip]]) -> str:
    return "".join(
        Control.move_to(x, y).segment.text + strip.render(CONSOLE) for y, x, strip in pieces
    )


@st.composite
def strips(draw: st.DrawFn, width: int) -> Strip:
    segments = draw(
        st.lists(
            st.tuples(st.sampled_from(TEXTS), st.sampled_from(STYLES)).map(lambda t: Segment(*t)),
            min_size=1,
            max_size=8,
        )
    )
    return Strip(segments).crop_extend(0, width, STYLES[0])


@st.composite
def frames(draw: st.DrawFn) -> list[tuple[int, int, Strip]]:
    if draw(st.booleans()):  # whole lines, as a layout update writes them
        rows = draw(st.lists(st.integers(0, HEIGHT - 1), min_size=1, unique=True))
        return [(y, 0, draw(strips(WIDTH))) for y in sorted(rows)]
    pieces = []  # pieces of lines, as a chops update writes them
    for _ in range(draw(st.integers(1, 6))):
        y = draw(st.integers(0, HEIGHT - 1))
        x = draw(st.integers(0, WIDTH - 1))
        width = draw(st.integers(1, WIDTH - x))
        pieces.append((y, x, draw(strips(width))))
    return pieces


def screen_of(stream: pyte.ByteStream, screen: pyte.Screen) -> list[list[tuple[object, ...]]]:
    rows = []
    for y in range(HEIGHT):
        row: list[tuple[object, ...]] = []
        for x in range(WIDTH):
            c = screen.buffer[y][x]
            orphan_right = c.data == "" and not (x and wcwidth(screen.buffer[y][x - 1].data) == 2)
            orphan_left = wcwidth(c.data) == 2 and (
                x + 1 == WIDTH or screen.buffer[y][x + 1].data != ""
            )
            if orphan_right or orphan_left:
                # Half of a wide character that was written over: a real terminal blanks
                # the other half, pyte keeps it. Either way a blank is seen.
                row.append((" ", c.fg, c.bg, c.bold, c.italics, c.reverse))
            else:
                row.append((c.data, c.fg, c.bg, c.bold, c.italics, c.reverse))
        rows.append(row)
    return rows


def terminal() -> tuple[pyte.Screen, pyte.ByteStream]:
    screen = pyte.Screen(WIDTH, HEIGHT)
    return screen, pyte.ByteStream(screen)


@settings(max_examples=300, deadline=None)
@given(st.lists(frames(), min_size=1, max_size=8))
def test_cut_down_frames_leave_the_same_screen(
    sequence: list[list[tuple[int, int, Strip]]],
) -> None:
    whole_screen, whole = terminal()
    cut_screen, cut = terminal()
    memory = ScreenMemory()
    for frame in sequence:
        whole.feed(written(frame).encode())
        cut.feed(written(memory.changes(frame, WIDTH)).encode())
        assert screen_of(cut, cut_screen) == screen_of(whole, whole_screen)


def test_a_frame_that_changes_one_word_writes_that_word() -> None:
    memory = ScreenMemory()
    plain = STYLES[0]
    before = [
        (y, 0, Strip([Segment(f"row {y} stays the same", plain)]).crop_extend(0, WIDTH, plain))
        for y in range(HEIGHT)
    ]
    assert memory.changes(before, WIDTH) == before, "the first frame is written whole"
    after = list(before)
    after[2] = (2, 0, Strip([Segment("row 2 stays the SAME", plain)]).crop_extend(0, WIDTH, plain))
    pieces = memory.changes(after, WIDTH)
    assert [(y, x, strip.text) for y, x, strip in pieces] == [(2, 16, "SAME")]
    assert memory.changes(after, WIDTH) == [], "the same frame again writes nothing"


def test_a_resize_forgets_what_was_shown() -> None:
    memory = ScreenMemory()
    frame = [(0, 0, Strip([Segment("x" * WIDTH, STYLES[0])]))]
    memory.changes(frame, WIDTH)
    assert memory.changes(frame, WIDTH) == []
    memory.forget()
    assert memory.changes(frame, WIDTH) == frame


def test_spans_join_across_short_gaps_and_keep_wide_characters_whole() -> None:
    old = cells_of(Strip([Segment("abcdefghijklmnopqrstuvwxyz")]))
    new = cells_of(Strip([Segment("Abcdefghijklmnopqrstuvwxyz")]))
    assert changed_spans(old, new) == [(0, 1)]
    new = cells_of(Strip([Segment("AbCdefghijklmnopqrstuvwxyZ")]))
    assert changed_spans(old, new) == [(0, 3), (25, 26)]
    old = cells_of(Strip([Segment("ab名前cd")]))
    new = cells_of(Strip([Segment("ab名後cd")]))
    assert changed_spans(old, new) == [(4, 6)]
