"""What the screens work with, typed: the server, the drafts, the audit trail, the settings.

The app builds one EditorContext and hands it to each screen it opens, so a screen never
reaches into the App for them (the App is not a service locator).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.app.clipboard import Clipboard
    from tui.config import ClipboardMode
    from tui.session import BodyMode, DraftStore, EditSession
    from tui.session.audit import AuditLog, SentPut
    from tui.session.remote import GroupService


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
        return f"{self.service.base_url}/v3/targetGroups/editTargetGroup/{group_id}"

    def curl_for(self, session: EditSession, mode: BodyMode) -> str:
        if not self.service.online:
            return "# offline: no connection is configured, so there is no request to show"
        return self.service.curl(session, mode)

    # --- unsent changes ---------------------------------------------------------------

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

    def kept_note(self, session: EditSession | None) -> str | None:
        """After a failure: the changes that stay, and where (None: there are none)."""
        if session is None or not session.has_changes:
            return None
        kept = f"Your {session.change_count} change(s) are kept"
        if self.draft_key and self.drafts_last:
            kept += f", and saved in the draft file {self.drafts.path_for(self.draft_key, session.group_id)}"
        return kept + "."

    # --- the audit trail --------------------------------------------------------------

    def record_submitted(self, session: EditSession, result: Any) -> str | None:
        """After a successful PUT, before the session is replaced; returns a warning if the
        trail could not be written."""
        status = getattr(result, "status", 200)
        warnings = list(getattr(result, "warnings", None) or [])
        return self._audit(
            lambda audit, put: audit.record_success(put, status=status, warnings=warnings), session
        )

    def record_failed(self, session: EditSession, error: BaseException) -> str | None:
        """After a failed submit: a PUT that went out goes to the trail too."""
        from tui.session.audit import from_the_put

        if not from_the_put(error):
            return None
        return self._audit(lambda audit, put: audit.record_failure(put, error), session)

    def _audit(
        self, write: Callable[[AuditLog, SentPut], None], session: EditSession
    ) -> str | None:
        audit = self.audit
        if audit is None or not self.service.base_url:
            return None
        put = self.service.sent_put(session, self.body_mode)
        try:
            write(audit, put)
        except OSError as error:  # the PUT happened either way: say the trail has a gap
            return f"The audit log {audit.path} could not be written: {error.strerror}"
        return None
