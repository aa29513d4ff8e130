"""The Textual application: builds the EditorContext the screens work with, opens the
first screen, and keeps what is app-wide (quitting, the palette).

The app never builds an HTTP request either: GroupService does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import SystemCommand
from textual.filter import LineFilter
from textual.screen import Screen
from textual.scrollbar import ScrollBar

from tui.app import collector
from tui.app.actions import EDITOR_ACTIONS
from tui.app.context import EditorContext
from tui.app.no_color import without_colour
from tui.app.screens.editor import EditorScreen
from tui.app.scrollbars import JoinedScrollBarRender
from tui.app.textual_private import WritesChangedCellsOnly
from tui.app.widgets.group_tree import passed_up_by

if TYPE_CHECKING:
    from tui.config.file import ClipboardMode
    from tui.session.audit import AuditLog
    from tui.session.body import BodyMode
    from tui.session.draft import DraftStore
    from tui.session.edit import EditSession
    from tui.session.remote import GroupService


# Textual's palette commands that would conflict with tgedit's keys and help.
TEXTUAL_COMMANDS_LEFT_OUT = frozenset({"Keys", "Maximize", "Minimize"})


class TgEditApp(WritesChangedCellsOnly):
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
        audit: AuditLog | Path | None = None,
        clipboard: ClipboardMode | None = None,
        config_path: Path | None = None,
        drafts_last: bool = True,
    ) -> None:
        """``audit``: the audit log, or its file (opened at the first PUT); None: no trail.
        ``clipboard`` and ``config_path``: how to copy, as the config file says."""
        super().__init__()
        ScrollBar.renderer = JoinedScrollBarRender  # Textual's documented way (scrollbars.py)
        self.context = EditorContext(
            service,
            drafts,
            audit=audit,
            clipboard=clipboard,
            config_path=config_path,
            body_mode=body_mode,
            drafts_last=drafts_last,
            file=file,
            keymap=keymap,
        )
        self.start_group_id = group_id
        self.start_session = session

    @property
    def service(self) -> GroupService:
        return self.context.service

    @property
    def drafts(self) -> DraftStore:
        return self.context.drafts

    @property
    def audit(self) -> AuditLog | None:
        return self.context.audit

    # --- starting ---------------------------------------------------------------------

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = super().get_line_filters()
        return without_colour(filters) if self.no_color else filters

    def get_default_screen(self) -> Screen[Any]:
        """The editor is the first screen itself, not pushed over an empty one
        (docs/performance.md, "Why each start-up measure exists")."""
        if self.start_session is not None:
            return EditorScreen(self.context, session=self.start_session)
        if self.start_group_id is not None:
            return EditorScreen(self.context, group_id=self.start_group_id)
        return super().get_default_screen()

    def on_mount(self) -> None:
        if self.context.keymap:
            self.set_keymap(self.context.keymap)
        if self.start_session is None and self.start_group_id is None:
            from tui.app.screens.picker import PickerScreen  # DataTable: only when needed

            self.push_screen(PickerScreen(self.context))

    def on_ready(self) -> None:
        """Textual's Ready: the first frame is on screen."""
        collector.resume()

    async def on_unmount(self) -> None:
        self.drafts.close()  # what this editor leaves is a leftover, offered back next time
        await self.service.aclose()

    # --- keys in a burst ---------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """A key the tree passed up after an earlier key of the same burst moved focus
        (``/`` opened find, ``enter`` the inline editor, ``q`` a question) belongs to
        what has focus now, not to the tree's bindings."""
        tree = passed_up_by(event)
        if tree is None:
            return
        if tree.keep_typeahead(event):  # an edit is on its way: the editor replays the key
            event.stop()
            event.prevent_default()
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

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands but its key panel and maximize (help is ``?``; a maximized
        tree hides what the keys act on), then the editor's actions that act now; one
        Quit (the editor's, which asks as q does)."""
        left_out = TEXTUAL_COMMANDS_LEFT_OUT | (
            {"Quit"} if isinstance(screen, EditorScreen) else set()
        )
        for command in super().get_system_commands(screen):
            if command.title not in left_out:
                yield command
        if isinstance(screen, EditorScreen):
            for action in EDITOR_ACTIONS:
                if action.palette and screen.check_action(action.action, ()):
                    yield SystemCommand(action.title, action.help, _runner(screen, action.action))


def _runner(screen: EditorScreen, action: str) -> Any:
    async def run() -> None:
        await screen.run_action(action)

    return run
