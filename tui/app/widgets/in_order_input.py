"""An Input whose editing keys act in the order they were typed.

Textual runs a key's binding (ctrl+u, backspace, the arrows, enter) only once the key
has bubbled up from the focused widget; letters typed right behind it in the same burst
(typeahead over SSH, a terminal's paste of keys) are inserted first. ``ctrl+u`` then
deletes them too, and ``enter`` submits before they arrive. Here the Input's own
bindings run as its key arrives, before the next key is read.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
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

    async def _on_key(self, event: events.Key) -> None:
        action = self._OWN_KEYS.get(event.key)
        if action is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        await self.run_action(action)
