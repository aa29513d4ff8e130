"""The documented shapes: envelope, target group, period, streak, target and parts.

Strict mode: a string where the docs promise an integer is an error, not a silent
conversion, so a bad reply is reported rather than half-understood. Almost every
field may be null or missing because real replies leave many out.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PlainValidator,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "Input should be a number")
    return value


# JSON numbers: keep int as int and float as float so that a round trip is exact. One
# validator, not the union ``int | float``: a union reports each branch ("int", "float")
# as if it were a field, and would call a decimal field "a whole number" in the message.
Number = Annotated[int | float, PlainValidator(_number)]


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, populate_by_name=True)

    # The order the keys came in: pydantic dumps declared fields first and extras last,
    # which would reorder a saved or shown group; dumps follow the received order instead.
    _key_order: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _remember_key_order(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        model = handler(data)
        if isinstance(data, dict) and isinstance(model, ApiModel):
            model._key_order = tuple(data)
        return model

    @model_serializer(mode="wrap")
    def _in_received_order(self, handler: SerializerFunctionWrapHandler) -> Any:
        dumped = handler(self)
        if not self._key_order or not isinstance(dumped, dict):
            return dumped
        rank = {key: number for number, key in enumerate(self._key_order)}
        return dict(sorted(dumped.items(), key=lambda item: rank.get(item[0], len(rank))))


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
