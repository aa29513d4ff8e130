"""The documented shapes: envelope, target group, period, streak, target and parts.

Strict mode: a string where the docs promise an integer is an error, not a silent
conversion, so a bad reply is reported rather than half-understood. Almost every
field may be null or missing because real replies leave many out.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# JSON numbers: keep int as int and float as float so that a round trip is exact.
Number = int | float


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, populate_by_name=True)


class UserRef(ApiModel):
    id: int | None = None
    code: str | None = None
    description: str | None = None
    name: str | None = None
    type: str | None = None


class Attribution(ApiModel):
    createdOn: str | None = None
    createdOnISO: str | None = None
    lastUpdatedOn: str | None = None
    lastUpdatedOnISO: str | None = None
    createdBy: UserRef | None = None
    lastUpdatedBy: UserRef | None = None


class Period(ApiModel):
    id: int
    attribution: Attribution | None = None
    startDate: str | None = None
    endDate: str | None = None
    refCode: str | None = None
    periodStatus: str | None = None
    targetGroupId: int | None = None
    description: str | None = None
    active: bool | None = None


class Streak(ApiModel):
    id: int
    attribution: Attribution | None = None
    targetGroupId: int | None = None
    name: str | None = None
    targetCountOfSequence: int | None = None


class DefaultValue(ApiModel):
    id: int
    periodId: int | None = None
    defaultValue: Number | None = None


class Filter(ApiModel):
    entityType: str | None = None
    entityIds: list[Any] | None = None


class ExtendedFieldInfo(ApiModel):
    name: str | None = None
    aggregateFunction: str | None = None


class Target(ApiModel):
    id: int
    attribution: Attribution | None = None
    name: str | None = None
    emfRuleSetId: int | None = None
    targetType: str | None = None
    targetEntity: str | None = None
    eventName: str | None = None
    targetGroupId: int | None = None
    description: str | None = None
    active: bool | None = None
    expression: str | None = None
    expressionJson: str | None = None
    filters: list[Filter] | None = None
    enrolmentMethod: str | None = None
    defaultValues: list[DefaultValue] | None = None
    targetPeriodDefaultValuesMap: dict[str, DefaultValue] | None = None
    targetMilestoneTriggers: list[Any] | None = None
    extendedFieldInfo: ExtendedFieldInfo | None = None


class TargetGroup(ApiModel):
    id: int
    attribution: Attribution | None = None
    orgId: int | None = None
    name: str | None = None
    description: str | None = None
    fromDate: str | None = None
    toDate: str | None = None
    active: bool | None = None
    preferredTillId: int | None = None
    periods: list[Period] | None = None
    streaks: list[Streak] | None = None
    activePeriod: Period | None = None
    totalPeriods: int | None = None
    targetEvaluationType: str | None = None
    recurringCycles: int | None = None
    frequency: int | None = None
    frequencyType: str | None = None
    targetCycleStartDate: str | None = None
    targetCycleEndDate: str | None = None
    targetCycleStartDateISO: str | None = None
    targetCycleEndDateISO: str | None = None
    timeZoneName: str | None = None
    trackingType: str | None = None
    createdOn: int | None = None
    targets: list[Target] | None = None
    leaderboardEnabled: bool | None = None
    userCreated: bool | None = None


class ErrorItem(ApiModel):
    code: int | None = None
    message: str | None = None
    status: Any = None


class Envelope(ApiModel):
    """``{"data": ..., "errors": ..., "warnings": ...}``; ``warnings`` may be missing."""

    data: Any = None
    errors: list[ErrorItem] | None = None
    warnings: list[Any] | None = Field(default=None)
