"""The editor's footer: at a narrow width it leaves out the less needed keys, so that
help and quit stay on the row instead of running off its right end."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer

from tui.app.actions import NARROW_WIDTH, WIDE_ONLY_ACTIONS


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._narrow: bool | None = None
        self._composed: tuple[Any, ...] | None = None

    @property
    def narrow(self) -> bool:
        return self.app.size.width < NARROW_WIDTH

    def _keys(self) -> tuple[Any, ...]:
        """What the footer shows: the shown bindings, whether each is enabled, the width."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return (
            self.narrow,
            *(
                (binding, enabled, tip)
                for key, (_, binding, enabled, tip) in self.screen.active_bindings.items()
                if binding.show or key == palette
            ),
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # Footer rebuilds every key on each focus change (the find bar closing, a dialog
        # going): some 50 ms of restyling before the next frame, for the same keys.
        if self._composed is not None and screen is self.screen and self._keys() == self._composed:
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        narrow = self._narrow = self.narrow
        self._composed = self._keys() if self._bindings_ready else None
        for widget in super().compose():
            # A key of the footer says its action (textual.widgets.FooterKey is not public).
            if narrow and getattr(widget, "action", None) in WIDE_ONLY_ACTIONS:
                continue
            yield widget

    def on_resize(self, event: Resize) -> None:
        if self._narrow is not None and self._narrow != self.narrow:
            self.call_after_refresh(self.recompose)
