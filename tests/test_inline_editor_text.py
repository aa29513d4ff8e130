"""The inline editor's text as it is drawn: short values in place, long ones scrolled."""

from __future__ import annotations

from pathlib import Path

from app_support import go_to, loaded, make_app, screen_text, wait_for, wait_for_text

from tui.stub.server import StubServer


async def test_a_value_longer_than_the_box_scrolls_to_what_is_typed(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await go_to(pilot, "description")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.field_editor.is_open, "the inline editor")
        words = [f"word{n:02d}" for n in range(20)]  # 139 characters: wider than the box
        await pilot.press("ctrl+u", *" ".join(words))
        shown = await wait_for_text(pilot, "word19")
        assert "word00" not in shown, "the start has scrolled out of the box"
        await pilot.press("home")
        shown = await wait_for_text(pilot, "word00")
        assert "word19" not in shown, "home scrolls back to the start"


async def test_a_short_value_is_drawn_whole_as_it_is_typed(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await go_to(pilot, "name")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.field_editor.is_open, "the inline editor")
        await pilot.press("ctrl+u", *"Spring")
        await wait_for_text(pilot, "Spring")
        await pilot.press(*" points", "backspace", "backspace")
        shown = await wait_for_text(pilot, "Spring poin")
        assert "Spring points" not in shown
        assert "Spring poin" in screen_text(app)
