"""The stand-in's edit call: the API's validations, read-only fields, lastUpdatedOn."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tui.api.auth import basic_authorization
from tui.fields.catalog import EDITABLE_PATTERNS, spec_for
from tui.stub.edits import format_timestamp, next_timestamp
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer

FIXTURES = Path(__file__).parent / "fixtures"
# One client for the module: creating one per call costs more than the call.
HTTP = httpx.Client()
BASIC = {"Authorization": basic_authorization("demo", "demo")}
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000")
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def put(stub: StubServer, group_id: int, body: Any) -> httpx.Response:
    content = body if isinstance(body, str | bytes) else json.dumps(body)
    return HTTP.put(
        f"{stub.base_url}/v3/targetGroups/editTargetGroup/{group_id}",
        headers=BASIC,
        content=content,
        timeout=5,
    )


def codes(reply: httpx.Response) -> list[int]:
    return [item["code"] for item in reply.json()["errors"] or []]


def test_an_edit_is_applied_and_the_whole_group_returned(stub: StubServer) -> None:
    before = stub.group(2762)
    reply = put(
        stub,
        2762,
        {
            "id": 2762,
            "name": "renamed",
            "description": "new description",
            "preferredTillId": 42,
            "targets": [
                {
                    "id": 3006,
                    "description": "target text",
                    "expression": "currentTxn.value>500",
                    "expressionJson": '{"arity": "literal", "value": "true"}',
                }
            ],
        },
    )
    assert reply.status_code == 200
    document = reply.json()
    assert document["errors"] is None and document["warnings"] is None
    after = stub.group(2762)
    assert document["data"] == after
    assert after["periods"] == before["periods"]  # the whole group, periods included
    assert (after["name"], after["description"], after["preferredTillId"]) == (
        "renamed",
        "new description",
        42,
    )
    target = after["targets"][0]
    assert target["description"] == "target text"
    assert target["expression"] == "currentTxn.value>500"
    assert target["expressionJson"] == '{"arity": "literal", "value": "true"}'
    # Nothing else moved but the change marker.
    for key in set(before) - {"name", "description", "preferredTillId", "targets", "attribution"}:
        assert after[key] == before[key]
    for key in ("defaultValues", "targetPeriodDefaultValuesMap", "name", "attribution"):
        assert target[key] == before["targets"][0][key]


def test_last_updated_on_moves_in_the_same_format(stub: StubServer) -> None:
    old = stub.group(2762)["attribution"]
    first = put(stub, 2762, {"id": 2762, "description": "one"}).json()["data"]["attribution"]
    second = put(stub, 2762, {"id": 2762, "description": "two"}).json()["data"]["attribution"]
    assert TIMESTAMP.fullmatch(first["lastUpdatedOn"])
    assert ISO.fullmatch(first["lastUpdatedOnISO"])
    assert first["lastUpdatedOn"][:19] == first["lastUpdatedOnISO"][:19]
    assert old["lastUpdatedOn"] < first["lastUpdatedOn"] < second["lastUpdatedOn"]
    assert first["createdOn"] == old["createdOn"]
    # A group without the ISO twin does not grow one.
    attribution = put(stub, 18044, {"id": 18044, "name": "x"}).json()["data"]["attribution"]
    assert "lastUpdatedOnISO" not in attribution
    assert TIMESTAMP.fullmatch(attribution["lastUpdatedOn"])


def test_the_marker_moves_even_within_one_millisecond() -> None:
    now = datetime(2025, 11, 18, 13, 51, 31, 644000, tzinfo=UTC)
    moved = next_timestamp("2025-11-18T13:51:31.644+0000", now)
    assert format_timestamp(moved) == ("2025-11-18T13:51:31.645+0000", "2025-11-18T13:51:31Z")
    assert next_timestamp("2020-01-01T00:00:00.000+0000", now) == now
    assert next_timestamp("garbage", now) == now


def test_a_name_over_200_characters_is_310008(stub: StubServer) -> None:
    reply = put(stub, 2762, {"id": 2762, "name": "n" * 201})
    assert reply.status_code == 400
    assert codes(reply) == [310008]
    assert stub.group(2762)["name"] == "uatTargetGroup80"
    assert put(stub, 2762, {"id": 2762, "name": "n" * 200}).status_code == 200


def test_a_name_another_group_has_ignoring_case_is_310069(stub: StubServer) -> None:
    reply = put(stub, 2762, {"id": 2762, "name": "UATTARGETGROUP41"})
    assert reply.status_code == 400
    assert codes(reply) == [310069]
    assert "UATTARGETGROUP41" in reply.json()["errors"][0]["message"]
    # The group's own name in another case is no clash.
    assert put(stub, 2762, {"id": 2762, "name": "UATTARGETGROUP80"}).status_code == 200


def test_an_unknown_target_id_is_invalid_input(stub: StubServer) -> None:
    reply = put(stub, 2762, {"id": 2762, "targets": [{"id": 9999, "description": "x"}]})
    assert reply.status_code == 400
    assert codes(reply) == [300004]
    assert "9999" in reply.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"id": 18044, "name": "x"},
        {"name": "x"},
        {"id": "2762", "name": "x"},
        [{"id": 2762}],
        "not json",
        {"id": 2762, "targets": {"id": 3006}},
        {"id": 2762, "targets": [{"description": "no id"}]},
    ],
)
def test_a_body_that_is_not_an_edit_of_this_group_is_invalid_input(
    stub: StubServer, body: Any
) -> None:
    reply = put(stub, 2762, body)
    assert reply.status_code == 400
    assert codes(reply) == [300004]
    assert stub.group(2762) == sample_groups()[0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "   "),
        ("name", 5),
        ("preferredTillId", -5),
        ("preferredTillId", "12"),
        ("description", None),
    ],
)
def test_a_group_field_that_breaks_its_rule_is_300004(
    stub: StubServer, field: str, value: Any
) -> None:
    reply = put(stub, 2762, {"id": 2762, field: value})
    assert reply.status_code == 400
    assert codes(reply) == [300004]
    assert field in reply.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("expression", " "), ("expressionJson", "not json"), ("expressionJson", "[1]")],
)
def test_a_target_field_that_breaks_its_rule_is_300004_and_nothing_is_applied(
    stub: StubServer, field: str, value: str
) -> None:
    body = {"id": 2762, "name": "valid new name", "targets": [{"id": 3006, field: value}]}
    reply = put(stub, 2762, body)
    assert reply.status_code == 400
    assert codes(reply) == [300004]
    assert f"targets[3006].{field}" in reply.json()["errors"][0]["message"]
    assert stub.group(2762)["name"] == "uatTargetGroup80"


def test_read_only_fields_are_ignored_with_a_warning_naming_them(stub: StubServer) -> None:
    reply = put(
        stub,
        2762,
        {
            "id": 2762,
            "orgId": 1,
            "active": False,
            "undocumentedThing": 1,
            "description": "changed",
            "targets": [{"id": 3006, "name": "new target name", "expression": "true"}],
        },
    )
    assert reply.status_code == 200
    assert reply.json()["warnings"] == [
        {"code": 0, "message": "field orgId is read-only and was ignored", "field": "orgId"},
        {"code": 0, "message": "field active is read-only and was ignored", "field": "active"},
        {
            "code": 0,
            "message": "field undocumentedThing is read-only and was ignored",
            "field": "undocumentedThing",
        },
        {
            "code": 0,
            "message": "field targets[3006].name is read-only and was ignored",
            "field": "targets[3006].name",
        },
    ]
    group = stub.group(2762)
    assert (group["orgId"], group["active"], group["description"]) == (100737, True, "changed")
    assert "undocumentedThing" not in group
    assert group["targets"][0]["name"] == "uat_target_group_80"


def test_a_full_body_warns_only_about_what_it_tries_to_change(stub: StubServer) -> None:
    # The API page's full example request: toDate and totalPeriods differ from the group.
    body = (FIXTURES / "full-request-body-18044.json").read_text()
    reply = put(stub, 18044, body)
    assert reply.status_code == 200
    assert [w["field"] for w in reply.json()["warnings"]] == ["toDate", "totalPeriods"]
    assert stub.group(18044)["toDate"] == "2024-11-20"


@pytest.mark.parametrize("pattern", EDITABLE_PATTERNS)
def test_every_field_the_catalog_calls_editable_is_applied(stub: StubServer, pattern: str) -> None:
    # The stub keeps no list of its own: whatever tui.fields marks editable goes through.
    value: Any = {
        "string": "changed value",
        "integer": 777,
        "json-string": '{"arity": "name", "value": "x"}',
    }[spec_for(pattern).kind]
    if pattern.startswith("targets[*]."):
        key = pattern.removeprefix("targets[*].")
        body: dict[str, Any] = {"id": 2762, "targets": [{"id": 3006, key: value}]}
    else:
        body = {"id": 2762, pattern: value}
    reply = put(stub, 2762, body)
    assert reply.status_code == 200, reply.text
    assert reply.json()["warnings"] is None
    group = stub.group(2762)
    stored = group["targets"][0][key] if pattern.startswith("targets") else group[pattern]
    assert stored == value
