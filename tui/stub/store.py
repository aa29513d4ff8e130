"""The stand-in server's target groups: what it holds, thread-safe, copies in and out."""

from __future__ import annotations

import copy
import json
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
        # The JSON text of each group as a GET shows it, keyed by (id, includePeriods):
        # a real server does not copy and re-encode a 13 MB group on every read, and the
        # benchmark must measure the editor, not the stand-in. Dropped on every change.
        self._encoded: dict[tuple[int, bool], str] = {}

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

    def fetch_json(self, group_id: int, *, include_periods: bool) -> str | None:
        """The group as a GET shows it, as JSON text encoded once per state of the group."""
        with self._lock:
            group = self._groups.get(group_id)
            if group is None:
                return None
            self._served.add(group_id)
            key = (group_id, include_periods)
            text = self._encoded.get(key)
            if text is None:
                text = json.dumps(_visible(group, include_periods), ensure_ascii=False)
                self._encoded[key] = text
            return text

    def _changed(self, group_id: int) -> None:
        self._encoded.pop((group_id, True), None)
        self._encoded.pop((group_id, False), None)

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
            # apply_edit may change the group in place even when it refuses the edit.
            self._changed(group_id)
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
            self._changed(group_id)
            if not changes:
                changes = {
                    "description": f"{group.get('description') or ''} (changed by someone else)"
                }
            group.update(copy.deepcopy(changes))
            touch(group, self._clock(), by=SOMEONE_ELSE)
            return copy.deepcopy(group)


def _visible(group: dict[str, Any], include_periods: bool) -> dict[str, Any]:
    """The group as a GET shows it, sharing its values: for encoding, never for changing."""
    if include_periods:
        return group
    # Without includePeriods the API may leave the periods out; the stub always does.
    return {key: value for key, value in group.items() if key != "periods"}


def _shown(group: dict[str, Any], include_periods: bool) -> dict[str, Any]:
    return copy.deepcopy(_visible(group, include_periods))
