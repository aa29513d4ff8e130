"""The editor's footer: the keys of what has focus, drawn as one line by one widget.

It shows the keys of the screen on top: a dialog or the preview laid over the editor
has no footer of its own, and the editor's keys do nothing while it is there.

Textual's ``Footer`` mounts a widget per key (why not: docs/performance.md, "Why each start-up measure exists"). This
draws the same row (key in the footer-key colours, then its description;
the command palette's key at the right end) as one ``Text``. A click on a key presses
it, as on ``Footer``. At a narrow width it leaves out the less needed keys, so that help
and quit stay on the row instead of running off its right end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widget import Widget

from tui.app.actions import NARROW_WIDTH, WIDE_ONLY_ACTIONS

# Keys that type a character Textual does not name (key_to_character): an input that
# takes the character takes the key, so the footer leaves it out there.
_CHARACTERS = {"slash": "/"}


@dataclass(slots=True)
class FooterEntry:
    """One key as the footer shows it. Compared whole: a focus change that keeps the keys
    draws nothing."""

    key: str  # what a click presses
    display: str  # as Textual writes it: "^s", "?", "/"
    description: str
    action: str
    enabled: bool
    tooltip: str
    palette: bool = False  # the command palette's key, at the right end


class KeyFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--item",
        "key-footer--hover",
        "key-footer--separator",
    }
    # The colours of textual.widgets.Footer and its FooterKey, so that the row looks the same.
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--item { background: $footer-item-background; }
        & > .key-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .key-footer--separator { color: $foreground 20%; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.entries: tuple[FooterEntry, ...] = ()
        # (first column, end column, entry) of each key as last drawn, for clicks.
        self._spans: list[tuple[int, int, FooterEntry]] = []
        self._hover: FooterEntry | None = None
        self._narrow: bool | None = None  # the width the entries were chosen for
        self._shown: Screen[Any] | None = None  # whose keys: the screen on top

    @property
    def narrow(self) -> bool:
        return self.app.size.width < NARROW_WIDTH

    @property
    def descriptions(self) -> list[str]:
        """The keys' descriptions in the order shown (the palette's last)."""
        return [entry.description for entry in self.entries]

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self._screen_changed(self.app.screen)

    def on_unmount(self) -> None:
        self.app.screen_change_signal.unsubscribe(self)
        if self._shown is not None:
            self._shown.bindings_updated_signal.unsubscribe(self)

    def _screen_changed(self, top: Screen[Any]) -> None:
        """A screen pushed or popped: the keys of the one on top, if it lies over ours."""
        shown = top if self.screen in self.app.screen_stack else self.screen
        if shown is self._shown:
            return
        if self._shown is not None:
            self._shown.bindings_updated_signal.unsubscribe(self)
        self._shown = shown
        shown.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(shown)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is not self._shown:
            return
        entries = self._entries()
        if entries != self.entries:  # a focus change that keeps the keys draws nothing
            self.entries = entries
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self.narrow != self._narrow and self._shown is not None:  # narrow keys, or wide
            self.bindings_changed(self._shown)

    def _entries(self) -> tuple[FooterEntry, ...]:
        """What Footer shows: the first binding of each shown action, then the palette."""
        narrow = self._narrow = self.narrow
        screen = self._shown or self.screen
        active = screen.active_bindings
        focused = screen.focused
        also_shown: frozenset[str] = getattr(screen, "footer_also_shows", frozenset())
        seen: set[str] = set()
        entries: list[FooterEntry] = []
        for key, (_node, binding, enabled, tooltip) in active.items():
            if not (binding.show or binding.action in also_shown) or binding.action in seen:
                continue
            character = key_to_character(key) or _CHARACTERS.get(key)
            if focused is not None and character and focused.check_consume_key(key, character):
                continue  # typed into the input that has focus
            seen.add(binding.action)
            if narrow and binding.action in WIDE_ONLY_ACTIONS:
                continue
            entries.append(self._entry(binding, enabled, tooltip))
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            _node, binding, enabled, tooltip = palette
            entries.append(self._entry(binding, enabled, tooltip, palette=True))
        return tuple(entries)

    def _entry(
        self, binding: Any, enabled: bool, tooltip: str, *, palette: bool = False
    ) -> FooterEntry:
        return FooterEntry(
            key=binding.key,
            display=self.app.get_key_display(binding),
            description=binding.description,
            action=binding.action,
            enabled=enabled,
            tooltip=tooltip or binding.tooltip or binding.description,
            palette=palette,
        )

    # --- drawing ----------------------------------------------------------------------

    def render(self) -> Text:
        row = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        keys = [entry for entry in self.entries if not entry.palette]
        palette = next((entry for entry in self.entries if entry.palette), None)
        for entry in keys:
            self._append(row, entry)
        if palette is not None:
            # Docked at the right end after a thin rule, as on Footer: keys that do not
            # fit go under it.
            left = max(0, self.size.width - self._label(palette).cell_len - 1)
            row.truncate(left, pad=True)
            self._spans = [
                (start, min(end, left), e) for start, end, e in self._spans if start < left
            ]
            row.append("▏", self.get_component_rich_style("key-footer--separator"))
            self._append(row, palette)
        return row

    def _append(self, row: Text, entry: FooterEntry) -> None:
        start = row.cell_len
        row.append_text(self._label(entry))
        self._spans.append((start, row.cell_len, entry))

    def _label(self, entry: FooterEntry) -> Text:
        """`` key description `` (FooterKey's padding); the palette's key is compact on
        Footer: ``key description`` and a space after."""
        key, description = (
            (entry.display, f" {entry.description} ")
            if entry.palette
            else (f" {entry.display} ", f"{entry.description} ")
        )
        label = Text.assemble(
            (key, self.get_component_rich_style("key-footer--key")),
            (description, self.get_component_rich_style("key-footer--description")),
        )
        base: Style = self.get_component_rich_style("key-footer--item")
        if entry == self._hover:
            base += self.get_component_rich_style("key-footer--hover")
        label.stylize_before(base)
        if not entry.enabled:
            label.stylize(Style(dim=True))
        return label

    # --- the mouse --------------------------------------------------------------------

    def _entry_at(self, x: int) -> FooterEntry | None:
        return next((entry for start, end, entry in self._spans if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        entry = self._entry_at(event.x)
        if entry is None:
            return
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self._entry_at(event.x)
        if entry != self._hover:
            self._hover = entry
            self.tooltip = entry.tooltip if entry is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()
