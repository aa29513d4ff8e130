"""The main screen: the tree, the detail panel, inline editing, find, and the flows that
reach the server (load, reload, submit) through the app's GroupService."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen

from tui.app import expression_view
from tui.app.actions import NEEDS_A_GROUP, NEEDS_A_SERVER, bindings
from tui.app.context import EditorContext
from tui.app.screens.edit_flow import EditFlow
from tui.app.widgets.detail import DetailPanel, describe_field
from tui.app.widgets.field_editor import FieldEditor
from tui.app.widgets.find_bar import FindBar
from tui.app.widgets.group_tree import GroupTree
from tui.app.widgets.key_footer import KeyFooter
from tui.app.widgets.top_bar import TopBar
from tui.fields.paths import FieldPath
from tui.session.draft import DraftKeeper
from tui.session.edit import EditSession
from tui.terminal_text import visible

if TYPE_CHECKING:
    from tui.api.fetched import FetchedGroup
    from tui.app.screens.leave_flow import LeaveFlow
    from tui.app.screens.submit_flow import SubmitFlow

# Dialogs, the submit flow, the questions before leaving, help, the preview and the
# expression checks are imported when first used (docs/performance.md, "Why each start-up measure exists").

# Work that follows a group's opening (its check, the find index) waits this long (s),
# so that its thread does not compete with drawing the group.
AFTER_FIRST_FRAME = 0.3


class EditorScreen(Screen[None]):
    BINDINGS = bindings()
    # Back from a dialog with nothing focused, the tree has the keys (not the hidden input
    # of a closed inline editor, where ctrl+z would undo typing that is gone).
    AUTO_FOCUS = "#tree"

    DEFAULT_CSS = """
    EditorScreen #main { height: 1fr; layers: base editor; }
    EditorScreen GroupTree { width: 3fr; height: 1fr; layer: base; scrollbar-size: 1 1; }
    EditorScreen DetailPanel { layer: base; width: 2fr; min-width: 30; border-left: solid $primary-darken-2; }
    """

    def __init__(
        self,
        context: EditorContext,
        *,
        group_id: int | None = None,
        session: EditSession | None = None,
        from_picker: bool = False,
    ) -> None:
        """``from_picker``: opened from the list of groups, which escape goes back to."""
        super().__init__()
        self.context = context
        self.from_picker = from_picker
        self.group_id = group_id
        self.session: EditSession | None = None
        self._initial_session = session
        self.source = context.source_label
        self.submitting = False
        self._submit_flow: SubmitFlow | None = None
        self._leave_flow: LeaveFlow | None = None
        # Actions whose bindings the footer shows though they are bound with show=False.
        self.footer_also_shows: frozenset[str] = frozenset()
        self.edit_flow = EditFlow(self)
        self._keeper: DraftKeeper | None = None

    @property
    def submit_flow(self) -> SubmitFlow:
        if self._submit_flow is None:
            from tui.app.screens.submit_flow import SubmitFlow

            self._submit_flow = SubmitFlow(self)
        return self._submit_flow

    @property
    def group_tree(self) -> GroupTree:
        return self.query_one(GroupTree)

    @property
    def field_editor(self) -> FieldEditor:
        return self.query_one(FieldEditor)

    @property
    def find_bar(self) -> FindBar:
        return self.query_one(FindBar)

    @property
    def _find_hits(self) -> Sequence[FieldPath]:
        # Kept for tests/test_app_flows.py, which waits on it (FindBar.hits is the API).
        return self.find_bar.hits

    @property
    def detail(self) -> DetailPanel:
        return self.query_one(DetailPanel)

    def compose(self) -> ComposeResult:
        yield TopBar(id="top-bar")
        # The inline editor is laid over the tree's row from a layer of its own, not in a
        # Vertical with it (docs/performance.md, "Why each start-up measure exists").
        with Horizontal(id="main"):
            yield (tree := GroupTree(id="tree"))
            yield FieldEditor(id="field-editor")
            yield DetailPanel(id="detail")
        yield FindBar(tree, id="find-bar")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.context.offline_file is not None:
            # Offline on a group file, ``w`` (writing it back) is the way changes leave:
            # the footer shows it (its binding, remapped or not, is otherwise left out).
            self.footer_also_shows = frozenset({"write_file"})
        self.update_top_bar()
        if self._initial_session is not None:
            self.open_session(self._initial_session, offer_draft=True)
        elif self.group_id is not None:
            # Fetched while the editor's code imported: the first frame shows the group.
            fetched = self.context.service.ready_reply(self.group_id)
            if fetched is not None:
                self._open_fetched(fetched)
            else:
                self.load_group(self.group_id)
        self.group_tree.focus()

    def on_resize(self, event: events.Resize) -> None:
        # An open inline editor stays as wide as the tree (once the tree has its new size).
        if self.field_editor.is_open:
            self.call_after_refresh(self._fit_field_editor)

    def _fit_field_editor(self) -> None:
        width = self.group_tree.outer_size.width
        if self.field_editor.is_open and self.field_editor.styles.width != width:
            self.field_editor.styles.width = width

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows only the keys that act now (design.md, "Keys inside an open
        editor"): nothing to edit, find or send before a group is on screen, nothing to
        send or reload from offline."""
        if action in NEEDS_A_SERVER and not self.context.service.online:
            return False
        if action in NEEDS_A_GROUP:
            return self.session is not None
        if action == "back_to_list":
            return self.from_picker
        return True

    def show_error(self, title: str, error: BaseException, session: EditSession | None) -> None:
        from tui.app.screens.dialogs import error_dialog

        kept = self.context.kept_note(session, self.draft_problem)
        self.app.push_screen(error_dialog(title, error, kept))

    @property
    def draft_problem(self) -> OSError | None:
        """Why the session's draft is not on disk, if its last write failed."""
        return self._keeper.last_error if self._keeper is not None else None

    def warn_audit_gap(self, problem: str | None) -> None:
        if problem is not None:  # the PUT happened either way: say the trail has a gap
            self.notify(visible(problem), severity="warning", markup=False)

    # --- loading ----------------------------------------------------------------------

    @work(exclusive=True, group="fetch")
    async def load_group(self, group_id: int, reapply: bool = False) -> None:
        if not self.context.service.has_reply(group_id):  # else no frame of "loading" first
            # No spinner: the status line says what is awaited, and a reload keeps the tree
            # on screen, readable while the server answers.
            self.show_status(
                f"Fetching group {group_id}…"
                if self.session is None
                else f"Reloading group {group_id} from the server…"
            )
        try:
            fetched = await self.context.service.fetch(group_id)
        except Exception as error:  # every failure becomes a dialog; the edits stay in memory
            self.show_error(f"Could not fetch group {group_id}", error, self.session)
            if self.session is None:
                self.show_status(f"Group {group_id} is not loaded. r retries, q quits.")
            else:
                self.show_status(
                    f"Reload of group {group_id} failed: this is the copy loaded before."
                )
            return
        self.show_status("")
        if reapply and self.session is not None:
            clashes = self.session.rebase(fetched.group)
            self.group_tree.show_session(self.session)
            self.after_change()
            message = (
                f"Reloaded group {group_id}; your {self.session.change_count} change(s) reapplied."
            )
            if clashes:
                message += " Changed on the server too (check them): " + ", ".join(clashes)
            self.notify(
                visible(message), severity="warning" if clashes else "information", markup=False
            )
            return
        self._open_fetched(fetched)

    def _open_fetched(self, fetched: FetchedGroup) -> None:
        self.open_session(EditSession(fetched.group, take=True), offer_draft=True)
        if not fetched.checked:  # prefetched: checked once the group is on screen
            self.set_timer(AFTER_FIRST_FRAME, lambda: self._check_fetched(fetched))

    @work(exclusive=True, group="check")
    async def _check_fetched(self, fetched: FetchedGroup) -> None:
        """A group of the wrong shape is taken away again, with the fetch's own error."""
        try:
            await self.context.service.check_fetched(fetched)
        except Exception as error:
            if self.session is None or self.session.original is not fetched.group:
                return  # another group since
            group_id = self.session.group_id
            self.session = None
            self.group_tree.session = None
            self.group_tree.clear()
            self.update_top_bar()
            self.refresh_bindings()
            self.show_error(f"Could not fetch group {group_id}", error, None)
            self.show_status(f"Group {group_id} is not loaded. r retries, q quits.")

    def open_session(self, session: EditSession, *, offer_draft: bool) -> None:
        self.session = session
        self.group_id = session.group_id
        self.refresh_bindings()
        key = self.context.draft_key
        self._keeper = DraftKeeper(self.context.drafts, key) if key else None
        if self._keeper is not None:
            session.subscribe(self._keeper)
        session.subscribe(lambda _session: self.after_change())
        self.group_tree.show_session(session)
        self.after_change()
        self.call_after_refresh(self._after_first_frame, session)
        if offer_draft and key and self.context.drafts.may_have(key, session.group_id):
            from tui.app.screens.draft import offer_kept_draft  # a dialog: only when due

            offer_kept_draft(self.app, self.context.drafts, key, session, self.show_status)

    def _after_first_frame(self, session: EditSession) -> None:
        """What opening a group also does, once the group is on screen: flag targets whose
        expression and expressionJson disagree (it parses every expression), and build
        the index of text find (in a thread)."""
        if session is not self.session:
            return  # another group since
        from tui.app.screens.expression_edit import flag_disagreeing

        flag_disagreeing(self.app, session)
        self.find_bar.build_index(session)

    # --- showing ----------------------------------------------------------------------

    def after_change(self) -> None:
        self.group_tree.refresh_changes()
        self.update_top_bar()
        self._show_detail()
        if self._keeper is not None and self._keeper.last_error is not None:
            self.show_status(f"The draft could not be written: {self._keeper.last_error.strerror}")

    def update_top_bar(self) -> None:
        session = self.session
        group = None
        if session is not None:
            name = session.value(("name",))
            group = f"group {session.group_id} · {name if isinstance(name, str) else '—'}"
        elif self.group_id is not None:
            group = f"group {self.group_id}"
        state = "submitting…" if self.submitting else None
        mode = self.context.body_mode
        self.query_one(TopBar).show(
            source=self.source,
            group=group,
            changes=session.change_count if session else 0,
            state=state,
            # Only when not the default: m in the preview chose it for this run.
            mode=None if mode == "minimal" else f"body: {mode}",
        )

    def show_status(self, message: str) -> None:
        self.find_bar.status(message)

    @on(GroupTree.NodeHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        path = self.group_tree.cursor_path
        if self.session is None or path is None:
            return
        self.detail.show(
            describe_field(self.session, path, expression_view.notes(self.session, path))
        )

    # --- editing: tui/app/screens/edit_flow.py -------------------------------------------

    @on(GroupTree.EditRequested)
    def _edit_requested(self, event: GroupTree.EditRequested) -> None:
        self.edit_flow.edit(event.path)

    def action_edit_here(self) -> None:
        path = self.group_tree.cursor_path
        if path is not None:
            self.edit_flow.edit(path)

    @on(FieldEditor.Committed)
    def _committed(self, event: FieldEditor.Committed) -> None:
        # The tree has the keys again before a question opens: it gets them back after it.
        self.set_focus(self.group_tree)
        # ctrl+s: the send question once the value is set (after the regenerate question)
        self.edit_flow.apply(
            event.path, event.value, then=self.action_submit if event.submit else None
        )

    @on(FieldEditor.Checked)
    def _edit_checked(self, event: FieldEditor.Checked) -> None:
        self.find_bar.edit_message(event.text, event.state)

    @on(FieldEditor.Cancelled)
    def _cancelled(self) -> None:
        self.group_tree.focus()

    def action_revert(self) -> None:
        self.edit_flow.revert()

    def action_undo(self) -> None:
        self.edit_flow.step_history(redo=False)

    def action_redo(self) -> None:
        self.edit_flow.step_history(redo=True)

    # --- find -------------------------------------------------------------------------

    def action_find(self) -> None:
        self.find_bar.open()

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape" and self.find_bar.is_open:
            event.stop()
            self.find_bar.cancel()

    def action_find_next(self) -> None:
        self.find_bar.step(+1)

    def action_find_previous(self) -> None:
        self.find_bar.step(-1)

    # --- preview and submit -----------------------------------------------------------

    def action_preview(self) -> None:
        if self.session is None:
            return
        if not self.session.has_changes:
            self.notify("No changes yet: nothing would be sent.")
            return
        from tui.app.screens.preview import PreviewScreen

        def closed(submit: bool | None) -> None:
            if submit:  # ctrl+s or s in the preview: the question, as from the tree
                self.action_submit()

        self.app.push_screen(
            PreviewScreen(self.session, self.context, on_mode=self.update_top_bar), closed
        )

    def action_write_file(self) -> None:
        """``w``: the group with the pending changes, as ``tgedit export`` writes it."""
        from tui.app.screens.write_file import ask_and_write

        if self.session is not None:
            ask_and_write(self.app, self.session, self.context.offline_file)

    def action_submit(self) -> None:
        self.submit_flow.start()

    # --- reload, help, quit: tui/app/screens/leave_flow.py ----------------------------

    @property
    def leave_flow(self) -> LeaveFlow:
        if self._leave_flow is None:
            from tui.app.screens.leave_flow import LeaveFlow

            self._leave_flow = LeaveFlow(self)
        return self._leave_flow

    def action_reload(self) -> None:
        self.leave_flow.reload()

    def action_help(self) -> None:
        from tui.app.help_text import help_text
        from tui.app.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen(help_text(self.context.keymap)))

    def action_inline_help(self) -> None:
        """F1 in the inline editor: its own keys."""
        from tui.app.help_text import inline_editor_rows, screen_help
        from tui.app.screens.dialogs import HelpScreen

        rows = inline_editor_rows(self.context.keymap)
        self.app.push_screen(HelpScreen(screen_help("In the inline editor", rows)))

    def action_back_to_list(self) -> None:
        self.leave_flow.back_to_list()

    def action_quit_editor(self) -> None:
        self.leave_flow.quit()
