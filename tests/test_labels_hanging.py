"""The detail panel's and the help's rows (``Hanging``: a label, and a value that wraps
under itself) draw exactly what the ``Table.grid`` they replaced drew: the same character
and the same style in every cell, at every width, for labels and values of any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType
from rich.style import Style
from rich.text import Text

from tui.app.labels import Hanging

CONSOLE = Console(width=200, color_system="truecolor", force_terminal=True, legacy_windows=False)
STYLES = st.sampled_from(
    [Style(), Style(dim=True, italic=True), Style(bold=True), Style(color="red")]
)
WORDS = st.sampled_from(
    [
        "a",
        "bb",
        "type",
        "ENDED",
        "x" * 30,
        "日本語",
        "—",
        "",
        "12345",
        "\n",
        "  ",
        "currentTxn.value>3200",
    ]
)


def cells(renderable: RenderableType, width: int) -> list[list[tuple[str, Style]]]:
    """Each line as (character, style) per cell: what a terminal shows."""
    lines = CONSOLE.render_lines(renderable, CONSOLE.options.update_width(width), pad=True)
    return [
        [(char, segment.style or Style.null()) for segment in line for char in segment.text]
        for line in lines
    ]


@st.composite
def rows(draw: st.DrawFn) -> Hanging:
    label = Text(" ".join(draw(st.lists(WORDS, max_size=3))), style=draw(STYLES))
    value = Text(" ".join(draw(st.lists(WORDS, max_size=14))), style=draw(STYLES))
    if draw(st.booleans()):
        value.stylize(draw(STYLES), 0, draw(st.integers(0, 8)))
    return Hanging(label, value, indent=draw(st.sampled_from([0, 2])))


@settings(max_examples=400, deadline=None)
@given(row=rows(), width=st.integers(1, 70))
def test_a_row_draws_what_the_table_drew(row: Hanging, width: int) -> None:
    assert cells(row, width) == cells(row.table(), width)


def test_a_long_value_wraps_under_itself_not_under_the_label() -> None:
    row = Hanging(Text("why       "), Text("the server sets it when a period ends"))
    drawn = ["".join(char for char, _ in line).rstrip() for line in cells(row, 30)]
    assert drawn == ["why       the server sets it", "          when a period ends"]
