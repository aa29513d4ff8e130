"""What an edit is: one field's change, and a step of the undo history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.fields.paths import FieldPath, format_path


class _Absent:
    """The state of a field that is not in the change set (or not in the document)."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Any = _Absent()


@dataclass(slots=True)
class FieldChange:
    """One changed field: its value as fetched and as it will be sent."""

    path: FieldPath
    before: Any
    after: Any

    @property
    def path_text(self) -> str:
        return format_path(self.path)


@dataclass(slots=True)
class Move:
    """One field's change-set entry before and after a step (ABSENT: no entry)."""

    path: FieldPath
    old: Any
    new: Any


Step = tuple[Move, ...]


class EditRefused(ValueError):
    """An edit that may not be made: a read-only field, a broken rule, an unknown path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


class NothingToSend(RuntimeError):
    """No field differs from what was fetched: no change, no request."""
