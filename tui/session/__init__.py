"""The edit session: change set, undo/redo, validation, PUT body, diff and draft."""

from tui.session.body import BodyMode
from tui.session.changes import ABSENT, EditRefused, FieldChange, NothingToSend
from tui.session.draft import Draft, DraftError, DraftKeeper, DraftStore, public_base_url
from tui.session.edit import EditSession, as_path
from tui.session.restore import RestoreReport, restore_draft

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
