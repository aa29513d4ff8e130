"""Applying a draft back onto a freshly fetched group."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui.session.changes import EditRefused
from tui.session.draft_file import Draft, draft_of
from tui.session.edit import EditSession

if TYPE_CHECKING:
    from tui.session.draft import DraftStore


@dataclass
class RestoreReport:
    applied: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    # The draft was made against an older (or newer) version of the group.
    server_moved: bool = False
    # Where the leftover draft stays, when it was not removed (see ``take_leftover``).
    kept_at: Path | None = None
    # Why it stays: this editor's own draft could not be written.
    not_saved: OSError | None = None


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


def take_leftover(
    store: DraftStore, key: str, session: EditSession, path: Path, draft: Draft
) -> RestoreReport:
    """Restore the leftover draft ``draft`` (read from ``path``) into ``session``, whose
    own draft then holds its changes; only once that is on disk does the leftover go.
    One with a change that could not be restored is moved aside instead, never deleted;
    one whose changes could not be saved again stays where it is, offered next time."""
    report = restore_draft(session, draft)
    try:
        if session.has_changes:
            store.save(draft_of(session, key))
    except OSError as error:
        report.not_saved, report.kept_at = error, path
        return report
    try:
        if report.refused:
            report.kept_at = store.move_aside(path, why="not-restored")
        else:
            store.remove(path)
    except OSError:  # restored and saved: the leftover stays, offered again
        report.kept_at = path
    return report
