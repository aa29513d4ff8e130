"""The documented shape of a target group checked without pydantic, for the headless CLI.

``tgedit set --dry-run`` is parse, GET, check, print: importing pydantic and building the
models' schemas would cost more than the rest of it. This walks the same shapes as the
models in ``tui.model.group`` (strict: no conversion, almost every field nullable, extra
fields kept) and refuses what ``check_group`` refuses, with the same first error; a test
keeps the two in step. The editor still checks with the models, after its first frame.
"""

from __future__ import annotations

from typing import Any

from tui.fields.paths import Segment, child_segment, format_path
from tui.model.errors import ModelError, describe

# A field's kind: a JSON type, or a nested shape (an object, a list or a map of them).
Kind = str | tuple[str, "Shape"]
# A shape: its fields in the models' order (the order pydantic reports errors in), each
# with its kind and whether it must be there.
Shape = tuple[tuple[str, Kind, bool], ...]


def _optional(*fields: tuple[str, Kind]) -> tuple[tuple[str, Kind, bool], ...]:
    return tuple((name, kind, False) for name, kind in fields)


USER_REF: Shape = _optional(
    ("id", "int"), ("code", "str"), ("description", "str"), ("name", "str"), ("type", "str")
)
ATTRIBUTION: Shape = _optional(
    ("createdOn", "str"),
    ("createdOnISO", "str"),
    ("lastUpdatedOn", "str"),
    ("lastUpdatedOnISO", "str"),
    ("createdBy", ("object", USER_REF)),
    ("lastUpdatedBy", ("object", USER_REF)),
)
PERIOD: Shape = (
    ("id", "int", True),
    *_optional(
        ("attribution", ("object", ATTRIBUTION)),
        ("startDate", "str"),
        ("endDate", "str"),
        ("refCode", "str"),
        ("periodStatus", "str"),
        ("targetGroupId", "int"),
        ("description", "str"),
        ("active", "bool"),
    ),
)
STREAK: Shape = (
    ("id", "int", True),
    *_optional(
        ("attribution", ("object", ATTRIBUTION)),
        ("targetGroupId", "int"),
        ("name", "str"),
        ("targetCountOfSequence", "int"),
    ),
)
DEFAULT_VALUE: Shape = (
    ("id", "int", True),
    *_optional(("periodId", "int"), ("defaultValue", "number")),
)
FILTER: Shape = _optional(("entityType", "str"), ("entityIds", "list"))
EXTENDED_FIELD_INFO: Shape = _optional(("name", "str"), ("aggregateFunction", "str"))
TARGET: Shape = (
    ("id", "int", True),
    *_optional(
        ("attribution", ("object", ATTRIBUTION)),
        ("name", "str"),
        ("emfRuleSetId", "int"),
        ("targetType", "str"),
        ("targetEntity", "str"),
        ("eventName", "str"),
        ("targetGroupId", "int"),
        ("description", "str"),
        ("active", "bool"),
        ("expression", "str"),
        ("expressionJson", "str"),
        ("filters", ("list", FILTER)),
        ("enrolmentMethod", "str"),
        ("defaultValues", ("list", DEFAULT_VALUE)),
        ("targetPeriodDefaultValuesMap", ("map", DEFAULT_VALUE)),
        ("targetMilestoneTriggers", "list"),
        ("extendedFieldInfo", ("object", EXTENDED_FIELD_INFO)),
    ),
)
TARGET_GROUP: Shape = (
    ("id", "int", True),
    *_optional(
        ("attribution", ("object", ATTRIBUTION)),
        ("orgId", "int"),
        ("name", "str"),
        ("description", "str"),
        ("fromDate", "str"),
        ("toDate", "str"),
        ("active", "bool"),
        ("preferredTillId", "int"),
        ("periods", ("list", PERIOD)),
        ("streaks", ("list", STREAK)),
        ("activePeriod", ("object", PERIOD)),
        ("totalPeriods", "int"),
        ("targetEvaluationType", "str"),
        ("recurringCycles", "int"),
        ("frequency", "int"),
        ("frequencyType", "str"),
        ("targetCycleStartDate", "str"),
        ("targetCycleEndDate", "str"),
        ("targetCycleStartDateISO", "str"),
        ("targetCycleEndDateISO", "str"),
        ("timeZoneName", "str"),
        ("trackingType", "str"),
        ("createdOn", "int"),
        ("targets", ("list", TARGET)),
        ("leaderboardEnabled", "bool"),
        ("userCreated", "bool"),
    ),
)

# The words of ``tui.model.load`` for what the API promises.
_WANTED = {
    "int": "a whole number",
    "str": "a string",
    "bool": "true or false",
    "number": "a number",
    "list": "a list",
    "object": "an object",
    "map": "an object",
}


class _Wrong(Exception):
    def __init__(self, path: tuple[Segment, ...], value: Any, wanted: str | None) -> None:
        self.path, self.value, self.wanted = path, value, wanted


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_value(value: Any, kind: Kind, path: tuple[Segment, ...]) -> None:
    if value is None:  # every field but an id may be null (see _check_object)
        return
    if isinstance(kind, str):
        fits = {
            "int": _is_int(value),
            "str": isinstance(value, str),
            "bool": isinstance(value, bool),
            "number": _is_int(value) or isinstance(value, float),
            "list": isinstance(value, list),
        }[kind]
        if not fits:
            raise _Wrong(path, value, _WANTED[kind])
        return
    container, shape = kind
    if container == "object":
        _check_object(value, shape, path)
    elif container == "list":
        if not isinstance(value, list):
            raise _Wrong(path, value, _WANTED["list"])
        for index, element in enumerate(value):
            _check_object(element, shape, (*path, child_segment(value, index)))
    else:
        if not isinstance(value, dict):
            raise _Wrong(path, value, _WANTED["map"])
        for key, element in value.items():
            _check_object(element, shape, (*path, child_segment(value, key, as_map=True)))


def _check_object(value: Any, shape: Shape, path: tuple[Segment, ...]) -> None:
    if not isinstance(value, dict):
        raise _Wrong(path, value, _WANTED["object"])
    for name, kind, required in shape:
        if name not in value:
            if required:
                raise _Wrong((*path, name), None, None)
            continue
        where = (*path, child_segment(value, name))
        if required and value[name] is None:
            raise _Wrong(where, None, _WANTED[kind] if isinstance(kind, str) else None)
        _check_value(value[name], kind, where)


def _refusal(wrong: _Wrong, source: str) -> ModelError:
    where = format_path(wrong.path) or "the top level"
    if wrong.wanted is None:
        return ModelError(f"{source} sent no {where}, which every element needs", where)
    return ModelError(
        f"{source} sent {describe(wrong.value)} at {where}, where the API promises {wrong.wanted}",
        where,
    )


def check_group_shape(document: Any, *, source: str = "the server") -> None:
    """What ``tui.model.check_group`` checks, without pydantic; the same ModelError."""
    if not isinstance(document, dict):
        raise ModelError(f"{source} sent {describe(document)} where a target group object belongs")
    targets = document.get("targets")
    try:
        # As check_group does: the group without its targets first, then each target.
        if isinstance(targets, list):
            _check_object({**document, "targets": []}, TARGET_GROUP, ())
        _check_object(document, TARGET_GROUP, ())
    except _Wrong as wrong:
        raise _refusal(wrong, source) from None
    check_unique_ids(document, source)


def check_unique_ids(group: dict[str, Any], source: str) -> None:
    """Paths name elements by id, so two elements with one id would make edits ambiguous."""
    arrays: list[tuple[str, Any]] = [(k, group.get(k)) for k in ("periods", "streaks", "targets")]
    for target in group.get("targets") or []:
        if isinstance(target, dict):
            arrays.append(
                (f"targets[{target.get('id')}].defaultValues", target.get("defaultValues"))
            )
    for where, items in arrays:
        seen: set[int] = set()
        for item in items or []:
            element_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(element_id, int):
                if element_id in seen:
                    raise ModelError(
                        f"{source} sent two elements with id {element_id} in {where}", where
                    )
                seen.add(element_id)
