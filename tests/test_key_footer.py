"""The editor's footer: the keys of what has focus, drawn by one widget, redrawn only
when they change; a click on a key presses it."""

from __future__ import annotations

from pathlib import Path

from app_support import loaded, make_app, screen_text, wait_for, wait_for_text

from tui.app.screens.dialogs import HelpScreen
from tui.app.widgets.key_footer import KeyFooter
from tui.stub.server import StubServer


def footer_row(app: object) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_footer_follows_the_find_bar_and_keeps_its_keys_otherwise(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await loaded(pilot)
        footer = screen.query_one(KeyFooter)
        await wait_for(pilot, lambda: "e Edit" in footer_row(app), "the editing keys")
        before = footer_row(app)
        assert before.startswith(" e Edit  / Find  x Revert"), before
        assert before.rstrip().endswith("▏^p palette"), before
        entries = footer.entries
        footer.bindings_changed(screen)  # the same keys again (a focus change that keeps them)
        await pilot.pause()
        assert footer.entries is entries, "the same keys are not redrawn"
        await pilot.press("slash")  # typing goes to the find bar: no key that types a letter
        await wait_for(pilot, lambda: "e Edit" not in footer_row(app), "no editing keys")
        assert "/ Find" not in footer_row(app)  # / types a slash there
        assert "? Help" not in footer_row(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: footer_row(app) == before, "the editing keys back")


async def test_a_click_on_a_key_in_the_footer_presses_it(stub: StubServer, tmp_path: Path) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        row = footer_row(app)
        column = row.index("? Help") + 3  # on the word, not the key
        await pilot.click(KeyFooter, offset=(column, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        await wait_for_text(pilot, "Keys")


async def test_at_80_columns_the_footer_keeps_help_and_quit_and_the_palette(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        row = footer_row(app)
        assert "? Help" in row and "q Quit" in row, row
        assert "x Revert" not in row and "e Edit" not in row, row
        assert row.rstrip().endswith("▏^p palette"), row  # a row of 80 cells: it fits
