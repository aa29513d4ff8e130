"""Leaving the copy on screen, for one editor screen: reload it from the server, go back
to the list, or quit. With unsent changes each asks first and says where the changes
are kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from tui.app.labels import diff_text
from tui.app.screens.dialogs import Ask
from tui.app.screens.quit import QuitQuestion
from tui.terminal_text import visible

if TYPE_CHECKING:
    from tui.app.screens.editor import EditorScreen


class LeaveFlow:
    def __init__(self, screen: EditorScreen) -> None:
        self.screen = screen

    def reload(self) -> None:
        """``r``: the group again from the server; unsent changes are reapplied over it."""
        screen = self.screen
        if screen.group_id is None:
            return
        if not screen.context.service.online:
            screen.notify(
                "Offline (opened from a file): there is no server to reload from.",
                severity="warning",
            )
            return
        group_id = screen.group_id
        if screen.session is None or not screen.session.has_changes:
            screen.load_group(group_id)
            return
        count = screen.session.change_count

        def answered(yes: bool | None) -> None:
            if yes:
                screen.load_group(group_id, reapply=True)

        screen.app.push_screen(
            Ask(
                "Reload from the server?",
                Text(
                    f"Your {count} change(s) will be reapplied over the fresh copy; fields the server changed too are named."
                ),
                yes="reload",
                no="stay",
            ),
            answered,
        )

    def back_to_list(self) -> None:
        """escape in an editor opened from the list: back to the list, asking first when
        there are unsent changes (they stay in the draft, offered when the group opens)."""
        screen = self.screen
        session = screen.session
        if session is None or not session.has_changes:
            screen.app.pop_screen()
            return
        changes = session.changes()
        body = Group(
            Text(
                f"{len(changes)} change(s) were not sent. "
                + visible(screen.context.where_changes_are_kept(session))
            ),
            Text(""),
            diff_text(changes),
        )

        def answered(yes: bool | None) -> None:
            if yes and screen in screen.app.screen_stack:
                screen.app.pop_screen()

        screen.app.push_screen(
            Ask("Back to the list without sending?", body, yes="back", no="stay"), answered
        )

    def quit(self) -> None:
        """``q``: quit; with unsent changes, the question says where they are kept."""
        screen = self.screen
        session = screen.session
        if session is None or not session.has_changes:
            screen.app.exit()
            return
        if any(isinstance(s, QuitQuestion) for s in screen.app.screen_stack):
            return  # already asking (ctrl+q pressed twice)
        changes = session.changes()
        where = screen.context.where_changes_are_kept(session, screen.draft_problem)
        body = Group(
            Text(f"{len(changes)} change(s) were not sent. " + visible(where)),
            Text(""),
            diff_text(changes),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                screen.app.exit()

        screen.app.push_screen(QuitQuestion(body, screen.action_write_file), answered)
