"""What a conflict check found: the group changed on the server since it was fetched.

Apart from ``remote`` because only a submit checks for a conflict: the editor's first
frame needs the service (``GroupService``), not this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.api.results import Conflict
    from tui.session.changes import FieldChange
    from tui.session.edit import EditSession


@dataclass
class ConflictReport:
    """The group changed on the server since it was fetched."""

    expected: str | None
    actual: str | None
    current_group: dict[str, Any]
    server_changes: list[FieldChange]
    # Fields the person changed that the server changed too: reapplying would hide those.
    clashes: list[str]


def conflict_report(session: EditSession, conflict: Conflict) -> ConflictReport:
    """What the server changed since ``session``'s fetch, and which of its changes clash."""
    server_changes = [
        change
        for change in session.server_changes_since(conflict.current_group)
        if "attribution" not in change.path  # the marker itself moving is not news
    ]
    # A field changed there to the very value changed here is no clash: typically
    # an earlier submit of this change whose answer was lost was applied after all.
    changed_there = {change.path: change.after for change in server_changes}
    clashes = [
        c.path_text
        for c in session.changes()
        if c.path in changed_there and changed_there[c.path] != c.after
    ]
    return ConflictReport(
        conflict.expected, conflict.actual, conflict.current_group, server_changes, clashes
    )
