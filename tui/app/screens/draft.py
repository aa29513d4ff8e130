"""Offering a draft back when a group is opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from rich.console import Group
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.app.labels import CHANGED, MUTED
from tui.app.screens.dialogs import DIALOG_CSS
from tui.fields.presentation import short_value_text
from tui.fields.terminal_text import visible
from tui.session.draft import DraftError, DraftStore
from tui.session.draft_file import Draft
from tui.session.edit import EditSession
from tui.session.restore import restore_draft

DraftChoice = Literal["restore", "discard", "later"]


class DraftDialog(ModalScreen[DraftChoice]):
    DEFAULT_CSS = DIALOG_CSS.format(name="DraftDialog")
    BINDINGS = [
        Binding("r", "choose('restore')", "Restore", id="draft-restore"),
        Binding("d", "choose('discard')", "Discard", id="draft-discard"),
        # escape applies nothing: the draft is set aside, neither applied nor deleted.
        Binding("escape", "choose('later')", "Not now", id="draft-later"),
    ]

    def __init__(self, draft: Draft, server_last_updated_on: str | None) -> None:
        super().__init__()
        self.draft = draft
        self.server_last_updated_on = server_last_updated_on

    def compose(self) -> ComposeResult:
        draft = self.draft
        lines = [
            Text(f"Unsent changes to group {draft.group_id}, saved {visible(draft.saved_at)}:"),
            Text(""),
        ]
        for path, value in draft.changes:
            lines.append(
                Text.assemble(
                    "  ", (visible(path), "bold"), " = ", (short_value_text(value), CHANGED)
                )
            )
        if draft.last_updated_on != self.server_last_updated_on:
            lines += [
                Text(""),
                Text(
                    "The group changed on the server since this draft was made "
                    f"(last updated {visible(draft.last_updated_on or '?')} → "
                    f"{visible(self.server_last_updated_on or '?')}). Restoring applies your "
                    "changes over the newer group: check them before you submit.",
                    style="bold",
                ),
            ]
        with Vertical():
            yield Static(Text("A draft was found"), classes="dialog-title")
            with VerticalScroll():
                yield Static(Group(*lines))
            yield Static(
                Text("r  restore it    d  discard it    escape  not now"), classes="dialog-keys"
            )
            yield Static(
                Text(
                    "Discarding deletes the draft file; not now keeps it aside, unapplied.",
                    style=MUTED,
                ),
                classes="dialog-keys",
            )

    def action_choose(self, choice: DraftChoice) -> None:
        self.dismiss(choice)


def offer_kept_draft(
    app: App[Any],
    drafts: DraftStore,
    key: str,
    session: EditSession,
    show_status: Callable[[str], None],
) -> None:
    """Offer back the draft kept for this group, if any; what became of it is a toast."""
    try:
        draft = drafts.load(key, session.group_id)
    except DraftError as error:
        app.notify(visible(str(error)), severity="warning", markup=False, timeout=15)
        return
    except OSError as error:  # an unreadable drafts folder must not stop the editor
        show_status(f"The drafts folder could not be read: {error.strerror or error}")
        return
    if draft is None or not draft.changes:
        return

    def chosen(choice: str | None) -> None:
        if choice == "discard":
            drafts.discard(key, session.group_id)
            app.notify("Draft discarded.")
            return
        if choice != "restore":  # escape: nothing applied, and the next edit must not replace it
            try:
                kept = drafts.set_aside(key, session.group_id)
            except OSError as error:
                show_status(f"The draft could not be set aside: {error.strerror or error}")
                return
            app.notify(visible(f"Draft not applied; kept as {kept}."), markup=False, timeout=10)
            return
        report = restore_draft(session, draft)
        lines = [f"Restored {len(report.applied)} change(s) from the draft."]
        lines += [f"Not restored: {path}: {why}" for path, why in report.refused]
        app.notify(
            visible("\n".join(lines)),
            severity="warning" if report.refused else "information",
            markup=False,
        )

    app.push_screen(DraftDialog(draft, session.last_updated_on), chosen)
