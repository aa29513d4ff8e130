"""The edit call's rules, as the stand-in server applies them.

Editable fields are whatever ``tui.fields`` says (``is_editable`` on the field path,
``validate`` for the rule): the server keeps no list of its own. Any other field in
the body is not applied; if its value differs from the stored one, the reply carries a
warning ``{"code": 0, "message": "field orgId is read-only and was ignored", "field":
"orgId"}``. Unchanged read-only fields pass silently, because the API page's own full
example request sends the whole group back.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tui.fields.catalog import is_editable, validate

INVALID_INPUT = 300004
NAME_TOO_LONG = 310008
NAME_EXISTS = 310069
READ_ONLY_WARNING = 0

SOMEONE_ELSE = {
    "id": 75150001,
    "code": "someone.else",
    "description": "",
    "name": "someone else",
    "type": "TILL",
}


def error(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "message": message}


@dataclass
class EditOutcome:
    status: int
    group: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


def format_timestamp(moment: datetime) -> tuple[str, str]:
    """``2025-11-18T13:51:31.644+0000`` and its ISO twin ``2025-11-18T13:51:31Z``."""
    moment = moment.astimezone(UTC)
    plain = moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{moment.microsecond // 1000:03d}+0000"
    return plain, moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def next_timestamp(previous: str | None, now: datetime) -> datetime:
    """``now``, or a millisecond after ``previous`` if that is later: the marker must move."""
    try:
        earlier = datetime.fromisoformat(previous) if previous else None
    except ValueError:
        earlier = None
    if earlier is not None and earlier.tzinfo is not None and earlier >= now:
        return earlier + timedelta(milliseconds=1)
    return now


def touch(group: dict[str, Any], now: datetime, by: dict[str, Any] | None = None) -> None:
    """Move ``attribution.lastUpdatedOn`` (and its ISO twin when the group has one)."""
    attribution = group.setdefault("attribution", {})
    plain, iso = format_timestamp(next_timestamp(attribution.get("lastUpdatedOn"), now))
    attribution["lastUpdatedOn"] = plain
    if "lastUpdatedOnISO" in attribution:
        attribution["lastUpdatedOnISO"] = iso
    if by is not None:
        attribution["lastUpdatedBy"] = dict(by)


def same_as_sent(sent: Any, stored: Any) -> bool:
    """True when what was sent matches what is stored, ignoring fields it leaves out
    (a full body has no attribution, no response-only fields)."""
    if isinstance(sent, dict):
        return isinstance(stored, dict) and all(
            key in stored and same_as_sent(value, stored[key]) for key, value in sent.items()
        )
    if isinstance(sent, list):
        return (
            isinstance(stored, list)
            and len(sent) == len(stored)
            and all(same_as_sent(a, b) for a, b in zip(sent, stored, strict=True))
        )
    if isinstance(sent, bool) or isinstance(stored, bool):
        return sent is stored
    return bool(sent == stored)


class _Edit:
    """One body checked against one group: collects errors, warnings and the changes."""

    def __init__(self, group: dict[str, Any], other_names: set[str]) -> None:
        self.group = group
        self.other_names = other_names
        self.errors: list[dict[str, Any]] = []
        self.warnings: list[dict[str, Any]] = []
        self.changes: list[tuple[dict[str, Any], str, Any]] = []

    def field(self, path: str, container: dict[str, Any], key: str, value: Any) -> None:
        if not is_editable(path):
            if key not in container or not same_as_sent(value, container[key]):
                self.warnings.append(
                    {
                        "code": READ_ONLY_WARNING,
                        "message": f"field {path} is read-only and was ignored",
                        "field": path,
                    }
                )
            return
        if path == "name" and isinstance(value, str):
            if len(value) > 200:
                message = f"name is longer than 200 characters ({len(value)})"
                self.errors.append(error(NAME_TOO_LONG, message))
                return
            if value.casefold() in self.other_names:
                message = f"a target group named {value!r} exists already"
                self.errors.append(error(NAME_EXISTS, message))
                return
        problem = validate(path, value)
        if problem is not None:
            self.errors.append(error(INVALID_INPUT, f"invalid input: {path} {problem}"))
            return
        self.changes.append((container, key, value))

    def targets(self, group_id: int, sent: Any) -> None:
        stored = {t.get("id"): t for t in self.group.get("targets") or [] if isinstance(t, dict)}
        if not isinstance(sent, list):
            self.errors.append(error(INVALID_INPUT, "invalid input: targets must be a list"))
            return
        for item in sent:
            target_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item, dict) or not isinstance(target_id, int):
                message = "invalid input: every element of targets needs its id"
                self.errors.append(error(INVALID_INPUT, message))
                continue
            target = stored.get(target_id)
            if target is None:
                message = (
                    f"invalid input: target group {group_id} has no target with id {target_id}"
                )
                self.errors.append(error(INVALID_INPUT, message))
                continue
            for key, value in item.items():
                if key != "id":
                    self.field(f"targets[{target_id}].{key}", target, key, value)


def apply_edit(
    group: dict[str, Any],
    body: Any,
    *,
    path_id: int,
    other_names: set[str],
    now: datetime,
) -> EditOutcome:
    """Check ``body`` against ``group``; on success a changed copy with lastUpdatedOn moved.

    ``other_names`` are the other groups' names, case-folded (names are unique per org
    ignoring case). Nothing is applied unless everything passes.
    """
    if not isinstance(body, dict):
        return EditOutcome(
            400, errors=[error(INVALID_INPUT, "invalid input: the body must be a JSON object")]
        )
    body_id = body.get("id")
    if isinstance(body_id, bool) or not isinstance(body_id, int):
        return EditOutcome(
            400, errors=[error(INVALID_INPUT, "invalid input: the body needs the group's id")]
        )
    if body_id != path_id:
        message = f"invalid input: the body's id {body_id} is not the id {path_id} in the path"
        return EditOutcome(400, errors=[error(INVALID_INPUT, message)])
    updated = copy.deepcopy(group)
    edit = _Edit(updated, other_names)
    for key, value in body.items():
        if key == "id":
            continue
        if key == "targets":
            edit.targets(path_id, value)
        else:
            edit.field(key, updated, key, value)
    if edit.errors:
        return EditOutcome(400, errors=edit.errors, warnings=edit.warnings)
    for container, key, value in edit.changes:
        container[key] = value
    # No editable field feeds defaultValues, so targetPeriodDefaultValuesMap stays in step.
    touch(updated, now)
    return EditOutcome(200, group=updated, warnings=edit.warnings)
