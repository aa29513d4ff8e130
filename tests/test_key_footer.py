"""The editor's footer: the keys of what has focus, rebuilt only when they change."""

from __future__ import annotations

from pathlib import Path

from app_support import loaded, make_app, wait_for
from textual.widgets._footer import FooterKey

from tui.app.widgets.key_footer import KeyFooter
from tui.stub import StubServer


async def test_the_footer_follows_the_find_bar_and_keeps_its_keys_otherwise(
    stub: StubServer, tmp_path: Path
) -> None:
    app = make_app(stub, tmp_path)
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await loaded(pilot)
        footer = screen.query_one(KeyFooter)

        def shown() -> list[str]:
            return [key.description for key in footer.query(FooterKey)]

        await wait_for(pilot, lambda: "Edit" in shown(), "the editing keys in the footer")
        before = shown()
        widgets = list(footer.query(FooterKey))
        footer.bindings_changed(screen)  # the same keys again (a focus change that keeps them)
        await pilot.pause()
        assert list(footer.query(FooterKey)) == widgets, "the same keys are not rebuilt"
        await pilot.press("slash")  # typing goes to the find bar: no editing keys
        await wait_for(pilot, lambda: "Edit" not in shown(), "the footer without editing keys")
        await pilot.press("escape")
        await wait_for(pilot, lambda: shown() == before, "the editing keys back in the footer")
