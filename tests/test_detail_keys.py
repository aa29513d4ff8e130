"""The detail panel under key repeat: it follows every move and never goes stale."""

from __future__ import annotations

from pathlib import Path

from app_support import loaded, make_app, rows_inside, wait_for

from tui.app.screens.editor import EditorScreen
from tui.fields.paths import format_path
from tui.stub.server import StubServer


def heading(screen: EditorScreen) -> str:
    """The detail panel's first row on screen: the path of the field it describes."""
    return rows_inside(screen.app, screen.detail)[0].strip()


async def test_after_a_burst_of_keys_the_detail_shows_the_field_under_the_cursor(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        tree = screen.group_tree
        await pilot.press(*["down"] * 8)  # a burst, as key repeat sends
        path = tree.cursor_path
        assert path is not None and path != ("name",)
        await wait_for(
            pilot, lambda: heading(screen) == format_path(path), "the detail of the cursor"
        )
        await pilot.press("up")  # one move after the burst
        await pilot.pause()
        await wait_for(
            pilot,
            lambda: heading(screen) == format_path(tree.cursor_path or ()),
            "the detail after one more key",
        )
