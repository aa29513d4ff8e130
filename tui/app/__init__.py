"""The Textual editor. Import ``tui.app.run`` for the entry points; this package imports
Textual, so the headless commands never import it."""
