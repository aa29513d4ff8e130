"""Generated target groups: the documented shape, the asked size, the same group every time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tui.api.auth import basic_authorization
from tui.expressions.convert import consistent
from tui.model.check import check_group
from tui.stub.generate import make_group, parse_size
from tui.stub.server import StubServer

SAMPLE = Path(__file__).parent / "fixtures" / "edit-response-2762.json"


def _sample_keys() -> tuple[set[str], set[str], set[str]]:
    """The keys of the 2762 sample reply: of the group, of a period, of a target."""
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))["data"]
    return set(sample), set(sample["periods"][0]), set(sample["targets"][0])


@pytest.mark.parametrize(("periods", "targets"), [(0, 0), (1, 1), (10, 5), (100, 20), (365, 50)])
def test_a_generated_group_parses_and_has_the_asked_size(periods: int, targets: int) -> None:
    group = make_group(periods, targets)
    check_group(group, source="make_group")
    assert group["id"] == 9000
    assert len(group["periods"]) == periods == group["totalPeriods"]
    assert len(group["targets"]) == targets
    period_ids = [p["id"] for p in group["periods"]]
    assert len(set(period_ids)) == periods
    for target in group["targets"]:
        values = target["defaultValues"]
        assert [v["periodId"] for v in values] == period_ids  # one per period, in order
        assert len(values) == periods


@pytest.mark.parametrize(("periods", "targets"), [(3, 2), (365, 50)])
def test_the_map_agrees_with_default_values(periods: int, targets: int) -> None:
    group = make_group(periods, targets)
    every_value_id: list[int] = []
    for target in group["targets"]:
        by_period = target["targetPeriodDefaultValuesMap"]
        assert list(by_period) == [str(p["id"]) for p in group["periods"]]
        assert list(by_period.values()) == target["defaultValues"]
        for value in target["defaultValues"]:
            # Copies, as JSON gives them: the same content, not the same object.
            assert by_period[str(value["periodId"])] is not value
        every_value_id += [v["id"] for v in target["defaultValues"]]
    assert len(set(every_value_id)) == len(every_value_id) == periods * targets


def test_the_shape_follows_the_2762_sample() -> None:
    top, period_keys, target_keys = _sample_keys()
    group = make_group(4, 2)
    assert set(group) == top
    assert set(group["periods"][0]) == period_keys
    assert set(group["targets"][0]) == target_keys
    assert group["periods"][0]["refCode"] == "Cycle_1"
    assert {p["periodStatus"] for p in group["periods"]} == {"ENDED", "ACTIVE", "UPCOMING"}
    assert group["attribution"]["lastUpdatedOn"]


def test_expressions_agree_with_their_json() -> None:
    for target in make_group(2, 12)["targets"]:
        assert consistent(target["expression"], target["expressionJson"]) is True


def test_the_same_arguments_give_the_same_group_and_the_seed_changes_it() -> None:
    first = json.dumps(make_group(30, 7, group_id=77, seed=3))
    assert first == json.dumps(make_group(30, 7, group_id=77, seed=3))
    assert first != json.dumps(make_group(30, 7, group_id=77, seed=4))
    other = make_group(30, 7, group_id=78, seed=3)
    assert other["id"] == 78
    assert {p["targetGroupId"] for p in other["periods"]} == {78}


def test_negative_sizes_are_refused() -> None:
    with pytest.raises(ValueError):
        make_group(-1, 3)


@pytest.mark.parametrize(
    ("text", "size"), [("365x50", (365, 50)), ("10X5", (10, 5)), (" 1 x 2 ", (1, 2))]
)
def test_parse_size(text: str, size: tuple[int, int]) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "365", "x50", "365x", "3.5x2", "-1x2", "axb"])
def test_parse_size_refuses_what_is_not_a_size(text: str) -> None:
    with pytest.raises(ValueError, match="365x50"):
        parse_size(text)


def test_the_stand_in_serves_a_generated_group() -> None:
    group = make_group(365, 50)
    server = StubServer(groups=[group], port=0).start()
    try:
        reply = httpx.get(
            f"{server.base_url}/v3/targetGroups/9000",
            params={"includePeriods": "true"},
            headers={"Authorization": basic_authorization("demo", "demo")},
            timeout=10,
        )
    finally:
        server.stop()
    assert reply.status_code == 200
    served: dict[str, Any] = reply.json()["data"]
    assert served == group
