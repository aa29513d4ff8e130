"""Generated groups: every documented field, random unknown ones, and plain garbage."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.fields.paths import format_path, parse_path
from tui.model.check import check_group
from tui.model.errors import ModelError, unwrap_group

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Strategy = st.SearchStrategy[Any]

# --- JSON values ------------------------------------------------------------------------------

scalars: Strategy = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values: Strategy = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def nullable(strategy: Strategy) -> Strategy:
    return st.none() | strategy


ints: Strategy = st.integers(min_value=-(2**63), max_value=2**63)
texts: Strategy = st.text(max_size=20)
numbers: Strategy = st.integers() | st.floats(allow_nan=False, allow_infinity=False)


def enum(*documented: str) -> Strategy:
    """A documented value or any other text: values the docs never named must load too."""
    return nullable(st.sampled_from(documented) | texts)


@st.composite
def shape(
    draw: st.DrawFn,
    fields: dict[str, Strategy],
    required: tuple[str, ...] = (),
) -> dict[str, Any]:
    """An object with some documented fields, some unknown ones, in a random key order."""
    chosen = draw(
        st.fixed_dictionaries(
            {k: fields[k] for k in required},
            optional={k: v for k, v in fields.items() if k not in required},
        )
    )
    unknown = draw(
        st.dictionaries(
            st.text(min_size=1, max_size=10).filter(lambda k: k not in fields),
            json_values,
            max_size=2,
        )
    )
    merged = {**chosen, **unknown}
    order = draw(st.permutations(list(merged)))
    return {key: merged[key] for key in order}


user_refs = shape(
    {
        "id": nullable(ints),
        "code": nullable(texts),
        "description": nullable(texts),
        "name": nullable(texts),
        "type": nullable(texts),
    }
)
attributions = shape(
    {
        "createdOn": nullable(texts),
        "createdOnISO": nullable(texts),
        "lastUpdatedOn": nullable(texts),
        "lastUpdatedOnISO": nullable(texts),
        "createdBy": nullable(user_refs),
        "lastUpdatedBy": nullable(user_refs),
    }
)
periods = shape(
    {
        "id": ints,
        "attribution": nullable(attributions),
        "startDate": nullable(texts),
        "endDate": nullable(texts),
        "refCode": nullable(texts),
        "periodStatus": enum("NOT_STARTED", "RUNNING", "ENDED", "UPCOMING", "LIVE"),
        "targetGroupId": nullable(ints),
        "description": nullable(texts),
        "active": nullable(st.booleans()),
    },
    required=("id",),
)
streaks = shape(
    {
        "id": ints,
        "attribution": nullable(attributions),
        "targetGroupId": nullable(ints),
        "name": nullable(texts),
        "targetCountOfSequence": nullable(ints),
    },
    required=("id",),
)
default_values = shape(
    {"id": ints, "periodId": nullable(ints), "defaultValue": nullable(numbers)},
    required=("id",),
)
filters = shape(
    {"entityType": nullable(texts), "entityIds": nullable(st.lists(json_values, max_size=3))}
)
extended_field_infos = shape({"name": nullable(texts), "aggregateFunction": nullable(texts)})


def unique_list(strategy: Strategy) -> Strategy:
    return st.lists(strategy, max_size=3, unique_by=lambda element: element["id"])


targets = shape(
    {
        "id": ints,
        "attribution": nullable(attributions),
        "name": nullable(texts),
        "emfRuleSetId": nullable(ints),
        "targetType": enum("QUANTITY", "SALES", "COUNT", "VISIT", "GROSS_SALES", "EVENT_ATTRIBUTE"),
        "targetEntity": enum("TRANSACTION", "LINEITEM", "EVENT", "REWARDS"),
        "eventName": nullable(texts),
        "targetGroupId": nullable(ints),
        "description": nullable(texts),
        "active": nullable(st.booleans()),
        "expression": nullable(texts),
        "expressionJson": nullable(texts),
        "filters": nullable(st.lists(filters, max_size=2)),
        "enrolmentMethod": enum("TRANSACTION", "IMPORT"),
        "defaultValues": nullable(unique_list(default_values)),
        "targetPeriodDefaultValuesMap": nullable(
            st.dictionaries(st.text(max_size=6), default_values, max_size=2)
        ),
        "targetMilestoneTriggers": nullable(st.lists(json_values, max_size=2)),
        "extendedFieldInfo": nullable(extended_field_infos),
    },
    required=("id",),
)
groups = shape(
    {
        "id": ints,
        "attribution": nullable(attributions),
        "orgId": nullable(ints),
        "name": nullable(texts),
        "description": nullable(texts),
        "fromDate": nullable(texts),
        "toDate": nullable(texts),
        "active": nullable(st.booleans()),
        "preferredTillId": nullable(ints),
        "periods": nullable(unique_list(periods)),
        "streaks": nullable(unique_list(streaks)),
        "activePeriod": nullable(periods),
        "totalPeriods": nullable(ints),
        "targetEvaluationType": enum(
            "FIXED_CALENDAR_WINDOW", "CYCLIC_WINDOW", "PERIOD_AGNOSTIC_WINDOW"
        ),
        "recurringCycles": nullable(ints),
        "frequency": nullable(ints),
        "frequencyType": enum("DAILY", "WEEKLY", "MONTHLY", "CUSTOM"),
        "targetCycleStartDate": nullable(texts),
        "targetCycleEndDate": nullable(texts),
        "targetCycleStartDateISO": nullable(texts),
        "targetCycleEndDateISO": nullable(texts),
        "timeZoneName": nullable(texts),
        "trackingType": enum("DEFAULT", "UNIFIED", "STREAK", "STREAKS", "CAPPING"),
        "createdOn": nullable(ints),
        "targets": nullable(unique_list(targets)),
        "leaderboardEnabled": nullable(st.booleans()),
        "userCreated": nullable(st.booleans()),
    },
    required=("id",),
)


def exact(document: Any) -> str:
    """Text that differs when a key moves or an int turns into a float."""
    return json.dumps(document)


# --- properties ---------------------------------------------------------------------------------


@SETTINGS
@given(groups)
def test_generated_group_is_accepted_and_left_exactly_as_it_was(group: dict[str, Any]) -> None:
    text = exact(group)
    check_group(group, source="the server")
    assert exact(group) == text
    # through JSON text, and wrapped in a reply envelope
    check_group(unwrap_group(json.loads(json.dumps({"data": group, "errors": None}))), source="x")
    assert exact(group) == text


def _check_garbage(document: Any) -> None:
    text = exact(document)
    try:
        check_group(document, source="the server")
    except ModelError as error:
        message = str(error)
        assert message and "\n" not in message
        # A path it names (when it names one) is one the path syntax can read back.
        named = error.path
        assert named is None or format_path(parse_path(named)) == named
    assert exact(document) == text  # accepted or not, never changed


@SETTINGS
@given(json_values)
def test_random_json_parses_or_raises_model_error(document: Any) -> None:
    _check_garbage(document)
    with contextlib.suppress(ModelError):
        unwrap_group(document)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["id", "name", "targets", "periods", "x"]), json_values))
def test_random_objects_with_documented_keys_parse_or_raise_model_error(
    document: dict[str, Any],
) -> None:
    _check_garbage(document)


def _places(document: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [where]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _places(value, (*where, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _places(value, (*where, index))
    return found


@SETTINGS
@given(groups, st.data())
def test_a_group_with_one_value_replaced_by_garbage_parses_or_raises_model_error(
    group: dict[str, Any], data: st.DataObject
) -> None:
    where = data.draw(st.sampled_from(_places(group)[1:] or [("id",)]))
    node: Any = group
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = data.draw(json_values)
    _check_garbage(group)
