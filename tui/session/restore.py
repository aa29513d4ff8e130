"""Applying a draft back onto a freshly fetched group."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.session.changes import EditRefused
from tui.session.draft_file import Draft
from tui.session.edit import EditSession


@dataclass
class RestoreReport:
    applied: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    # The draft was made against an older (or newer) version of the group.
    server_moved: bool = False


def restore_draft(session: EditSession, draft: Draft) -> RestoreReport:
    """Apply each change of ``draft`` that still may be made, as one undo step."""
    report = RestoreReport(server_moved=draft.last_updated_on != session.last_updated_on)
    good: list[tuple[str, object]] = []
    for path, value in draft.changes:
        problem = session.check(path, value)
        if problem:
            report.refused.append((path, problem))
        else:
            good.append((path, value))
            report.applied.append(path)
    if good:
        try:
            session.set_many(good)
        except EditRefused as error:  # checked above; kept for safety
            report.refused.append((error.path, error.message))
    return report
