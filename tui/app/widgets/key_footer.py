"""The editor's footer: at a narrow width it leaves out the less needed keys, so that
help and quit stay on the row instead of running off its right end."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer

from tui.app.actions import NARROW_WIDTH, WIDE_ONLY_ACTIONS


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._narrow: bool | None = None

    @property
    def narrow(self) -> bool:
        return self.app.size.width < NARROW_WIDTH

    def compose(self) -> ComposeResult:
        narrow = self._narrow = self.narrow
        for widget in super().compose():
            # A key of the footer says its action (textual.widgets.FooterKey is not public).
            if narrow and getattr(widget, "action", None) in WIDE_ONLY_ACTIONS:
                continue
            yield widget

    def on_resize(self, event: Resize) -> None:
        if self._narrow is not None and self._narrow != self.narrow:
            self.call_after_refresh(self.recompose)
