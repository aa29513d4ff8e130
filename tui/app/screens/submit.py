"""Submitting: the confirmation, and what to do when the group moved on the server."""

from __future__ import annotations

from typing import Literal

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.app.labels import MUTED, diff_text
from tui.app.screens.dialogs import DIALOG_CSS
from tui.fields.presentation import short_value_text
from tui.session.body import BodyMode
from tui.session.conflict import ConflictReport
from tui.session.edit import EditSession
from tui.terminal_text import visible


class ConfirmSubmit(ModalScreen[bool]):
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmSubmit")
    BINDINGS = [
        Binding("y", "answer(True)", "Send", id="confirm-send"),
        Binding("n,escape", "answer(False)", "Back", id="confirm-back"),
    ]

    def __init__(self, session: EditSession, url: str, mode: BodyMode) -> None:
        super().__init__()
        self._session = session
        self._url = url
        self._mode = mode

    def compose(self) -> ComposeResult:
        count = self._session.change_count
        with Vertical():
            yield Static(
                Text(f"Send {count} change{'s' if count != 1 else ''}?"), classes="dialog-title"
            )
            with VerticalScroll():
                yield Static(
                    Group(
                        Text.assemble(("PUT ", "bold"), visible(self._url)),
                        Text(
                            f"body: {self._mode}, {len(self._session.body_text(self._mode).encode())} bytes",
                            style=MUTED,
                        ),
                        Text(""),
                        diff_text(self._session.changes()),
                    )
                )
            yield Static(Text("y  send    n / escape  back to editing"), classes="dialog-keys")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


ConflictChoice = Literal["reapply", "overwrite", "cancel"]


class ConflictDialog(ModalScreen[ConflictChoice]):
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ConflictDialog")
        + """
    ConflictDialog > Vertical { border: thick $warning; }
    """
    )
    BINDINGS = [
        Binding("r", "choose('reapply')", "Reload and reapply", id="conflict-reapply"),
        Binding("o", "choose('overwrite')", "Overwrite", id="conflict-overwrite"),
        Binding("c,escape", "choose('cancel')", "Cancel", id="conflict-cancel"),
    ]

    def __init__(self, report: ConflictReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        report = self.report
        lines: list[Text] = [
            Text(
                "Someone changed this group on the server after you loaded it "
                f"(last updated {visible(report.expected or '?')} → {visible(report.actual or '?')})."
            ),
            Text(""),
        ]
        if report.server_changes:
            lines.append(Text("Changed on the server:", style="bold"))
            for change in report.server_changes[:40]:
                lines.append(
                    Text.assemble(
                        "  ",
                        (visible(change.path_text), "bold"),
                        ": ",
                        (short_value_text(change.before), "red"),
                        (" → ", MUTED),
                        short_value_text(change.after),
                    )
                )
            if len(report.server_changes) > 40:
                lines.append(Text(f"  … and {len(report.server_changes) - 40} more", style=MUTED))
        else:
            lines.append(
                Text("No field you can see differs; only the change marker moved.", style=MUTED)
            )
        lines.append(Text(""))
        if report.clashes:
            lines.append(
                Text(
                    "You changed the same fields: " + ", ".join(report.clashes) + ". "
                    "Reloading would put your value over theirs unseen, so it is not offered; "
                    "overwrite only if you mean to replace their change.",
                    style="bold",
                )
            )
        keys = "o  overwrite anyway    c / escape  cancel (your edits stay)"
        if not report.clashes:
            keys = "r  reload and reapply your changes    " + keys
        with Vertical():
            yield Static(Text("The group changed on the server"), classes="dialog-title")
            with VerticalScroll():
                yield Static(Group(*lines))
            yield Static(Text(keys), classes="dialog-keys")

    def action_choose(self, choice: ConflictChoice) -> None:
        if choice == "reapply" and self.report.clashes:
            self.app.bell()
            return
        self.dismiss(choice)
