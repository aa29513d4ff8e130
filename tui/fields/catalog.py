"""The field catalog: the one place that says what each field is and whether it may change.

Every documented field has a spec: label, kind, editable or not (and why not), its rule,
and a one-line meaning. The tree, the detail panel, the CLI, the edit session and the
stand-in server all ask this module; none keeps its own list. It is also the one
declaration of a group's shape: ``tui.model.check`` generates the check of a reply or a
file from the kinds, the ``[*]`` rows and ``required``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from tui.fields.paths import FieldPath, parse_path, pattern_of
from tui.fields.rules import (
    JAVA_LONG_MAX,
    check_expression,
    check_expression_json,
    check_name,
    check_positive_id,
    check_text,
)

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


@dataclass(slots=True)
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
    # Every element carries it, never null: an element is named by it (ids). Any other
    # field may be null or missing, as real replies leave many out (``tui.model.check``).
    required: bool = False

    def why_read_only(self) -> str | None:
        return None if self.editable else self.readonly_reason


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


# Read-only rows, one line each. `sent`: the API page's full request carries it back
# unchanged; `kept`: shown and sent back as received, never in a full body; `computed`: the
# server makes it and never accepts it back; `ident`: an element's id, which names it.


def sent(pattern: str, label: str, kind: FieldKind, meaning: str, *choices: str) -> FieldSpec:
    return FieldSpec(pattern, label, kind, meaning, choices=choices, in_request=True)


def kept(pattern: str, label: str, kind: FieldKind, meaning: str, *choices: str) -> FieldSpec:
    return FieldSpec(pattern, label, kind, meaning, choices=choices)


def computed(pattern: str, label: str, kind: FieldKind, meaning: str) -> FieldSpec:
    return FieldSpec(pattern, label, kind, meaning, readonly_reason=RESPONSE_ONLY)


def ident(pattern: str, meaning: str) -> FieldSpec:
    return FieldSpec(
        pattern,
        "Id",
        "integer",
        meaning,
        readonly_reason=IDS_FIXED,
        in_request=True,
        required=True,
    )


def editable(
    pattern: str, label: str, kind: FieldKind, meaning: str, check: Check, rule: str | None = None
) -> FieldSpec:
    """The fields the edit call changes: all of them are sent in a full body."""
    return FieldSpec(
        pattern,
        label,
        kind,
        meaning,
        editable=True,
        rule=rule,
        check=check,
        in_request=True,
        multiline=kind == "json-string",
    )


def _specs() -> list[FieldSpec]:
    dv_map = "targets[*].targetPeriodDefaultValuesMap"
    # fmt: off
    return [
        # the target group
        ident("id", "the target group's id"),
        computed("attribution", "Attribution", "object",
            "who created and last changed it, and when"),
        computed("orgId", "Org id", "integer", "the loyalty organisation that owns the group"),
        editable(
            "name",
            "Name",
            "string",
            "the milestone's name, unique in the org ignoring case",
            check_name,
            "1–200 characters, not blank",
        ),
        editable(
            "description", "Description", "string", "free text describing the milestone", check_text
        ),
        sent("fromDate", "From date", "date", "first day the group applies (YYYY-MM-DD)"),
        sent("toDate", "To date", "date", "last day the group applies (YYYY-MM-DD)"),
        sent("active", "Active", "boolean", "whether the group is live"),
        editable(
            "preferredTillId",
            "Preferred till id",
            "integer",
            "the till (store user) the API acts as for this group's events",
            check_positive_id,
            f"a positive whole number up to {JAVA_LONG_MAX}",
        ),
        sent("periods", "Periods", "list", "the windows in which targets are counted"),
        sent("streaks", "Streaks", "list", "runs of consecutive periods that earn a reward"),
        computed("activePeriod", "Active period", "object",
            "the period running now, as the list call reports it"),
        sent("totalPeriods", "Total periods", "integer", "how many periods the group has"),
        sent("targetEvaluationType", "Evaluation type", "enum",
            "how a period's window is placed in time", *EVALUATION_TYPES),
        sent("recurringCycles", "Recurring cycles", "integer",
            "how many times the cycle repeats (-1: without end)"),
        sent("frequency", "Frequency", "integer", "how many frequency units make one period"),
        kept("frequencyType", "Frequency type", "enum",
            "the unit of a period's length", *FREQUENCY_TYPES),
        sent("targetCycleStartDate", "Cycle start", "timestamp", "when the first cycle starts"),
        sent("targetCycleEndDate", "Cycle end", "timestamp", "when the last cycle ends"),
        computed("targetCycleStartDateISO", "Cycle start (ISO)", "timestamp",
            "the cycle start in ISO form"),
        computed("targetCycleEndDateISO", "Cycle end (ISO)", "timestamp",
            "the cycle end in ISO form"),
        kept("timeZoneName", "Time zone", "string", "the time zone the dates are read in"),
        sent("trackingType", "Tracking type", "enum",
            "how progress is tracked (plain, streaks, capping…)", *TRACKING_TYPES),
        computed("createdOn", "Created on", "epoch-ms",
            "when the group was created (milliseconds since 1970)"),
        sent("targets", "Targets", "list", "what a customer must reach in each period"),
        kept("leaderboardEnabled", "Leaderboard", "boolean",
            "whether a leaderboard ranks customers"),
        kept("userCreated", "User created", "boolean",
            "whether a person (not a system) created the group"),
        # attribution, wherever it appears
        computed("attribution.createdOn", "Created on", "timestamp", "when it was created"),
        computed("attribution.createdOnISO", "Created on (ISO)", "timestamp",
            "creation time in ISO form"),
        computed("attribution.lastUpdatedOn", "Last updated on", "timestamp",
            "when it last changed: the only marker of someone else's edit"),
        computed("attribution.lastUpdatedOnISO", "Last updated on (ISO)", "timestamp",
            "last change in ISO form"),
        computed("attribution.createdBy", "Created by", "object", "the user that created it"),
        computed("attribution.lastUpdatedBy", "Last updated by", "object",
            "the user that changed it last"),
        *[
            computed(f"attribution.{who}.{part}", label, kind, meaning)
            for who in ("createdBy", "lastUpdatedBy")
            for part, label, kind, meaning in _USER_PARTS
        ],
        # periods
        sent("periods[*]", "Period", "object", "one window in which targets are counted"),
        ident("periods[*].id", "the period's id"),
        computed("periods[*].attribution", "Attribution", "object",
            "who created and changed the period"),
        sent("periods[*].startDate", "Start date", "date", "first day of the period"),
        sent("periods[*].endDate", "End date", "date", "last day of the period"),
        sent("periods[*].refCode", "Ref code", "string", "the period's reference code"),
        sent("periods[*].periodStatus", "Status", "enum",
            "whether the period has started or ended", *PERIOD_STATUSES),
        sent("periods[*].targetGroupId", "Target group id", "integer",
            "the group the period belongs to"),
        sent("periods[*].description", "Description", "string", "free text about the period"),
        sent("periods[*].active", "Active", "boolean", "whether the period counts"),
        # streaks
        sent("streaks[*]", "Streak", "object", "a run of periods that earns a reward"),
        ident("streaks[*].id", "the streak's id"),
        computed("streaks[*].attribution", "Attribution", "object",
            "who created and changed the streak"),
        sent("streaks[*].targetGroupId", "Target group id", "integer",
            "the group the streak belongs to"),
        sent("streaks[*].name", "Name", "string", "the streak's name"),
        sent("streaks[*].targetCountOfSequence", "Periods in sequence", "integer",
            "how many periods in a row the streak needs"),
        # targets
        sent("targets[*]", "Target", "object", "what a customer must reach in each period"),
        ident("targets[*].id", "the target's id"),
        computed("targets[*].attribution", "Attribution", "object",
            "who created and changed the target"),
        sent("targets[*].name", "Name", "string", "the target's name"),
        computed("targets[*].emfRuleSetId", "EMF rule set id", "integer",
            "the rule set the engine made for it"),
        sent("targets[*].targetType", "Target type", "enum",
            "what is counted (sales, visits, points…)", *TARGET_TYPES),
        sent("targets[*].targetEntity", "Target entity", "enum",
            "what an event is counted on", *TARGET_ENTITIES),
        sent("targets[*].eventName", "Event name", "string", "the event that moves the target"),
        sent("targets[*].targetGroupId", "Target group id", "integer",
            "the group the target belongs to"),
        editable(
            "targets[*].description",
            "Description",
            "string",
            "free text about the target",
            check_text,
        ),
        sent("targets[*].active", "Active", "boolean", "whether the target counts"),
        editable(
            "targets[*].expression",
            "Expression",
            "string",
            "the rule an event must meet to count, e.g. currentTxn.value>500",
            check_expression,
            "not blank",
        ),
        editable(
            "targets[*].expressionJson",
            "Expression JSON",
            "json-string",
            "the expression's parse tree, as a string holding JSON",
            check_expression_json,
            "must parse as a JSON object",
        ),
        sent("targets[*].filters", "Filters", "list", "which entities the target is limited to"),
        sent("targets[*].filters[*]", "Filter", "object", "one limit on the entities counted"),
        sent("targets[*].filters[*].entityType", "Entity type", "string",
            "the kind of entity filtered on"),
        sent("targets[*].filters[*].entityIds", "Entity ids", "list", "the entities allowed"),
        sent("targets[*].filters[*].entityIds[*]", "Entity id", "unknown", "one allowed entity"),
        sent("targets[*].enrolmentMethod", "Enrolment method", "enum",
            "how customers join the target", *ENROLMENT_METHODS),
        sent("targets[*].defaultValues", "Default values", "list",
            "the value to reach, per period"),
        sent("targets[*].defaultValues[*]", "Default value", "object",
            "the value to reach in one period"),
        ident("targets[*].defaultValues[*].id", "the default value's id"),
        sent("targets[*].defaultValues[*].periodId", "Period id", "integer",
            "the period it applies to"),
        sent("targets[*].defaultValues[*].defaultValue", "Default value", "number",
            "the value to reach"),
        computed(dv_map, "Default values by period", "map",
            "the same default values keyed by period id"),
        computed(f"{dv_map}[*]", "Default value", "object", "the default value of one period"),
        replace(computed(f"{dv_map}[*].id", "Id", "integer", "the default value's id"),
            required=True),
        computed(f"{dv_map}[*].periodId", "Period id", "integer", "the period it applies to"),
        computed(f"{dv_map}[*].defaultValue", "Default value", "number", "the value to reach"),
        computed("targets[*].targetMilestoneTriggers", "Milestone triggers", "list",
            "what happens when the target is met"),
        kept("targets[*].extendedFieldInfo", "Extended field", "object",
            "the extended field an EXTENDED_FIELD target sums"),
        kept("targets[*].extendedFieldInfo.name", "Name", "string", "the extended field's name"),
        kept("targets[*].extendedFieldInfo.aggregateFunction", "Aggregate", "string",
            "how its values are combined (SUM, …)"),
    ]
    # fmt: on


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
