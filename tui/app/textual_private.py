"""The one place tgedit reaches into Textual's private attributes.

Textual 8 has no public way to write raw bytes to the terminal: ``App.copy_to_clipboard``
sends a plain OSC 52 only, and a copy wrapped for tmux or GNU screen needs its own
sequence. ``tests/test_textual_private.py`` checks that what is used here still exists,
so an upgrade that moves it fails there, by name, rather than as a copy that silently
does nothing.
"""

from __future__ import annotations

from textual.app import App


def write_to_terminal(app: App[object], text: str) -> None:
    """Send ``text`` to the terminal as it is (no-op while no driver runs, headless tests
    included: Textual's own copy_to_clipboard does the same)."""
    driver = app._driver
    if driver is not None:
        driver.write(text)
