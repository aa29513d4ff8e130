"""Preview: the exact PUT body, the field-level diff and the request as curl."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TabbedContent, TabPane, TextArea

from tui.app.clipboard import osc52
from tui.app.context import EditorContext
from tui.app.labels import diff_text
from tui.app.textual_private import write_to_terminal
from tui.session.body import BodyMode
from tui.session.edit import EditSession
from tui.terminal_text import json_for_terminal

# What m changes, said where it is chosen (it holds for every later submit of this run).
MODE_MEANING = {
    "minimal": "Body mode minimal: only the changed fields (and the id) are sent.",
    "full": "Body mode full: the whole editable group is sent, changed or not.",
}


class PreviewScreen(ModalScreen[bool]):
    """Dismisses with True when ctrl+s (or s) asks for the send question."""

    DEFAULT_CSS = """
    PreviewScreen { align: center middle; }
    PreviewScreen > Vertical { width: 95%; height: 90%; border: thick $primary; background: $panel; }
    PreviewScreen #preview-title { text-style: bold; padding: 0 1; }
    PreviewScreen #preview-mode { color: $text-muted; padding: 0 1; }
    PreviewScreen TextArea { height: 1fr; }
    PreviewScreen TabbedContent { height: 1fr; }
    PreviewScreen TabPane { height: 1fr; padding: 0; }
    """
    # The footer shows these (tgedit's KeyFooter follows the screen on top); `?` lists them.
    BINDINGS = [
        Binding("escape,q,p", "close", "Close", id="preview-close", tooltip="close the preview"),
        Binding(
            "m",
            "toggle_mode",
            "Body mode",
            id="preview-mode",
            tooltip="minimal or full body: the mode shown is the mode sent, for the rest of this run",
        ),
        Binding("c", "copy_body", "Copy body", id="preview-copy-body", tooltip="copy the PUT body"),
        Binding(
            "C",
            "copy_curl",
            "Copy curl",
            id="preview-copy-curl",
            tooltip="copy the request as curl (secrets as shell variables)",
        ),
        # priority: the read-only TextArea would take tab to move focus instead.
        Binding(
            "tab",
            "next_tab(1)",
            "Next tab",
            id="preview-next-tab",
            priority=True,
            show=False,
            tooltip="next tab: body, diff, curl",
        ),
        Binding(
            "shift+tab",
            "next_tab(-1)",
            "Previous tab",
            id="preview-previous-tab",
            priority=True,
            show=False,
            tooltip="previous tab",
        ),
        Binding(
            "ctrl+s,s",
            "submit",
            "Submit",
            id="preview-submit",
            tooltip="close the preview and ask to send this body",
        ),
        Binding(
            "question_mark,f1", "help", "Help", id="preview-help", show=False, tooltip="these keys"
        ),
    ]

    def __init__(
        self,
        session: EditSession,
        context: EditorContext,
        *,
        on_mode: Callable[[], None] | None = None,
    ) -> None:
        """``on_mode``: called when m changes the body mode (the top bar shows it)."""
        super().__init__()
        self.session = session
        self.context = context
        self.mode: BodyMode = context.body_mode
        self._on_mode = on_mode

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="preview-title")
            with TabbedContent(id="preview-tabs"):
                with TabPane("Body", id="tab-body"):
                    yield TextArea(
                        id="preview-body", read_only=True, soft_wrap=True, show_line_numbers=False
                    )
                with TabPane("Diff", id="tab-diff"):
                    yield Static(id="preview-diff")
                with TabPane("curl", id="tab-curl"):
                    yield TextArea(
                        id="preview-curl", read_only=True, soft_wrap=True, show_line_numbers=False
                    )
            yield Static(id="preview-mode")

    def on_mount(self) -> None:
        # Copying is a key away: find out now (in a thread) what tmux lets through.
        self.context.copier.prepare()
        self._fill()
        self.query_one("#preview-body", TextArea).focus()

    def _fill(self) -> None:
        body = self.session.body_text(self.mode)
        self.query_one("#preview-title", Static).update(
            Text(
                f"PUT body ({self.mode}) · {len(body.encode())} bytes · "
                f"{self.session.change_count} changed field{'s' if self.session.change_count != 1 else ''}"
            )
        )
        # Shown with any C1 or bidi character as \uNNNN: the same JSON, nothing a terminal
        # could obey (copying with c still copies the exact body).
        self.query_one("#preview-body", TextArea).load_text(json_for_terminal(body))
        self.query_one("#preview-diff", Static).update(diff_text(self.session.changes()))
        other = "full" if self.mode == "minimal" else "minimal"
        self.query_one("#preview-mode", Static).update(
            Text(
                f"{MODE_MEANING[self.mode]} m switches to {other}, kept for every submit "
                "of this run. tab: body, diff, curl."
            )
        )
        curl = self.context.curl_for(self.session, self.mode)
        self.query_one("#preview-curl", TextArea).load_text(json_for_terminal(curl))

    @property
    def body_text(self) -> str:
        return self.session.body_text(self.mode)

    def action_toggle_mode(self) -> None:
        """The mode shown is the mode sent: submit reads the app's body mode."""
        self.mode = "full" if self.mode == "minimal" else "minimal"
        self.context.body_mode = self.mode
        self._fill()
        if self._on_mode is not None:
            self._on_mode()

    def action_next_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane) if pane.id]
        at = panes.index(tabs.active) if tabs.active in panes else 0
        tabs.active = panes[(at + step) % len(panes)]

    def action_copy_body(self) -> None:
        self._copy(self.body_text, "the PUT body")

    def action_copy_curl(self) -> None:
        self._copy(self.context.curl_for(self.session, self.mode), "the curl command")

    def _copy(self, text: str, what: str) -> None:
        done = self.context.copier.copy(text, what)
        if done.sequence == osc52(text):
            self.app.copy_to_clipboard(text)  # Textual's own: the same bytes, and App.clipboard
        elif done.sequence is not None:
            write_to_terminal(self.app, done.sequence)  # wrapped for tmux/screen
        self.notify(
            done.message,
            severity="warning" if done.warning else "information",
            timeout=12 if done.warning else 6,
            markup=False,
        )

    def action_close(self) -> None:
        self.dismiss(False)

    def action_submit(self) -> None:
        self.dismiss(True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offline (a group file) there is nothing to submit to: the key is not offered."""
        return action != "submit" or self.context.service.online

    def action_help(self) -> None:
        from tui.app.help_text import preview_rows, screen_help
        from tui.app.screens.dialogs import HelpScreen

        rows = preview_rows(self.context.keymap)
        self.app.push_screen(HelpScreen(screen_help("In the preview", rows)))
