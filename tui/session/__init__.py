"""The edit session: change set, undo/redo, validation, PUT body, diff and draft.

Every name is imported from its module on first use (``tui.lazy_exports``): the editor's
first frame needs the session and the draft keeper, not the restoring of a draft.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from tui.session.body import BodyMode
    from tui.session.changes import ABSENT, EditRefused, FieldChange, NothingToSend
    from tui.session.draft import DraftError, DraftKeeper, DraftStore, public_base_url
    from tui.session.draft_file import Draft
    from tui.session.edit import EditSession, as_path
    from tui.session.restore import RestoreReport, restore_draft

_LAZY = {
    "BodyMode": "tui.session.body",
    **dict.fromkeys(
        ("ABSENT", "EditRefused", "FieldChange", "NothingToSend"), "tui.session.changes"
    ),
    **dict.fromkeys(
        ("DraftError", "DraftKeeper", "DraftStore", "public_base_url"), "tui.session.draft"
    ),
    "Draft": "tui.session.draft_file",
    **dict.fromkeys(("EditSession", "as_path"), "tui.session.edit"),
    **dict.fromkeys(("RestoreReport", "restore_draft"), "tui.session.restore"),
}

if not TYPE_CHECKING:  # mypy reads the imports above, and so catches a misspelt name
    __getattr__ = lazy_exports(__name__, _LAZY)

__all__ = [
    "ABSENT",
    "BodyMode",
    "Draft",
    "DraftError",
    "DraftKeeper",
    "DraftStore",
    "EditRefused",
    "EditSession",
    "FieldChange",
    "NothingToSend",
    "RestoreReport",
    "as_path",
    "public_base_url",
    "restore_draft",
]
