"""What the screens work with, typed: the server, the drafts, the audit trail, the settings.

The app builds one EditorContext and hands it to each screen it opens, so a screen never
reaches into the App for them (the App is not a service locator).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.app.clipboard import Clipboard
    from tui.config.file import ClipboardMode
    from tui.session.audit import AuditLog
    from tui.session.body import BodyMode
    from tui.session.draft import DraftStore
    from tui.session.edit import EditSession
    from tui.session.remote import GroupService
    from tui.session.submit import AuditGap, Submitted


def _nothing(_session: EditSession) -> None:
    pass


class EditorContext:
    """The app's services and settings, for its screens.

    The clipboard and the audit log are made when first used (the preview's first copy,
    the first PUT): the editor's first frame needs neither.
    """

    def __init__(
        self,
        service: GroupService,
        drafts: DraftStore,
        *,
        audit: AuditLog | Path | None = None,
        clipboard: ClipboardMode | None = None,
        config_path: Path | None = None,
        body_mode: BodyMode = "minimal",
        drafts_last: bool = True,
        file: Path | None = None,
        keymap: dict[str, str] | None = None,
        session_opened: Callable[[EditSession], None] = _nothing,
    ) -> None:
        self.service = service
        self.drafts = drafts
        # Every PUT sent is appended to the audit log (tgedit history reads it): one given,
        # or the file of one to open at the first PUT; None: no trail.
        self._audit_log = audit
        # How to copy ([clipboard] of the config file at ``config_path``).
        self.clipboard = clipboard
        self.config_path = config_path
        # The mode shown in the preview is the mode sent: the preview changes it.
        self.body_mode = body_mode
        # False in the demo: its drafts live in a folder deleted when it ends.
        self.drafts_last = drafts_last
        # The group file opened offline, if any.
        self.file = file
        # The keys the config remaps ([keys]: action id → keys), for the help screen.
        self.keymap = dict(keymap or {})
        # The app's own hook when a group is on screen (its first-frame timing).
        self.session_opened = session_opened

    @property
    def audit(self) -> AuditLog | None:
        if isinstance(self._audit_log, Path):
            from tui.session.audit import AuditLog

            self._audit_log = AuditLog(self._audit_log)
        return self._audit_log

    @cached_property
    def copier(self) -> Clipboard:
        from tui.app.clipboard import Clipboard

        return Clipboard(self.clipboard, config=str(self.config_path or "the config file"))

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
        from tui.api.endpoints import edit_url

        return edit_url(self.service.base_url or "", group_id)

    def curl_for(self, session: EditSession, mode: BodyMode) -> str:
        if not self.service.online:
            return "# offline: no connection is configured, so there is no request to show"
        return self.service.curl(session, mode)

    # --- unsent changes ---------------------------------------------------------------

    def where_changes_are_kept(self, session: EditSession, unsaved: OSError | None = None) -> str:
        """A true sentence about what happens to unsent changes when the editor closes.
        ``unsaved``: why the draft could not be written (then they are kept nowhere)."""
        if unsaved is not None:
            return (
                "They are NOT saved: the draft could not be written "
                f"({unsaved.strerror or unsaved}), so quitting loses them. "
                "w writes the group with them to a file."
            )
        if not self.draft_key:
            return "They are not saved anywhere: they will be lost."
        if not self.drafts_last:
            return "This is the demo: its drafts are deleted when it ends, so they will be lost."
        kept = (
            f"They stay in the draft file {self.drafts.path_for(self.draft_key, session.group_id)} "
            "and are offered back when the group is opened again."
        )
        if self.offline_file is not None:
            kept += f" w writes them back to {self.offline_file}."
        return kept

    @property
    def offline_file(self) -> Path | None:
        """The group file the editor was opened on, offline: ``w`` writes it back."""
        return self.file if self.file is not None and not self.service.online else None

    def kept_note(self, session: EditSession | None, unsaved: OSError | None = None) -> str | None:
        """After a failure: the changes that stay, and where (None: there are none)."""
        if session is None or not session.has_changes:
            return None
        kept = f"Your {session.change_count} change(s) are kept"
        if unsaved is not None:
            return (
                f"{kept} on screen only: the draft could not be written "
                f"({unsaved.strerror or unsaved}); w writes the group with them to a file."
            )
        if self.draft_key and self.drafts_last:
            kept += f", and saved in the draft file {self.drafts.path_for(self.draft_key, session.group_id)}"
        return kept + "."

    # --- submitting ------------------------------------------------------------------

    async def submit(
        self,
        session: EditSession,
        *,
        recheck: bool,
        sending: Callable[[], None],
        waiting: Callable[[str], None] | None = None,
    ) -> Submitted:
        """The session's one submit (``tui.session.submit``) with this editor's audit log,
        body mode and draft."""
        from tui.session.submit import DraftPlace, submit

        key = self.draft_key
        return await submit(
            self.service,
            session,
            self.body_mode,
            audit=self.audit,
            recheck=recheck,
            draft=DraftPlace(self.drafts, key) if key else None,
            sending=sending,
            waiting=waiting,
        )


def audit_gap_text(gap: AuditGap | None) -> str | None:
    """What the editor says when the audit log could not be written (None: it was)."""
    if gap is None:
        return None
    text = gap.text
    return text[0].upper() + text[1:]
