"""Offering a draft back when a group is opened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
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
from tui.session.draft import DraftError, DraftStore
from tui.session.draft_file import Draft
from tui.session.edit import EditSession
from tui.session.restore import take_leftover
from tui.terminal_text import visible

DraftChoice = Literal["restore", "discard", "later"]


class DraftDialog(ModalScreen[DraftChoice]):
    DEFAULT_CSS = DIALOG_CSS.format(name="DraftDialog")
    BINDINGS = [
        Binding("r", "choose('restore')", "Restore", id="draft-restore"),
        Binding("d", "choose('discard')", "Discard", id="draft-discard"),
        # escape applies nothing: the draft stays, neither applied nor deleted, offered next time.
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
                    "Discarding deletes the draft file; not now keeps it, unapplied, for the next time.",
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
    """Offer back each draft left for this group by an editor that ended, one after the
    other; what became of each is a toast. A running editor's draft is not offered."""
    try:
        left = drafts.leftovers(key, session.group_id)
    except OSError as error:  # an unreadable drafts folder must not stop the editor
        show_status(f"The drafts folder could not be read: {error.strerror or error}")
        return
    _offer_next(app, drafts, key, session, show_status, left)


def _offer_next(
    app: App[Any],
    drafts: DraftStore,
    key: str,
    session: EditSession,
    show_status: Callable[[str], None],
    left: list[Path],
) -> None:
    if not left:
        return
    path, rest = left[0], left[1:]
    try:
        draft = drafts.read(path)
    except DraftError as error:
        app.notify(visible(str(error)), severity="warning", markup=False, timeout=15)
        _offer_next(app, drafts, key, session, show_status, rest)
        return
    except OSError as error:
        if not isinstance(error, FileNotFoundError):  # gone: another editor took it
            show_status(f"A draft could not be read: {error.strerror or error}")
        _offer_next(app, drafts, key, session, show_status, rest)
        return
    if not draft.changes:
        _offer_next(app, drafts, key, session, show_status, rest)
        return

    def chosen(choice: str | None) -> None:
        if choice == "discard":
            try:
                drafts.remove(path)
                app.notify("Draft discarded.")
            except OSError as error:
                show_status(f"The draft could not be deleted: {error.strerror or error}")
        elif choice == "restore":
            report = take_leftover(drafts, key, session, path, draft)
            lines = [f"Restored {len(report.applied)} change(s) from the draft."]
            lines += [f"Not restored: {where}: {why}" for where, why in report.refused]
            if report.kept_at is not None:
                lines.append(f"The draft stays as {report.kept_at}.")
            app.notify(
                visible("\n".join(lines)),
                severity="warning" if report.refused or report.kept_at else "information",
                markup=False,
            )
        else:  # escape: nothing applied, nothing deleted; offered again next time
            app.notify(
                visible(f"Draft not applied; it stays in {path} for the next time."),
                markup=False,
                timeout=10,
            )
        _offer_next(app, drafts, key, session, show_status, rest)

    app.push_screen(DraftDialog(draft, session.last_updated_on), chosen)
