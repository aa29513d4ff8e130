"""The field catalog: the one place that says what each field is and whether it may change.

Every documented field has a spec: label, kind, editable or not (and why not), its rule,
and a one-line meaning. The tree, the detail panel, the CLI, the edit session and the
stand-in server all ask this module; none keeps its own list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from tui.fields.paths import FieldPath, parse_path, pattern_of

FieldKind = Literal[
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "timestamp",
    "epoch-ms",
    "enum",
    "json-string",
    "object",
    "list",
    "map",
    "unknown",
]

Check = Callable[[Any], "str | None"]

READ_ONLY_BY_API = (
    "the edit call does not change it: the API page lets only the name, description, "
    "preferred till, and a target's description, expression and expressionJson change"
)
RESPONSE_ONLY = "the server computes it and never accepts it back (response-only)"
IDS_FIXED = "ids are never editable: they name the element"
UNDOCUMENTED = "not a documented field: shown as received and sent back unchanged"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    pattern: str
    label: str
    kind: FieldKind
    meaning: str
    editable: bool = False
    rule: str | None = None
    check: Check | None = None
    choices: tuple[str, ...] = ()
    # Sent in a "full" PUT body (the fields of the API page's full example request).
    in_request: bool = False
    readonly_reason: str = READ_ONLY_BY_API
    documented: bool = True
    multiline: bool = field(default=False)

    def why_read_only(self) -> str | None:
        return None if self.editable else self.readonly_reason


# --- rules -----------------------------------------------------------------------------


def check_name(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    if not value.strip():
        return "must not be blank"
    if len(value) > 200:
        return f"must be at most 200 characters (this is {len(value)})"
    return None


def check_text(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be text"


# The API is Java: an id it stores is a long, so nothing above 2^63 - 1 can be kept.
JAVA_LONG_MAX = 2**63 - 1


def check_positive_id(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be a whole number"
    if value <= 0:
        return "must be a positive whole number"
    if value > JAVA_LONG_MAX:
        return f"must be at most {JAVA_LONG_MAX} (the largest id the API stores)"
    return None


def check_expression(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    return None if value.strip() else "must not be blank"


def check_expression_json(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be text holding a JSON object"
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        return f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
    return None if isinstance(parsed, dict) else "must hold a JSON object ({...})"


# --- the catalog -------------------------------------------------------------------------

TRACKING_TYPES = ("DEFAULT", "UNIFIED", "STREAK", "STREAKS", "NON_CONTINUOUS_STREAKS", "CAPPING")
EVALUATION_TYPES = ("FIXED_CALENDAR_WINDOW", "CYCLIC_WINDOW", "PERIOD_AGNOSTIC_WINDOW")
FREQUENCY_TYPES = ("DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "HALF_YEARLY", "YEARLY", "CUSTOM")
PERIOD_STATUSES = ("NOT_STARTED", "RUNNING", "ENDED", "UPCOMING", "LIVE")
TARGET_TYPES = (
    "QUANTITY",
    "SALES",
    "COUNT",
    "VISIT",
    "GROSS_SALES",
    "REGULAR_POINTS",
    "PROMOTIONAL_POINTS",
    "ALL_POINTS",
    "EXTENDED_FIELD",
    "EVENT_ATTRIBUTE",
)
TARGET_ENTITIES = ("TRANSACTION", "LINEITEM", "EVENT", "REWARDS")
ENROLMENT_METHODS = ("TRANSACTION", "IMPORT")


_USER_PARTS: tuple[tuple[str, str, FieldKind, str], ...] = (
    ("id", "Id", "integer", "the user's id"),
    ("code", "Code", "string", "the user's login code"),
    ("description", "Description", "string", "the user's description"),
    ("name", "Name", "string", "the user's name"),
    ("type", "Type", "string", "the kind of user (TILL, …)"),
)


def _specs() -> list[FieldSpec]:
    s = FieldSpec
    ro = RESPONSE_ONLY
    return [
        # the target group
        s(
            "id",
            "Id",
            "integer",
            "the target group's id",
            readonly_reason=IDS_FIXED,
            in_request=True,
        ),
        s(
            "attribution",
            "Attribution",
            "object",
            "who created and last changed it, and when",
            readonly_reason=ro,
        ),
        s(
            "orgId",
            "Org id",
            "integer",
            "the loyalty organisation that owns the group",
            readonly_reason=ro,
        ),
        s(
            "name",
            "Name",
            "string",
            "the milestone's name, unique in the org ignoring case",
            editable=True,
            rule="1–200 characters, not blank",
            check=check_name,
            in_request=True,
        ),
        s(
            "description",
            "Description",
            "string",
            "free text describing the milestone",
            editable=True,
            check=check_text,
            in_request=True,
        ),
        s(
            "fromDate",
            "From date",
            "date",
            "first day the group applies (YYYY-MM-DD)",
            in_request=True,
        ),
        s("toDate", "To date", "date", "last day the group applies (YYYY-MM-DD)", in_request=True),
        s("active", "Active", "boolean", "whether the group is live", in_request=True),
        s(
            "preferredTillId",
            "Preferred till id",
            "integer",
            "the till (store user) the API acts as for this group's events",
            editable=True,
            rule=f"a positive whole number up to {JAVA_LONG_MAX}",
            check=check_positive_id,
            in_request=True,
        ),
        s(
            "periods",
            "Periods",
            "list",
            "the windows in which targets are counted",
            in_request=True,
        ),
        s(
            "streaks",
            "Streaks",
            "list",
            "runs of consecutive periods that earn a reward",
            in_request=True,
        ),
        s(
            "activePeriod",
            "Active period",
            "object",
            "the period running now, as the list call reports it",
            readonly_reason=ro,
        ),
        s(
            "totalPeriods",
            "Total periods",
            "integer",
            "how many periods the group has",
            in_request=True,
        ),
        s(
            "targetEvaluationType",
            "Evaluation type",
            "enum",
            "how a period's window is placed in time",
            choices=EVALUATION_TYPES,
            in_request=True,
        ),
        s(
            "recurringCycles",
            "Recurring cycles",
            "integer",
            "how many times the cycle repeats (-1: without end)",
            in_request=True,
        ),
        s(
            "frequency",
            "Frequency",
            "integer",
            "how many frequency units make one period",
            in_request=True,
        ),
        s(
            "frequencyType",
            "Frequency type",
            "enum",
            "the unit of a period's length",
            choices=FREQUENCY_TYPES,
        ),
        s(
            "targetCycleStartDate",
            "Cycle start",
            "timestamp",
            "when the first cycle starts",
            in_request=True,
        ),
        s(
            "targetCycleEndDate",
            "Cycle end",
            "timestamp",
            "when the last cycle ends",
            in_request=True,
        ),
        s(
            "targetCycleStartDateISO",
            "Cycle start (ISO)",
            "timestamp",
            "the cycle start in ISO form",
            readonly_reason=ro,
        ),
        s(
            "targetCycleEndDateISO",
            "Cycle end (ISO)",
            "timestamp",
            "the cycle end in ISO form",
            readonly_reason=ro,
        ),
        s("timeZoneName", "Time zone", "string", "the time zone the dates are read in"),
        s(
            "trackingType",
            "Tracking type",
            "enum",
            "how progress is tracked (plain, streaks, capping…)",
            choices=TRACKING_TYPES,
            in_request=True,
        ),
        s(
            "createdOn",
            "Created on",
            "epoch-ms",
            "when the group was created (milliseconds since 1970)",
            readonly_reason=ro,
        ),
        s(
            "targets",
            "Targets",
            "list",
            "what a customer must reach in each period",
            in_request=True,
        ),
        s("leaderboardEnabled", "Leaderboard", "boolean", "whether a leaderboard ranks customers"),
        s(
            "userCreated",
            "User created",
            "boolean",
            "whether a person (not a system) created the group",
        ),
        # attribution, wherever it appears
        s(
            "attribution.createdOn",
            "Created on",
            "timestamp",
            "when it was created",
            readonly_reason=ro,
        ),
        s(
            "attribution.createdOnISO",
            "Created on (ISO)",
            "timestamp",
            "creation time in ISO form",
            readonly_reason=ro,
        ),
        s(
            "attribution.lastUpdatedOn",
            "Last updated on",
            "timestamp",
            "when it last changed: the only marker of someone else's edit",
            readonly_reason=ro,
        ),
        s(
            "attribution.lastUpdatedOnISO",
            "Last updated on (ISO)",
            "timestamp",
            "last change in ISO form",
            readonly_reason=ro,
        ),
        s(
            "attribution.createdBy",
            "Created by",
            "object",
            "the user that created it",
            readonly_reason=ro,
        ),
        s(
            "attribution.lastUpdatedBy",
            "Last updated by",
            "object",
            "the user that changed it last",
            readonly_reason=ro,
        ),
        *[
            s(f"attribution.{who}.{part}", label, kind, meaning, readonly_reason=ro)
            for who in ("createdBy", "lastUpdatedBy")
            for part, label, kind, meaning in _USER_PARTS
        ],
        # periods
        s(
            "periods[*]",
            "Period",
            "object",
            "one window in which targets are counted",
            in_request=True,
        ),
        s(
            "periods[*].id",
            "Id",
            "integer",
            "the period's id",
            readonly_reason=IDS_FIXED,
            in_request=True,
        ),
        s(
            "periods[*].attribution",
            "Attribution",
            "object",
            "who created and changed the period",
            readonly_reason=ro,
        ),
        s("periods[*].startDate", "Start date", "date", "first day of the period", in_request=True),
        s("periods[*].endDate", "End date", "date", "last day of the period", in_request=True),
        s(
            "periods[*].refCode",
            "Ref code",
            "string",
            "the period's reference code",
            in_request=True,
        ),
        s(
            "periods[*].periodStatus",
            "Status",
            "enum",
            "whether the period has started or ended",
            choices=PERIOD_STATUSES,
            in_request=True,
        ),
        s(
            "periods[*].targetGroupId",
            "Target group id",
            "integer",
            "the group the period belongs to",
            in_request=True,
        ),
        s(
            "periods[*].description",
            "Description",
            "string",
            "free text about the period",
            in_request=True,
        ),
        s("periods[*].active", "Active", "boolean", "whether the period counts", in_request=True),
        # streaks
        s(
            "streaks[*]",
            "Streak",
            "object",
            "a run of periods that earns a reward",
            in_request=True,
        ),
        s(
            "streaks[*].id",
            "Id",
            "integer",
            "the streak's id",
            readonly_reason=IDS_FIXED,
            in_request=True,
        ),
        s(
            "streaks[*].attribution",
            "Attribution",
            "object",
            "who created and changed the streak",
            readonly_reason=ro,
        ),
        s(
            "streaks[*].targetGroupId",
            "Target group id",
            "integer",
            "the group the streak belongs to",
            in_request=True,
        ),
        s("streaks[*].name", "Name", "string", "the streak's name", in_request=True),
        s(
            "streaks[*].targetCountOfSequence",
            "Periods in sequence",
            "integer",
            "how many periods in a row the streak needs",
            in_request=True,
        ),
        # targets
        s(
            "targets[*]",
            "Target",
            "object",
            "what a customer must reach in each period",
            in_request=True,
        ),
        s(
            "targets[*].id",
            "Id",
            "integer",
            "the target's id",
            readonly_reason=IDS_FIXED,
            in_request=True,
        ),
        s(
            "targets[*].attribution",
            "Attribution",
            "object",
            "who created and changed the target",
            readonly_reason=ro,
        ),
        s("targets[*].name", "Name", "string", "the target's name", in_request=True),
        s(
            "targets[*].emfRuleSetId",
            "EMF rule set id",
            "integer",
            "the rule set the engine made for it",
            readonly_reason=ro,
        ),
        s(
            "targets[*].targetType",
            "Target type",
            "enum",
            "what is counted (sales, visits, points…)",
            choices=TARGET_TYPES,
            in_request=True,
        ),
        s(
            "targets[*].targetEntity",
            "Target entity",
            "enum",
            "what an event is counted on",
            choices=TARGET_ENTITIES,
            in_request=True,
        ),
        s(
            "targets[*].eventName",
            "Event name",
            "string",
            "the event that moves the target",
            in_request=True,
        ),
        s(
            "targets[*].targetGroupId",
            "Target group id",
            "integer",
            "the group the target belongs to",
            in_request=True,
        ),
        s(
            "targets[*].description",
            "Description",
            "string",
            "free text about the target",
            editable=True,
            check=check_text,
            in_request=True,
        ),
        s("targets[*].active", "Active", "boolean", "whether the target counts", in_request=True),
        s(
            "targets[*].expression",
            "Expression",
            "string",
            "the rule an event must meet to count, e.g. currentTxn.value>500",
            editable=True,
            rule="not blank",
            check=check_expression,
            in_request=True,
        ),
        s(
            "targets[*].expressionJson",
            "Expression JSON",
            "json-string",
            "the expression's parse tree, as a string holding JSON",
            editable=True,
            rule="must parse as a JSON object",
            check=check_expression_json,
            in_request=True,
            multiline=True,
        ),
        s(
            "targets[*].filters",
            "Filters",
            "list",
            "which entities the target is limited to",
            in_request=True,
        ),
        s(
            "targets[*].filters[*]",
            "Filter",
            "object",
            "one limit on the entities counted",
            in_request=True,
        ),
        s(
            "targets[*].filters[*].entityType",
            "Entity type",
            "string",
            "the kind of entity filtered on",
            in_request=True,
        ),
        s(
            "targets[*].filters[*].entityIds",
            "Entity ids",
            "list",
            "the entities allowed",
            in_request=True,
        ),
        s(
            "targets[*].filters[*].entityIds[*]",
            "Entity id",
            "unknown",
            "one allowed entity",
            in_request=True,
        ),
        s(
            "targets[*].enrolmentMethod",
            "Enrolment method",
            "enum",
            "how customers join the target",
            choices=ENROLMENT_METHODS,
            in_request=True,
        ),
        s(
            "targets[*].defaultValues",
            "Default values",
            "list",
            "the value to reach, per period",
            in_request=True,
        ),
        s(
            "targets[*].defaultValues[*]",
            "Default value",
            "object",
            "the value to reach in one period",
            in_request=True,
        ),
        s(
            "targets[*].defaultValues[*].id",
            "Id",
            "integer",
            "the default value's id",
            readonly_reason=IDS_FIXED,
            in_request=True,
        ),
        s(
            "targets[*].defaultValues[*].periodId",
            "Period id",
            "integer",
            "the period it applies to",
            in_request=True,
        ),
        s(
            "targets[*].defaultValues[*].defaultValue",
            "Default value",
            "number",
            "the value to reach",
            in_request=True,
        ),
        s(
            "targets[*].targetPeriodDefaultValuesMap",
            "Default values by period",
            "map",
            "the same default values keyed by period id",
            readonly_reason=ro,
        ),
        s(
            "targets[*].targetPeriodDefaultValuesMap[*]",
            "Default value",
            "object",
            "the default value of one period",
            readonly_reason=ro,
        ),
        s(
            "targets[*].targetPeriodDefaultValuesMap[*].id",
            "Id",
            "integer",
            "the default value's id",
            readonly_reason=ro,
        ),
        s(
            "targets[*].targetPeriodDefaultValuesMap[*].periodId",
            "Period id",
            "integer",
            "the period it applies to",
            readonly_reason=ro,
        ),
        s(
            "targets[*].targetPeriodDefaultValuesMap[*].defaultValue",
            "Default value",
            "number",
            "the value to reach",
            readonly_reason=ro,
        ),
        s(
            "targets[*].targetMilestoneTriggers",
            "Milestone triggers",
            "list",
            "what happens when the target is met",
            readonly_reason=ro,
        ),
        s(
            "targets[*].extendedFieldInfo",
            "Extended field",
            "object",
            "the extended field an EXTENDED_FIELD target sums",
        ),
        s("targets[*].extendedFieldInfo.name", "Name", "string", "the extended field's name"),
        s(
            "targets[*].extendedFieldInfo.aggregateFunction",
            "Aggregate",
            "string",
            "how its values are combined (SUM, …)",
        ),
    ]


ROOT = FieldSpec("", "Target group", "object", "a milestone: its periods, streaks and targets")

CATALOG: dict[str, FieldSpec] = {spec.pattern: spec for spec in _specs()}

EDITABLE_PATTERNS: tuple[str, ...] = tuple(p for p, spec in CATALOG.items() if spec.editable)

# Keys of these objects are data (period ids), not field names.
MAP_PATTERNS: frozenset[str] = frozenset(p for p, spec in CATALOG.items() if spec.kind == "map")


def _unknown(pattern: str) -> FieldSpec:
    return FieldSpec(
        pattern,
        pattern.rsplit(".", 1)[-1],
        "unknown",
        "a field the API docs do not describe",
        readonly_reason=UNDOCUMENTED,
        documented=False,
    )


def canonical_pattern(pattern: str) -> str:
    """Fold the places where a documented shape repeats onto its one catalog entry."""
    if pattern.startswith("activePeriod."):
        pattern = "periods[*]." + pattern.removeprefix("activePeriod.")
    if ".attribution." in pattern or pattern.startswith("attribution."):
        pattern = "attribution." + pattern.rsplit("attribution.", 1)[1]
    return pattern


def spec_for(path: FieldPath | str) -> FieldSpec:
    """The spec of a path (``targets[3006].expression``) or pattern (``targets[*].expression``)."""
    if isinstance(path, str):
        pattern = path if "[*]" in path or "[" not in path else pattern_of(parse_path(path))
    else:
        pattern = pattern_of(path)
    if not pattern:
        return ROOT
    spec = CATALOG.get(pattern) or CATALOG.get(canonical_pattern(pattern))
    return spec if spec is not None else _unknown(pattern)


def is_editable(path: FieldPath | str) -> bool:
    return spec_for(path).editable


def holds_editable(path: FieldPath | str) -> bool:
    """Whether an object or list at ``path`` contains a field that may be edited."""
    pattern = spec_for(path).pattern
    if not pattern:
        return True
    return any(p.startswith((pattern + ".", pattern + "[")) for p in EDITABLE_PATTERNS)


def is_map(path: FieldPath) -> bool:
    return pattern_of(path) in MAP_PATTERNS


def validate(path: FieldPath | str, value: Any) -> str | None:
    """A message saying what rule ``value`` breaks, or None when it is fine to send."""
    spec = spec_for(path)
    if not spec.editable:
        return f"{spec.label} is read-only: {spec.readonly_reason}"
    return spec.check(value) if spec.check else None


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def value_from_text(path: FieldPath | str, text: str) -> Any:
    """Turn what a person typed into the field's JSON value; ValueError says why not."""
    spec = spec_for(path)
    if spec.kind == "integer":
        stripped = text.strip()
        # ASCII digits with at most one sign: isdigit() would pass '²' and '+-5' to int().
        if not _WHOLE_NUMBER.fullmatch(stripped):
            raise ValueError(f"{spec.label} must be a whole number, not {text!r}")
        return int(stripped)
    return text
