"""The stand-in server's target groups: what it holds, thread-safe, copies in and out."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from tui.stub.edits import SOMEONE_ELSE, EditOutcome, apply_edit, touch


def _now() -> datetime:
    return datetime.now(UTC)


class GroupStore:
    def __init__(
        self, groups: Iterable[dict[str, Any]], *, clock: Callable[[], datetime] = _now
    ) -> None:
        self._lock = threading.RLock()
        self._clock = clock
        self._groups: dict[int, dict[str, Any]] = {}
        for group in groups:
            self._groups[int(group["id"])] = copy.deepcopy(group)
        # Groups already sent by a GET of that one group: "loaded by someone".
        self._served: set[int] = set()

    def ids(self) -> list[int]:
        with self._lock:
            return list(self._groups)

    def snapshot(self, group_id: int) -> dict[str, Any]:
        """A deep copy of the current state; KeyError for an unknown id."""
        with self._lock:
            return copy.deepcopy(self._groups[group_id])

    def exists(self, group_id: int) -> bool:
        with self._lock:
            return group_id in self._groups

    def was_served(self, group_id: int) -> bool:
        with self._lock:
            return group_id in self._served

    def fetch(self, group_id: int, *, include_periods: bool) -> dict[str, Any] | None:
        with self._lock:
            group = self._groups.get(group_id)
            if group is None:
                return None
            self._served.add(group_id)
            return _shown(group, include_periods)

    def list_groups(
        self, *, active_only: bool, include_user_created: bool, include_periods: bool
    ) -> list[dict[str, Any]]:
        with self._lock:
            return [
                _shown(group, include_periods)
                for group in self._groups.values()
                if (group.get("active") is True or not active_only)
                and (include_user_created or group.get("userCreated") is not True)
            ]

    def targets(self, group_id: int) -> list[Any] | None:
        with self._lock:
            group = self._groups.get(group_id)
            return None if group is None else copy.deepcopy(group.get("targets") or [])

    def edit(self, group_id: int, body: Any) -> EditOutcome | None:
        """Apply the edit call's body; None for an unknown group."""
        with self._lock:
            group = self._groups.get(group_id)
            if group is None:
                return None
            other_names = {
                g["name"].casefold()
                for gid, g in self._groups.items()
                if gid != group_id and isinstance(g.get("name"), str)
            }
            outcome = apply_edit(
                group, body, path_id=group_id, other_names=other_names, now=self._clock()
            )
            if outcome.group is not None:
                self._groups[group_id] = outcome.group
                outcome.group = copy.deepcopy(outcome.group)
            return outcome

    def edit_as_someone_else(self, group_id: int, **changes: Any) -> dict[str, Any]:
        """Change a group as another user would: ``changes``, or a note in the description."""
        with self._lock:
            group = self._groups[group_id]
            if not changes:
                changes = {
                    "description": f"{group.get('description') or ''} (changed by someone else)"
                }
            group.update(copy.deepcopy(changes))
            touch(group, self._clock(), by=SOMEONE_ELSE)
            return copy.deepcopy(group)


def _shown(group: dict[str, Any], include_periods: bool) -> dict[str, Any]:
    shown = copy.deepcopy(group)
    if not include_periods:
        # Without includePeriods the API may leave the periods out; the stub always does.
        shown.pop("periods", None)
    return shown
