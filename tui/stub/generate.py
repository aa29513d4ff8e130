"""Target groups of any size, in the documented shape, for benchmarks and tests.

``make_group(365, 50)`` is a group with daily periods for a year and fifty targets: each
target carries a default value per period twice, in ``defaultValues`` and in
``targetPeriodDefaultValuesMap`` (keyed by the period id as a string), as the API sends
it. The shape follows the sample reply of group 2762; the same arguments always give
the same group.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

FIRST_DAY = date(2025, 1, 1)
# "Now" for the generated statuses: periods before it ENDED, the one holding it ACTIVE.
TODAY_OFFSET = 0.5  # the middle of the range

_EVENTS = ("TransactionAdd", "PointsRedeem", "CustomerUpdate")
_FIELDS = (("value", "real:object:primitive"), ("discount", "real:object:primitive"))
_COMPARE = (">", ">=", "<")


def _stamp(moment: datetime) -> dict[str, str]:
    return {
        "long": moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
        "iso": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _user(user_id: int, code: str | None) -> dict[str, Any]:
    return {
        "id": user_id,
        "code": code,
        "description": "" if code else None,
        "name": code,
        "type": "TILL" if code else None,
    }


def _attribution(moment: datetime, user_id: int, code: str | None) -> dict[str, Any]:
    stamp = _stamp(moment)
    return {
        "createdOn": stamp["long"],
        "createdOnISO": stamp["iso"],
        "lastUpdatedOn": stamp["long"],
        "lastUpdatedOnISO": stamp["iso"],
        "lastUpdatedBy": _user(user_id, code),
        "createdBy": _user(user_id, code),
    }


def expression_for(field: str, field_type: str, operator: str, threshold: int) -> tuple[str, str]:
    """``currentTxn.FIELD OP N`` and its expressionJson, as the API page's example has it."""
    tree = {
        "arity": "binary_operation",
        "value": operator,
        "type": "boolean:primitive",
        "operands": [
            {
                "arity": "object_dereference",
                "type": field_type,
                "operands": [
                    {"arity": "name", "value": "currentTxn", "type": "tx:object:primitive"},
                    {"arity": "name", "value": field, "type": field_type},
                ],
            },
            {"arity": "literal", "value": str(threshold), "type": "number:primitive"},
        ],
    }
    return f"currentTxn.{field}{operator}{threshold}", json.dumps(tree, separators=(",", ":"))


def make_group(
    periods: int, targets: int, *, group_id: int = 9000, seed: int = 0
) -> dict[str, Any]:
    """A daily target group with ``periods`` periods and ``targets`` targets (deterministic)."""
    if periods < 0 or targets < 0:
        raise ValueError("periods and targets must not be negative")
    rng = random.Random(f"{group_id}:{periods}:{targets}:{seed}")
    created = datetime(2024, 12, 1, 9, 30, tzinfo=UTC)
    user_id, till = 75152721, "bench_till"
    today = int(periods * TODAY_OFFSET)
    first_period_id = group_id * 100
    first_value_id = group_id * 100_000

    period_list: list[dict[str, Any]] = []
    for number in range(periods):
        day = FIRST_DAY + timedelta(days=number)
        status = "ENDED" if number < today else "ACTIVE" if number == today else "UPCOMING"
        period_list.append(
            {
                "id": first_period_id + number,
                "attribution": _attribution(created, user_id, till),
                "startDate": day.isoformat(),
                "endDate": day.isoformat(),
                "refCode": f"Cycle_{number + 1}",
                "periodStatus": status,
                "targetGroupId": group_id,
                "description": "",
                "active": True,
            }
        )

    target_list: list[dict[str, Any]] = []
    next_value_id = first_value_id
    for number in range(targets):
        field, field_type = _FIELDS[number % len(_FIELDS)]
        expression, expression_json = expression_for(
            field, field_type, _COMPARE[number % len(_COMPARE)], rng.randrange(1, 100) * 50
        )
        values: list[dict[str, Any]] = []
        for period in period_list:
            values.append(
                {
                    "id": next_value_id,
                    "periodId": period["id"],
                    "defaultValue": rng.randrange(1, 20) * 5,
                }
            )
            next_value_id += 1
        target_list.append(
            {
                "id": group_id * 1000 + number,
                "attribution": _attribution(created, user_id, till),
                "name": f"target_{number + 1}_{field}",
                "emfRuleSetId": 126_000_000 + group_id * 1000 + number,
                "targetType": "COUNT" if number % 2 == 0 else "SUM",
                "targetEntity": "EVENT",
                "eventName": _EVENTS[number % len(_EVENTS)],
                "targetGroupId": group_id,
                "description": f"generated target {number + 1} of {targets}",
                "active": True,
                "expression": expression,
                "expressionJson": expression_json,
                "filters": [],
                "enrolmentMethod": "IMPORT",
                "defaultValues": values,
                # The same objects again, by period id: separate copies, as JSON would give.
                "targetPeriodDefaultValuesMap": {str(v["periodId"]): dict(v) for v in values},
                "targetMilestoneTriggers": [],
                "extendedFieldInfo": {"name": "points", "aggregateFunction": "SUM"},
            }
        )

    last_day = FIRST_DAY + timedelta(days=max(periods - 1, 0))
    group: dict[str, Any] = {
        "id": group_id,
        "attribution": _attribution(created, user_id, None),
        "orgId": 100737,
        "name": f"generated_{periods}x{targets}",
        "fromDate": FIRST_DAY.isoformat(),
        "toDate": last_day.isoformat(),
        "active": True,
        "preferredTillId": 75155297,
        "periods": period_list,
        "totalPeriods": periods,
        "description": f"A generated group: {periods} daily periods, {targets} targets",
        "targetEvaluationType": "FIXED_CALENDAR_WINDOW",
        "recurringCycles": periods,
        "frequency": 1,
        "targetCycleStartDate": f"{FIRST_DAY.isoformat()}T00:00:00.000Z",
        "targetCycleEndDate": f"{last_day.isoformat()}T23:59:59.000Z",
        "targetCycleStartDateISO": f"{FIRST_DAY.isoformat()}T00:00:00Z",
        "targetCycleEndDateISO": f"{last_day.isoformat()}T23:59:59Z",
        "frequencyType": "DAILY",
        "trackingType": "DEFAULT",
        "createdOn": int(created.timestamp() * 1000),
        "targets": target_list,
        "leaderboardEnabled": False,
        "userCreated": False,
        "timeZoneName": "GMT",
    }
    return group


def parse_size(text: str) -> tuple[int, int]:
    """``365x50`` → (365, 50); ValueError says what is wrong."""
    periods, sep, targets = text.lower().partition("x")
    if not sep or not periods.strip().isdecimal() or not targets.strip().isdecimal():
        raise ValueError(f"expected a size such as 365x50 (periods x targets), not {text!r}")
    return int(periods), int(targets)
