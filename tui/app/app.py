"""The Textual application: owns the GroupService, the draft store and app-wide policy.

Screens ask the app for what crosses screens (errors, copying, the curl text, the
audit hook); the app never builds an HTTP request either: GroupService does.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen

from tui.app import expression_view
from tui.app.actions import EDITOR_ACTIONS
from tui.app.clipboard import Clipboard, osc52
from tui.app.screens.dialogs import Ask, ErrorDialog
from tui.app.screens.editor import EditorScreen
from tui.app.widgets.group_tree import passed_up_by
from tui.fields import FieldPath, format_path
from tui.fields.terminal_text import visible
from tui.session import BodyMode, DraftStore, EditRefused, EditSession
from tui.session.audit import AuditLog, SentPut, from_the_put
from tui.session.remote import GroupService


def error_body(error: BaseException) -> list[Text]:
    """What failed in words (ApiError.lines: the message, then what it does not say)."""
    # Imported here: an API error means the client is loaded already, while at the top
    # this would load httpx before the first frame.
    from tui.api import ApiError

    if isinstance(error, ApiError):
        headline, *details = error.lines()
    else:
        headline, details = str(error) or type(error).__name__, []
    return [Text(visible(headline)), *(Text("  " + visible(line)) for line in details)]


# TGEDIT_TIMINGS=1: print "first frame after N ms" on stderr once the app has exited.
# TGEDIT_EXIT_AFTER_FIRST_FRAME=1: quit right after the first frame (startup benchmarks).
TIMINGS_ENV = "TGEDIT_TIMINGS"
EXIT_AFTER_FIRST_FRAME_ENV = "TGEDIT_EXIT_AFTER_FIRST_FRAME"


class TgEditApp(App[None]):
    TITLE = "tgedit"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        *,
        service: GroupService,
        drafts: DraftStore,
        group_id: int | None = None,
        session: EditSession | None = None,
        file: Path | None = None,
        body_mode: BodyMode = "minimal",
        keymap: dict[str, str] | None = None,
        audit: AuditLog | None = None,
        clipboard: Clipboard | None = None,
        drafts_last: bool = True,
    ) -> None:
        super().__init__()
        # App.clipboard is Textual's own (the last text copied); this is how to send it.
        self.copier = clipboard or Clipboard()
        self.service = service
        self.drafts = drafts
        # Every PUT sent is appended here (tgedit history reads it); None: no trail.
        self.audit = audit
        # False in the demo: its drafts live in a folder deleted when it ends.
        self.drafts_last = drafts_last
        self.start_group_id = group_id
        self.start_session = session
        self.file = file
        self.body_mode: BodyMode = body_mode
        self._user_keymap = dict(keymap or {})
        self.started_at = time.perf_counter()
        self.first_frame_at: float | None = None

    # --- where we are -----------------------------------------------------------------

    @property
    def source_label(self) -> str:
        if self.file is not None and not self.service.online:
            return f"{self.file.name} (offline)"
        return self.service.base_url or "offline"

    @property
    def draft_key(self) -> str | None:
        """Drafts are keyed by base URL; a file opened offline is keyed by its own path."""
        if self.service.base_url:
            return self.service.base_url
        if self.file is not None:
            return self.file.resolve().as_uri()
        return None

    def edit_url(self, group_id: int) -> str:
        return f"{self.service.base_url}/v3/targetGroups/editTargetGroup/{group_id}"

    # --- starting ---------------------------------------------------------------------

    def on_mount(self) -> None:
        if self._user_keymap:
            self.set_keymap(self._user_keymap)
        if self.start_session is not None:
            self.push_screen(EditorScreen(session=self.start_session, source=self.source_label))
        elif self.start_group_id is not None:
            self.push_screen(EditorScreen(group_id=self.start_group_id, source=self.source_label))
        else:
            from tui.app.screens.picker import PickerScreen  # DataTable: only when needed

            self.push_screen(PickerScreen(self.source_label))
        if self.start_session is not None or self.start_group_id is None:
            self.call_after_refresh(self._first_frame)
        # else: the first frame that counts is the one that shows the fetched group.

    def _first_frame(self) -> None:
        self.first_frame_at = time.perf_counter()
        self.log.info(self.timings())
        if os.environ.get(EXIT_AFTER_FIRST_FRAME_ENV) == "1":
            self.exit()

    def _frame_drawn(self, screen: Screen[Any]) -> None:
        # Opened on an id, the first frame that counts is the first one handed to the
        # terminal after the group opened: Textual publishes a screen's layout refresh
        # once it has handed the new frame over (the next refresh may come before it).
        screen.screen_layout_refresh_signal.unsubscribe(self)
        if self.first_frame_at is None:
            self._first_frame()

    def timings(self) -> str:
        if self.first_frame_at is None:
            return "no frame was drawn"
        return f"first frame after {1000 * (self.first_frame_at - self.started_at):.0f} ms"

    def run(self, *args: Any, **kwargs: Any) -> Any:
        try:
            # What exit() was given (None for the editor; a test harness passes its own).
            return super().run(*args, **kwargs)
        finally:
            # Only now: while the app runs, Textual owns the terminal.
            if os.environ.get(TIMINGS_ENV) == "1":
                print(self.timings(), file=sys.stderr)

    def open_group(self, group_id: int) -> None:
        self.push_screen(EditorScreen(group_id=group_id, source=self.source_label))

    async def on_unmount(self) -> None:
        await self.service.aclose()

    # --- policy screens ask for ---------------------------------------------------------

    def apply_field_edit(
        self, screen: EditorScreen, session: EditSession, path: FieldPath, value: Any
    ) -> None:
        """Set a field; a new expression offers its regenerated expressionJson, as one undo step."""
        if not expression_view.is_expression(path) or not isinstance(value, str):
            session.set(path, value)
            return
        json_path = expression_view.sibling(path, "expressionJson")
        regenerated = expression_view.regenerated_json(value, session.value(json_path))
        if regenerated is None or regenerated == session.value(json_path):
            session.set(path, value)
            if regenerated is None:
                self.notify(
                    "The expression does not parse, so expressionJson was left as it was: "
                    "fix one or the other.",
                    severity="warning",
                )
            return
        problem = session.check(path, value)
        if problem:
            raise EditRefused(format_path(path), problem)

        def answered(sync: bool | None) -> None:
            if sync is None:  # escape: nothing is applied
                self.notify("Not changed: the expression is as it was.")
                return
            if sync:
                session.set_many([(path, value), (json_path, regenerated)])
                self.notify(
                    "Set the expression and its regenerated expressionJson (one undo step)."
                )
            else:
                session.set(path, value)
                self.notify(
                    "Set the expression only: expressionJson now disagrees with it.",
                    severity="warning",
                )

        self.push_screen(
            Ask(
                "Regenerate expressionJson too?",
                Text(
                    "The API takes both fields and trusts them to agree. "
                    "y (or enter) sets both in one step; n sets the expression only."
                ),
                yes="set both",
                no="expression only",
                default_yes=True,
                cancel="change nothing",
            ),
            answered,
        )

    def session_opened(self, session: EditSession) -> None:
        """Flag, once, targets whose expression and expressionJson disagree as fetched."""
        if self.first_frame_at is None and self.start_session is None:
            self.screen.screen_layout_refresh_signal.subscribe(self, self._frame_drawn)
        disagreeing = expression_view.disagreeing_targets(session)
        if disagreeing:
            self.notify(
                "expression and expressionJson disagree in target(s) "
                + ", ".join(str(t) for t in disagreeing)
                + ": the detail panel of either field shows how.",
                severity="warning",
                timeout=10,
            )

    def field_warning(self, path: FieldPath, value: Any) -> str | None:
        """A warning that does not block the edit (an expression our parser cannot read)."""
        if expression_view.is_expression(path) and isinstance(value, str) and value.strip():
            return expression_view.syntax_problem(value)
        return None

    def field_notes(self, session: EditSession, path: FieldPath) -> list[RenderableType]:
        return expression_view.notes(session, path)

    def unsendable(self, session: EditSession) -> list[str]:
        """Why this session's changes may not be sent (a target's rules); empty: they may."""
        return expression_view.unsendable_targets(session)

    def where_changes_are_kept(self, session: EditSession) -> str:
        """A true sentence about what happens to unsent changes when the editor closes."""
        if not self.draft_key:
            return "They are not saved anywhere: they will be lost."
        if not self.drafts_last:
            return "This is the demo: its drafts are deleted when it ends, so they will be lost."
        return (
            f"They stay in the draft file {self.drafts.path_for(self.draft_key, session.group_id)} "
            "and are offered back when the group is opened again."
        )

    def submitted(self, session: EditSession, result: Any) -> None:
        """Called after a successful PUT, before the session is replaced: the audit trail."""
        status = getattr(result, "status", 200)
        warnings = list(getattr(result, "warnings", None) or [])
        self._audit(
            lambda audit, put: audit.record_success(put, status=status, warnings=warnings), session
        )

    def submit_failed(self, session: EditSession, error: BaseException) -> None:
        """Called when a submit failed; a PUT that went out goes to the audit trail."""
        if from_the_put(error):
            self._audit(lambda audit, put: audit.record_failure(put, error), session)

    def _audit(self, write: Callable[[AuditLog, SentPut], None], session: EditSession) -> None:
        if self.audit is None or not self.service.base_url:
            return
        put = self.service.sent_put(session, self.body_mode)
        try:
            write(self.audit, put)
        except OSError as error:  # the PUT happened either way: say the trail has a gap
            self.notify(
                visible(f"The audit log {self.audit.path} could not be written: {error.strerror}"),
                severity="warning",
                markup=False,
            )

    def show_error(self, title: str, error: BaseException, session: EditSession | None) -> None:
        lines: list[Text] = error_body(error)
        if session is not None and session.has_changes:
            kept = f"Your {session.change_count} change(s) are kept"
            if self.draft_key and self.drafts_last:
                kept += f", and saved in the draft file {self.drafts.path_for(self.draft_key, session.group_id)}"
            kept += "."
            lines += [Text(""), Text(visible(kept), style="bold")]
        self.push_screen(ErrorDialog(title, Group(*lines)))

    def curl_for(self, session: EditSession, mode: BodyMode) -> str:
        if not self.service.online:
            return "# offline: no connection is configured, so there is no request to show"
        return self.service.curl(session, mode)

    def copy_text(self, text: str, what: str) -> None:
        done = self.copier.copy(text, what)
        if done.sequence == osc52(text):
            self.copy_to_clipboard(text)  # Textual's own: the same bytes, and App.clipboard
        elif done.sequence is not None:
            self._write_wrapped(text, done.sequence)
        self.notify(
            done.message,
            severity="warning" if done.warning else "information",
            timeout=12 if done.warning else 6,
            markup=False,
        )

    def _write_wrapped(self, text: str, sequence: str) -> None:
        """A copy wrapped for tmux or GNU screen: Textual has no public way to write raw
        bytes, so this is the one place that reaches for its driver."""
        self.copy_to_clipboard(text)  # App.clipboard; the plain OSC 52 is dropped or harmless
        driver = self._driver
        if driver is not None:
            driver.write(sequence)

    # --- keys in a burst ---------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """A key the tree passed up after an earlier key of the same burst moved focus
        (``/`` opened find, ``enter`` the inline editor, ``q`` a question) belongs to
        what has focus now, not to the tree's bindings."""
        tree = passed_up_by(event)
        if tree is None:
            return
        if (self.screen.focused or self.screen) is not tree:
            event.stop()
            event.prevent_default()
            # Pressed again, as App.simulate_key does: the key goes to what has focus now.
            self.post_message(events.Key(event.key, event.character))

    # --- every way out asks when there are unsent changes -------------------------------

    async def action_quit(self) -> None:
        """ctrl+q and the palette's Quit: the same question as q."""
        self.ask_to_quit()

    def action_help_quit(self) -> None:
        """ctrl+c: people press it to leave; it leaves the way q does."""
        self.ask_to_quit()

    def ask_to_quit(self) -> None:
        editor = next((s for s in self.screen_stack if isinstance(s, EditorScreen)), None)
        if editor is None:
            self.exit()
            return
        editor.action_quit_editor()

    # --- keys: one registry for bindings, help and palette -------------------------------

    def keymap_for_help(self) -> dict[str, str]:
        return {
            k: ",".join(v) if isinstance(v, list | tuple) else str(v)
            for k, v in self._user_keymap.items()
        }

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, EditorScreen):
            for action in EDITOR_ACTIONS:
                if action.palette:
                    yield SystemCommand(action.title, action.help, _runner(screen, action.action))


def _runner(screen: EditorScreen, action: str) -> Any:
    async def run() -> None:
        await screen.run_action(action)

    return run
