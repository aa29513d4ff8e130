"""Views of an EditSession that only tests need (the app never asks them)."""

from __future__ import annotations

from tui.session.edit import EditSession, PathLike


def revert(session: EditSession, path: PathLike) -> bool:
    """Put one field back to its fetched value; False when it had no change."""
    return bool(session.revert_below(path))


def revert_all(session: EditSession) -> None:
    session.revert_below(())


def can_undo(session: EditSession) -> bool:
    # Read without undoing: the undo stack is private because only tests look at it.
    return bool(session._undo)


def can_redo(session: EditSession) -> bool:
    return bool(session._redo)
