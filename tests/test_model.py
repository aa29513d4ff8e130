"""The check of a group's shape: documents left untouched, unknown fields kept, clear errors."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tui.model.check import check_group
from tui.model.errors import ModelError, unwrap_group

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def group_2762() -> dict[str, Any]:
    data: dict[str, Any] = load("edit-response-2762.json")["data"]
    return data


def group_18044() -> dict[str, Any]:
    data: dict[str, Any] = load("edit-response-18044.json")["data"]
    return data


def as_text(document: Any) -> str:
    """JSON text that tells 1 from 1.0 and keeps key order, which == on dicts does not."""
    return json.dumps(document, ensure_ascii=False)


# Every fixture that holds a group: the envelopes' data, the list's groups, the request bodies.
GROUP_DOCUMENTS: dict[str, Callable[[], dict[str, Any]]] = {
    "edit-response-2762": group_2762,
    "edit-response-18044": group_18044,
    "list-response[0]": lambda: load("list-response.json")["data"][0],
    "list-response[1]": lambda: load("list-response.json")["data"][1],
    "full-request-body-18044": lambda: load("full-request-body-18044.json"),
    "minimal-request-body-2514": lambda: load("minimal-request-body-2514.json"),
}


def check(document: Any, source: str = "the server") -> None:
    check_group(document, source=source)


def accepted_untouched(document: Any) -> None:
    """The check accepts ``document`` and leaves it exactly as it was: a round trip."""
    before = as_text(document)
    check(document)
    assert as_text(document) == before


# --- accepted as received ----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(GROUP_DOCUMENTS))
def test_every_fixture_group_is_accepted_and_left_exactly_as_it_was(name: str) -> None:
    accepted_untouched(GROUP_DOCUMENTS[name]())


def test_fields_missing_from_the_reply_and_nulls_are_accepted() -> None:
    accepted_untouched({"id": 7, "description": None, "targets": [{"id": 8, "expression": None}]})


def test_decimal_and_whole_default_values_are_both_numbers() -> None:
    # 18044 writes "defaultValue": 1.000, 2762 writes "defaultValue": 1
    group = group_2762()
    group["targets"][0]["defaultValues"][0]["defaultValue"] = 1.5
    accepted_untouched(group)
    accepted_untouched(group_18044())


# --- unknown fields and values -------------------------------------------------------------

UNKNOWN = {"futureFlag": {"nested": [1, 2.5, None, "x", True]}, "another-one": -3}


def _fuller_2762() -> dict[str, Any]:
    """2762 plus a streak, a filter and an activePeriod: every kind of object there is."""
    group = group_2762()
    group["streaks"] = [{"id": 9, "targetGroupId": 2762, "name": "s", "targetCountOfSequence": 2}]
    group["targets"][0]["filters"] = [{"entityType": "STORE", "entityIds": [1, 2]}]
    group["activePeriod"] = copy.deepcopy(group["periods"][0])
    return group


PLACES: dict[str, tuple[str | int, ...]] = {
    "group": (),
    "group attribution": ("attribution",),
    "group createdBy": ("attribution", "createdBy"),
    "period": ("periods", 1),
    "period attribution": ("periods", 1, "attribution"),
    "activePeriod": ("activePeriod",),
    "streak": ("streaks", 0),
    "target": ("targets", 0),
    "target lastUpdatedBy": ("targets", 0, "attribution", "lastUpdatedBy"),
    "default value": ("targets", 0, "defaultValues", 1),
    "map default value": ("targets", 0, "targetPeriodDefaultValuesMap", "30147"),
    "filter": ("targets", 0, "filters", 0),
    "extendedFieldInfo": ("targets", 0, "extendedFieldInfo"),
}


def _at(document: Any, where: tuple[str | int, ...]) -> Any:
    for key in where:
        document = document[key]
    return document


@pytest.mark.parametrize("place", list(PLACES))
def test_unknown_fields_are_kept_at_every_level(place: str) -> None:
    group = _fuller_2762()
    _at(group, PLACES[place]).update(copy.deepcopy(UNKNOWN))
    accepted_untouched(group)
    kept = _at(group, PLACES[place])
    assert as_text({k: kept[k] for k in UNKNOWN}) == as_text(UNKNOWN)


def test_an_unknown_field_named_like_a_documented_one_elsewhere_is_not_checked() -> None:
    """Only the catalog's fields of each object are checked: ``name`` means nothing in a map."""
    accepted_untouched({"id": 5, "zeta": {"id": "x", "name": 3}, "activePeriod": None})


@pytest.mark.parametrize(
    ("where", "field", "value"),
    [
        ((), "trackingType", "SOMETHING_NEW"),
        ((), "targetEvaluationType", "ROLLING_WINDOW"),
        ((), "frequencyType", "FORTNIGHTLY"),
        (("periods", 0), "periodStatus", "PAUSED"),
        (("targets", 0), "targetType", "CARBON_POINTS"),
        (("targets", 0), "targetEntity", "REFERRAL"),
        (("targets", 0), "enrolmentMethod", "API"),
    ],
)
def test_unknown_enum_values_are_accepted_and_kept(
    where: tuple[str | int, ...], field: str, value: str
) -> None:
    group = group_2762()
    node: Any = group
    for key in where:
        node = node[key]
    node[field] = value
    accepted_untouched(group)


# --- wrong types: one sentence naming the id-based path ---------------------------------------


def _set(document: dict[str, Any], where: tuple[str | int, ...], value: Any) -> None:
    node: Any = document
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value


WRONG_TYPES: list[tuple[tuple[str | int, ...], Any, str, str, str]] = [
    # where in 2762, bad value, id-based path, what was sent, what the API promises
    (("targets", 0, "expression"), 500, "targets[3006].expression", "a number", "a string"),
    (("targets", 0, "id"), "3006", "targets[#0].id", "a string", "a whole number"),
    (("preferredTillId",), "75155297", "preferredTillId", "a string", "a whole number"),
    (("preferredTillId",), True, "preferredTillId", "a boolean", "a whole number"),
    (("orgId",), 1.5, "orgId", "a number", "a whole number"),
    (("periods", 1, "active"), "yes", "periods[30147].active", "a string", "true or false"),
    (("periods", 0, "refCode"), ["C"], "periods[30148].refCode", "a list", "a string"),
    (
        ("targets", 0, "defaultValues", 0, "defaultValue"),
        "1",
        "targets[3006].defaultValues[127052].defaultValue",
        "a string",
        "a number",
    ),
    (
        # an object where a number belongs: the path must not grow a ".int" tail
        ("targets", 0, "defaultValues", 1, "defaultValue"),
        {"int": 5},
        "targets[3006].defaultValues[127053].defaultValue",
        "an object",
        "a number",
    ),
    (
        ("targets", 0, "defaultValues", 1, "defaultValue"),
        False,
        "targets[3006].defaultValues[127053].defaultValue",
        "a boolean",
        "a number",
    ),
    (
        ("targets", 0, "targetPeriodDefaultValuesMap", "30147", "periodId"),
        "30147",
        'targets[3006].targetPeriodDefaultValuesMap["30147"].periodId',
        "a string",
        "a whole number",
    ),
    (("targets", 0, "filters"), {}, "targets[3006].filters", "an object", "a list"),
    (("targets",), {"3006": {}}, "targets", "an object", "a list"),
    (
        ("attribution", "lastUpdatedBy", "id"),
        "75152721",
        "attribution.lastUpdatedBy.id",
        "a string",
        "a whole number",
    ),
    (
        ("targets", 0, "attribution", "lastUpdatedOn"),
        1763467736000,
        "targets[3006].attribution.lastUpdatedOn",
        "a number",
        "a string",
    ),
    (
        ("targets", 0, "extendedFieldInfo"),
        "points",
        "targets[3006].extendedFieldInfo",
        "a string",
        "an object",
    ),
]


@pytest.mark.parametrize(
    ("where", "value", "path", "sent", "wanted"),
    WRONG_TYPES,
    ids=[case[2] + "=" + repr(case[1]) for case in WRONG_TYPES],
)
def test_wrong_type_is_one_sentence_naming_the_id_based_path(
    where: tuple[str | int, ...], value: Any, path: str, sent: str, wanted: str
) -> None:
    group = group_2762()
    _set(group, where, value)
    with pytest.raises(ModelError) as caught:
        check(group)
    message = str(caught.value)
    assert message == f"the server sent {sent} at {path}, where the API promises {wanted}"
    assert caught.value.path == path


def test_wrong_type_in_a_streak_names_the_streak_by_id() -> None:
    group = group_18044()
    group["streaks"][1]["targetCountOfSequence"] = 2.5
    with pytest.raises(ModelError) as caught:
        check(group)
    assert caught.value.path == "streaks[1416].targetCountOfSequence"
    assert "\n" not in str(caught.value)


def test_wrong_type_message_names_the_source() -> None:
    group = group_2762()
    group["name"] = 80
    with pytest.raises(ModelError, match=r"^saved.json has a number at name, where"):
        check(group, source="saved.json")


def test_only_the_first_problem_is_reported_in_one_sentence() -> None:
    group = group_2762()
    group["name"] = 1
    group["description"] = 2
    group["targets"][0]["expression"] = 3
    with pytest.raises(ModelError) as caught:
        check(group)
    message = str(caught.value)
    assert message.count(" sent ") == 1
    assert "\n" not in message
    assert "pydantic" not in message and "validation error" not in message


def test_a_target_without_its_id_is_reported_by_position() -> None:
    group = group_2762()
    del group["targets"][0]["id"]
    with pytest.raises(ModelError) as caught:
        check(group)
    assert caught.value.path == "targets[#0].id"
    assert str(caught.value) == "the server sent no targets[#0].id, which every element needs"


def test_a_group_without_an_id_is_refused() -> None:
    with pytest.raises(ModelError) as caught:
        check({"name": "no id"})
    assert caught.value.path == "id"


@pytest.mark.parametrize(
    ("document", "word"), [([], "a list"), ("group", "a string"), (None, "null"), (5, "a number")]
)
def test_a_group_that_is_not_an_object_is_a_model_error(document: Any, word: str) -> None:
    with pytest.raises(ModelError, match=f"sent {word} where a target group object belongs"):
        check(document)


# --- duplicate ids ----------------------------------------------------------------------------


def test_duplicate_period_ids_are_refused_with_the_path() -> None:
    group = group_2762()
    group["periods"][1]["id"] = 30148
    with pytest.raises(ModelError) as caught:
        check(group)
    assert caught.value.path == "periods"
    assert "two elements with id 30148 in periods" in str(caught.value)


def test_duplicate_target_ids_are_refused() -> None:
    group = group_2762()
    group["targets"].append(copy.deepcopy(group["targets"][0]))
    with pytest.raises(ModelError) as caught:
        check(group)
    assert caught.value.path == "targets"
    assert "3006" in str(caught.value)


def test_duplicate_streak_ids_are_refused() -> None:
    group = group_18044()
    group["streaks"][1]["id"] = 1415
    with pytest.raises(ModelError) as caught:
        check(group)
    assert caught.value.path == "streaks"


def test_duplicate_default_value_ids_name_their_target() -> None:
    group = group_2762()
    group["targets"][0]["defaultValues"][1]["id"] = 127052
    with pytest.raises(ModelError) as caught:
        check(group)
    assert caught.value.path == "targets[3006].defaultValues"
    assert "127052" in str(caught.value)


def test_the_same_id_in_different_lists_is_fine() -> None:
    group = group_2762()
    group["targets"][0]["id"] = 30148  # equal to a period's id: no clash, other list
    group["targets"][0]["defaultValues"][0]["id"] = 30147
    accepted_untouched(group)


# --- unwrap_group ------------------------------------------------------------------------------


def test_unwrap_group_takes_the_data_of_an_envelope() -> None:
    envelope = load("edit-response-2762.json")
    assert unwrap_group(envelope) == envelope["data"]


def test_unwrap_group_takes_a_bare_group_as_is() -> None:
    group = group_18044()
    assert unwrap_group(group) is group


def test_unwrap_group_keeps_a_bare_group_with_an_unknown_data_field() -> None:
    group = {"id": 4, "data": {"x": 1}}
    assert unwrap_group(group) is group


@pytest.mark.parametrize(
    ("document", "word"),
    [
        (load("error-response-310145.json"), "null"),
        (load("list-response.json"), "a list"),
    ],
)
def test_unwrap_group_refuses_an_envelope_without_a_group(document: Any, word: str) -> None:
    with pytest.raises(ModelError, match=f"envelope whose data is {word}, not a group"):
        unwrap_group(document, source="g.json")


@pytest.mark.parametrize("document", [[1, 2], "x", None])
def test_unwrap_group_refuses_what_is_not_an_object(document: Any) -> None:
    with pytest.raises(ModelError, match="not a target group"):
        unwrap_group(document)


def test_unwrapped_envelope_round_trips() -> None:
    envelope = load("edit-response-18044.json")
    group = unwrap_group(envelope)
    accepted_untouched(group)
    assert as_text(group) == as_text(load("edit-response-18044.json")["data"])
