"""Submit, for one editor screen: what stops a send, the confirmation, the conflict check,
the PUT, and what follows (a fresh session, the audit trail, the server's warnings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from tui.app.screens.dialogs import ErrorDialog
from tui.app.screens.submit import ConfirmSubmit, ConflictChoice, ConflictDialog
from tui.session.conflict import ConflictReport
from tui.session.edit import EditSession
from tui.session.expression_sync import unsendable_targets
from tui.terminal_text import visible

if TYPE_CHECKING:
    from tui.app.screens.editor import EditorScreen


class SubmitFlow:
    def __init__(self, screen: EditorScreen) -> None:
        self.screen = screen

    def start(self) -> None:
        """ctrl+s: what would stop a send, or the question before it."""
        screen = self.screen
        session = screen.session
        if session is None or screen.submitting:
            return
        if not session.has_changes:
            screen.notify("No changes: nothing to send.")
            return
        if not screen.context.service.online:
            screen.notify(
                "Offline (opened from a file): configure a connection to submit.",
                severity="warning",
            )
            return
        problems = unsendable_targets(session)
        if problems:
            screen.app.push_screen(
                ErrorDialog(
                    "Not sent: a target's rule is not valid",
                    Group(
                        *(Text(visible(p)) for p in problems),
                        Text(""),
                        Text("Fix it (or revert it with x), then submit again. Nothing was sent."),
                    ),
                )
            )
            return
        url = screen.context.edit_url(session.group_id)

        def answered(send: bool | None) -> None:
            if send and not screen.submitting:
                self._send(overwrite=False)

        screen.app.push_screen(ConfirmSubmit(session, url, screen.context.body_mode), answered)

    def _send(self, *, overwrite: bool) -> None:
        self.screen.submitting = True
        self.screen.update_top_bar()
        self.screen.run_worker(self._submit(overwrite), exclusive=True, group="submit")

    async def _submit(self, overwrite: bool) -> None:
        from tui.app.context import audit_gap_text

        screen = self.screen
        session = screen.session
        assert session is not None
        if not overwrite:
            screen.show_status("Checking the server for changes since you loaded the group…")
        submitted = await screen.context.submit(
            session,
            recheck=not overwrite,
            sending=lambda: screen.show_status("Sending…"),
            waiting=screen.show_status,
        )
        self._finish()
        screen.warn_audit_gap(audit_gap_text(submitted.audit_gap))
        if submitted.conflict is not None:
            conflict = submitted.conflict
            screen.app.push_screen(
                ConflictDialog(conflict), lambda c: self._conflict_chosen(c, conflict)
            )
            return
        if submitted.error is not None:  # the dialog says what failed; every edit stays
            screen.show_error(
                f"Submit of group {session.group_id} failed", submitted.error, session
            )
            return
        result = submitted.result
        assert result is not None
        sent = submitted.changes
        screen.open_session(EditSession(result.group), offer_draft=False)
        summary = Text(f"Saved {len(sent)} change(s): " + ", ".join(c.path_text for c in sent))
        warnings = list(result.warnings or [])
        if warnings:
            summary.append("\nThe server warned: " + "; ".join(str(w) for w in warnings))
        screen.notify(
            visible(summary.plain),
            severity="warning" if warnings else "information",
            markup=False,
            timeout=10,
        )

    def _finish(self) -> None:
        self.screen.submitting = False
        self.screen.show_status("")
        self.screen.update_top_bar()

    def _conflict_chosen(self, choice: ConflictChoice | None, report: ConflictReport) -> None:
        screen = self.screen
        session = screen.session
        if session is None or choice in (None, "cancel"):
            screen.notify("Not sent. Your changes are kept.")
            return
        if choice == "overwrite":
            self._send(overwrite=True)
            return
        clashes = session.rebase(report.current_group)
        screen.group_tree.show_session(session)
        screen.after_change()
        note = f"Reloaded the newer group and reapplied your {session.change_count} change(s); review, then submit again."
        if clashes:
            note += " Also changed there: " + ", ".join(clashes)
        screen.notify(visible(note), markup=False, timeout=10)
