"""Small modal dialogs: a yes/no question, an error, the help list."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.terminal_text import visible

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 100; height: auto; max-height: 90%;
    border: thick $primary; background: $panel; padding: 0 1;
}}
{name} .dialog-title {{ text-style: bold; padding: 0 0 1 0; }}
{name} .dialog-keys {{ color: $text-muted; padding: 1 0 0 0; }}
{name} VerticalScroll {{ height: auto; max-height: 60vh; }}
"""


def error_body(error: BaseException) -> list[Text]:
    """What failed in words (ApiError.lines: the message, then what it does not say)."""
    # Imported here: at the top it would load httpx (docs/performance.md, "Why each start-up measure exists").
    from tui.api.errors import ApiError

    if isinstance(error, ApiError):
        headline, *details = error.lines()
    else:
        headline, details = str(error) or type(error).__name__, []
    return [Text(visible(headline)), *(Text("  " + visible(line)) for line in details)]


def error_dialog(title: str, error: BaseException, kept: str | None = None) -> ErrorDialog:
    """The dialog for a failure; ``kept`` says what became of the unsent changes."""
    lines = error_body(error)
    if kept is not None:
        lines += [Text(""), Text(visible(kept), style="bold")]
    return ErrorDialog(title, Group(*lines))


def plain_text(renderable: RenderableType) -> str:
    """The words of a dialog body (Text, or a Group of them), for copying and for tests."""
    if isinstance(renderable, Text):
        return renderable.plain
    if isinstance(renderable, Group):
        return "\n".join(plain_text(r) for r in renderable.renderables)
    return str(renderable)


class Ask(ModalScreen[bool | None]):
    """A question answered with y or n. escape answers None: nothing is done (for a plain
    yes/no question that is the same as n; ``cancel`` names it when it is not)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="Ask")
    # Not in the footer: the dialog's own line names the keys in its words.
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="ask-yes", show=False),
        Binding("n", "answer(False)", "No", id="ask-no", show=False),
        Binding("escape", "cancel", "Cancel", id="ask-cancel", show=False),
        # A binding, not a key_ handler: the key stops here. A handler let it on to the
        # screen below once the answer closed the dialog (enter opened the field again).
        Binding("enter", "enter", "Default", id="ask-enter", show=False),
    ]

    def __init__(
        self,
        title: str,
        body: RenderableType,
        *,
        yes: str = "yes",
        no: str = "no",
        default_yes: bool = False,
        cancel: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self._body = body
        self._default_yes = default_yes
        yes_keys = f"y{' / enter' if default_yes else ''}  {yes}"
        if cancel:
            self._keys = f"{yes_keys}    n  {no}    escape  {cancel}"
        else:
            self._keys = f"{yes_keys}    n / escape  {no}"

    def action_enter(self) -> None:
        if self._default_yes:
            self.dismiss(True)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="dialog-title")
            with VerticalScroll():
                yield Static(self._body)
            yield Static(Text(self._keys), classes="dialog-keys")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ErrorDialog(ModalScreen[None]):
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ErrorDialog")
        + """
    ErrorDialog > Vertical { border: thick $error; }
    """
    )
    BINDINGS = [Binding("escape,enter,q", "close", "Close", id="error-close", show=False)]

    def __init__(self, title: str, body: RenderableType) -> None:
        super().__init__()
        self._title = title
        self._body = body

    @property
    def text(self) -> str:
        return self._title + "\n" + plain_text(self._body)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._title), classes="dialog-title")
            with VerticalScroll():
                yield Static(self._body)
            yield Static(Text("enter / escape  close"), classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="HelpScreen")
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help-close", show=False)]

    def __init__(self, body: RenderableType) -> None:
        super().__init__()
        self._body = body

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Keys"), classes="dialog-title")
            with VerticalScroll():
                yield Static(self._body)
            yield Static(Text("escape  close    ctrl+p  command palette"), classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
