"""An Input whose editing keys act in the order they were typed.

Textual runs a key's binding (ctrl+u, backspace, the arrows, enter) only once the key
has bubbled up from the focused widget; letters typed right behind it in the same burst
(typeahead over SSH, a terminal's paste of keys) are inserted first. ``ctrl+u`` then
deletes them too, and ``enter`` submits before they arrive. Here the Input's own
bindings run as its key arrives, before the next key is read.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input


def _own_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for binding in Input.BINDINGS:
        if isinstance(binding, Binding):
            for key in binding.key.split(","):
                keys[key.strip()] = binding.action
    return keys


class InOrderInput(Input):
    _OWN_KEYS = _own_keys()

    @property
    def content_width(self) -> int:
        # Input sets its virtual size from this on every character typed, and a new
        # virtual size lays the screen out again, which repaints every scroll bar on it
        # (~1.5 KB a character over SSH). At least the box's width, it stays the same
        # while the text fits; longer text still scrolls.
        return max(super().content_width, self.scrollable_content_region.width)

    async def on_key(self, event: events.Key) -> None:
        # Dispatched before Input's own key handler; prevent_default() keeps that one
        # (and the binding the key would bubble up to) from running it a second time.
        action = self._OWN_KEYS.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            await self.run_action(action)


class LazyInput:
    """An InOrderInput that ``host`` adds the first time it is asked for (a key that needs
    it), or just after its first frame, whichever comes first (docs/performance.md, "Why each start-up measure exists").
    """

    def __init__(self, host: Widget, *, before: int | None = None, **options: Any) -> None:
        self._host, self._before, self._options = host, before, options
        self.added: InOrderInput | None = None

    def get(self) -> InOrderInput:
        if self.added is None:
            self.added = InOrderInput(**self._options)
            self._host.mount(self.added, before=self._before)
        return self.added

    def add_after_first_frame(self) -> None:
        self._host.call_after_refresh(self._add_if_attached)

    def _add_if_attached(self) -> None:
        # The app may be gone by then (a quick ctrl+q, or a benchmark that quits at its
        # first frame): mounting into a removed widget raises.
        if self._host.is_attached:
            self.get()
