"""The edit session: changes, undo/redo, the PUT body in both modes, the diff, rebase."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from session_support import can_redo, can_undo, revert, revert_all

from tui.fields.catalog import is_map
from tui.fields.paths import FieldPath, child_segment, format_path, parse_path, pattern_of, resolve
from tui.session.body import BodyMode
from tui.session.changes import ABSENT, EditRefused, FieldChange, NothingToSend
from tui.session.edit import EditSession

FIXTURES = Path(__file__).parent / "fixtures"

EXPR = "currentTxn.value>500"
EXPR_JSON = json.dumps(
    {
        "arity": "binary_operation",
        "value": ">",
        "type": "boolean:primitive",
        "operands": [
            {"arity": "name", "value": "currentTxn", "type": "tx:object:primitive"},
            {"arity": "literal", "value": "500", "type": "number:primitive"},
        ],
    },
    separators=(",", ":"),
)


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def group_2762() -> dict[str, Any]:
    data: dict[str, Any] = load("edit-response-2762.json")["data"]
    return data


def group_18044() -> dict[str, Any]:
    data: dict[str, Any] = load("edit-response-18044.json")["data"]
    return data


def two_targets() -> dict[str, Any]:
    """2762 with a second target, 3001, listed BEFORE 3006: order is the list's, not the ids'."""
    group = group_2762()
    extra = copy.deepcopy(group["targets"][0])
    extra["id"] = 3001
    extra["description"] = "second"
    group["targets"].insert(0, extra)
    return group


@pytest.fixture
def session() -> EditSession:
    return EditSession(group_2762())


# --- set, revert, undo, redo ---------------------------------------------------------------------


def test_set_records_one_change_with_before_and_after(session: EditSession) -> None:
    session.set("name", "Renamed")
    assert session.has_changes and session.change_count == 1
    assert session.is_changed("name") and session.is_changed(("name",))
    assert session.value("name") == "Renamed"
    assert session.original_value("name") == "uatTargetGroup80"
    assert session.changes() == [FieldChange(("name",), "uatTargetGroup80", "Renamed")]
    assert session.changes()[0].path_text == "name"
    assert session.original["name"] == "uatTargetGroup80"  # the fetched group is never touched


def test_undo_and_redo_walk_the_history(session: EditSession) -> None:
    session.set("name", "first")
    session.set("name", "second")
    session.set("targets[3006].expression", EXPR)
    assert session.undo() == [parse_path("targets[3006].expression")]
    assert session.value("name") == "second" and not session.is_changed("targets[3006].expression")
    assert session.undo() == [("name",)]
    assert session.value("name") == "first"
    assert session.undo() == [("name",)]
    assert not session.has_changes and not can_undo(session)
    assert session.undo() == []  # nothing left: a no-op, not an error
    assert session.redo() == [("name",)]
    assert session.redo() == [("name",)]
    assert session.value("name") == "second"
    assert can_redo(session)
    session.redo()
    assert session.value("targets[3006].expression") == EXPR
    assert not can_redo(session) and session.redo() == []


def test_a_new_change_after_undo_drops_the_redo_history(session: EditSession) -> None:
    session.set("name", "first")
    session.undo()
    assert can_redo(session)
    session.set("description", "other")
    assert not can_redo(session)
    assert session.redo() == []
    assert session.changed_paths() == [("description",)]


def test_revert_puts_the_fetched_value_back_and_can_be_undone(session: EditSession) -> None:
    session.set("description", "changed")
    assert revert(session, "description") is True
    assert not session.has_changes
    assert session.value("description") == "description update number 3"
    session.undo()
    assert session.value("description") == "changed"


def test_revert_of_an_unchanged_field_does_nothing(session: EditSession) -> None:
    session.set("name", "Renamed")
    assert revert(session, "description") is False
    session.undo()  # the one step there is: the rename
    assert not session.has_changes and not can_undo(session)


def test_revert_all_is_one_step(session: EditSession) -> None:
    session.set("name", "Renamed")
    session.set("description", "d")
    session.set("targets[3006].expression", EXPR)
    revert_all(session)
    assert not session.has_changes
    session.undo()
    assert session.change_count == 3


def test_setting_the_fetched_value_back_is_no_change(session: EditSession) -> None:
    session.set("name", "Renamed")
    session.set("name", "uatTargetGroup80")
    assert not session.has_changes
    assert session.changes() == []
    with pytest.raises(NothingToSend):
        session.put_body()


def test_setting_the_fetched_value_is_not_even_an_undo_step(session: EditSession) -> None:
    session.set("name", "uatTargetGroup80")
    session.set("targets[3006].description", "")  # it is "" already
    assert not session.has_changes
    assert not can_undo(session)


def test_setting_the_same_new_value_twice_is_one_step(session: EditSession) -> None:
    session.set("name", "Renamed")
    session.set("name", "Renamed")
    session.undo()
    assert not session.has_changes


def test_listeners_hear_every_change_and_nothing_else(session: EditSession) -> None:
    heard: list[int] = []
    session.subscribe(lambda s: heard.append(s.change_count))
    session.set("name", "Renamed")
    session.set("name", "Renamed")  # no change
    with pytest.raises(EditRefused):
        session.set("orgId", 1)
    session.set("description", "d")
    session.undo()
    session.redo()
    revert(session, "name")
    assert heard == [1, 2, 1, 2, 1]


def test_the_session_keeps_its_own_copy_of_the_group() -> None:
    group = group_2762()
    session = EditSession(group)
    group["name"] = "changed behind its back"
    group["targets"][0]["expression"] = "false"
    assert session.original_value("name") == "uatTargetGroup80"
    assert session.original_value("targets[3006].expression") == "true"


def test_a_group_without_a_numeric_id_is_refused() -> None:
    for bad in ({"name": "x"}, {"id": "2762"}, {"id": True}):
        with pytest.raises(ValueError, match="numeric id"):
            EditSession(bad)


# --- set_many ---------------------------------------------------------------------------------------


def test_set_many_is_one_undo_step(session: EditSession) -> None:
    session.set_many(
        [("name", "Renamed"), ("preferredTillId", 42), ("targets[3006].expression", EXPR)]
    )
    assert session.change_count == 3
    assert session.undo() != []
    assert not session.has_changes
    session.redo()
    assert session.change_count == 3


def test_set_many_with_one_bad_value_sets_nothing(session: EditSession) -> None:
    session.set("description", "kept")
    with pytest.raises(EditRefused) as caught:
        session.set_many([("name", "Renamed"), ("preferredTillId", 0), ("description", "lost")])
    assert caught.value.path == "preferredTillId"
    assert "positive" in caught.value.message
    assert session.changes() == [
        FieldChange(("description",), "description update number 3", "kept")
    ]
    session.undo()
    assert not can_undo(session)  # the refused batch left no step behind


def test_set_many_naming_a_field_twice_keeps_the_last_value(session: EditSession) -> None:
    session.set_many([("name", "first"), ("name", "uatTargetGroup80")])
    assert not session.has_changes
    session.set_many([("name", "first"), ("name", "second")])
    assert session.value("name") == "second"
    session.undo()
    assert not session.has_changes


# --- refusals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("id", 1, "id is read-only: ids are never editable"),
        ("orgId", 1, "orgId is read-only: the server computes it"),
        ("periods[30148].refCode", "x", "periods[30148].refCode is read-only"),
        ("targets[3006].name", "x", "targets[3006].name is read-only"),
        ("targets[3006].unknownThing", "x", "not a documented field"),
        ("targets[9999].expression", EXPR, "targets has no element with id 9999 (ids: 3006)"),
        ("targets[#0].expression", EXPR, "name it by its id"),
        ("name", "", "Name must not be blank"),
        ("name", "n" * 201, "Name must be at most 200 characters (this is 201)"),
        ("preferredTillId", True, "Preferred till id must be a whole number"),
        ("preferredTillId", -1, "Preferred till id must be a positive whole number"),
        ("targets[3006].expression", "  ", "Expression must not be blank"),
        ("targets[3006].expressionJson", "[1]", "Expression JSON must hold a JSON object"),
        ("targets[3006].expressionJson", "{", "Expression JSON is not valid JSON"),
        ("targets[3006.expression", EXPR, "malformed field path"),
    ],
)
def test_refused_edits_say_why_and_change_nothing(
    session: EditSession, path: str, value: Any, message: str
) -> None:
    assert message in (session.check(path, value) or "")
    with pytest.raises(EditRefused) as caught:
        session.set(path, value)
    assert message in str(caught.value)
    assert caught.value.path == path
    assert not session.has_changes and not can_undo(session)


def test_check_accepts_every_editable_field_with_a_good_value(session: EditSession) -> None:
    good = {
        "name": "n",
        "description": "",
        "preferredTillId": 1,
        "targets[3006].description": "t",
        "targets[3006].expression": EXPR,
        "targets[3006].expressionJson": EXPR_JSON,
    }
    for path, value in good.items():
        assert session.check(path, value) is None, path


def test_a_field_the_group_lacks_may_still_be_set() -> None:
    group = group_18044()
    group.pop("description")
    session = EditSession(group)
    session.set("description", "new")
    assert session.changes() == [FieldChange(("description",), ABSENT, "new")]
    assert session.body_text() == '{"id": 18044, "description": "new"}'


# --- the minimal body --------------------------------------------------------------------------------------


def test_minimal_body_for_a_rename_is_exactly_id_and_name(session: EditSession) -> None:
    session.set("name", "Renamed")
    assert session.body_text() == '{"id": 2762, "name": "Renamed"}'
    assert session.body_text("minimal") == session.body_text()
    assert session.put_body() == {"id": 2762, "name": "Renamed"}


def test_minimal_body_keeps_non_ascii_text_as_is(session: EditSession) -> None:
    session.set("name", "Größe ✓")
    assert session.body_text() == '{"id": 2762, "name": "Größe ✓"}'


def test_minimal_body_for_target_changes_lists_the_target_with_its_changed_fields(
    session: EditSession,
) -> None:
    session.set("targets[3006].expressionJson", EXPR_JSON)
    session.set("targets[3006].expression", EXPR)
    assert session.put_body() == {
        "id": 2762,
        "targets": [{"id": 3006, "expression": EXPR, "expressionJson": EXPR_JSON}],
    }
    # the target's fields stand in the fetched order, whatever order they were set in
    assert list(session.put_body()["targets"][0]) == ["id", "expression", "expressionJson"]


def test_minimal_body_top_level_follows_the_fetched_order(session: EditSession) -> None:
    session.set("targets[3006].description", "t")
    session.set("description", "d")
    session.set("preferredTillId", 7)
    session.set("name", "n")
    body = session.put_body()
    assert list(body) == ["id", "name", "preferredTillId", "description", "targets"]
    assert body["targets"] == [{"id": 3006, "description": "t"}]


def test_minimal_body_lists_only_changed_targets_in_list_order() -> None:
    session = EditSession(two_targets())
    session.set("targets[3006].expression", EXPR)
    session.set("targets[3001].description", "first in the list")
    assert session.put_body()["targets"] == [
        {"id": 3001, "description": "first in the list"},
        {"id": 3006, "expression": EXPR},
    ]
    revert(session, "targets[3001].description")
    assert session.put_body() == {"id": 2762, "targets": [{"id": 3006, "expression": EXPR}]}


def test_a_field_set_back_leaves_the_minimal_body(session: EditSession) -> None:
    session.set("name", "Renamed")
    session.set("description", "d")
    session.set("description", "description update number 3")
    assert session.put_body() == {"id": 2762, "name": "Renamed"}


def group_like_2514() -> dict[str, Any]:
    """A group shaped like 2762 with the ids of the API page's example, before its edit."""
    group = group_2762()
    group["id"] = 2514
    group["name"] = "Test Milestone UAT 22 July"
    group["preferredTillId"] = 75152721
    group["description"] = "description update number 2"
    for period in group["periods"]:
        period["targetGroupId"] = 2514
    target = group["targets"][0]
    target["id"] = 2711
    target["targetGroupId"] = 2514
    target["description"] = ""
    return group


@pytest.mark.parametrize("order", ["as the page lists them", "reversed"])
def test_minimal_body_reproduces_the_api_pages_example_request(order: str) -> None:
    example = load("minimal-request-body-2514.json")
    edits: list[tuple[str, Any]] = [
        ("name", "Test Milestone UAT 23 July"),
        ("preferredTillId", 75155297),
        ("description", "description update number 3"),
        ("targets[2711].description", "target level description update 1"),
    ]
    session = EditSession(group_like_2514())
    for path, value in edits if order != "reversed" else reversed(edits):
        session.set(path, value)
    assert session.put_body() == example
    assert session.body_text() == json.dumps(example, ensure_ascii=False)


# --- the full body ----------------------------------------------------------------------------------------

RESPONSE_ONLY_PATTERNS = {
    "attribution",
    "orgId",
    "createdOn",
    "activePeriod",
    "periods[*].attribution",
    "streaks[*].attribution",
    "targets[*].attribution",
    "targets[*].targetPeriodDefaultValuesMap",
    "targets[*].targetMilestoneTriggers",
    "targets[*].emfRuleSetId",
}


def key_shape(node: Any) -> Any:
    """The keys at every level, in order; lists of objects by element."""
    if isinstance(node, dict):
        return [(key, key_shape(value)) for key, value in node.items()]
    if isinstance(node, list):
        return [key_shape(element) for element in node]
    return None


def leaf_paths(node: Any, path: FieldPath = ()) -> list[FieldPath]:
    if isinstance(node, dict):
        return [
            p
            for key, value in node.items()
            for p in leaf_paths(value, (*path, child_segment(node, key, as_map=is_map(path))))
        ] or [path]
    if isinstance(node, list):
        return [
            p
            for index, value in enumerate(node)
            for p in leaf_paths(value, (*path, child_segment(node, index)))
        ] or [path]
    return [path]


def test_full_body_has_the_field_set_of_the_pages_full_example() -> None:
    example = load("full-request-body-18044.json")
    for target in example["targets"]:
        del target[
            "emfRuleSetId"
        ]  # the example sends it, api.md calls it response-only: api.md wins
    session = EditSession(group_18044())
    session.set("name", "non-cont-streakTest14")
    assert key_shape(session.put_body("full")) == key_shape(example)


def test_full_body_takes_every_value_from_the_fetched_group_with_the_changes() -> None:
    fetched = group_18044()
    session = EditSession(fetched)
    session.set("targets[33502].expression", EXPR)
    body = session.put_body("full")
    paths = leaf_paths(body)
    assert len(paths) > 40
    for path in paths:
        expected = (
            EXPR if format_path(path) == "targets[33502].expression" else resolve(fetched, path)
        )
        assert json.dumps(resolve(body, path)) == json.dumps(expected), format_path(path)
    assert '"defaultValue": 1.0' in session.body_text("full")


def test_full_body_agrees_with_the_example_wherever_the_example_was_not_edited() -> None:
    example = load("full-request-body-18044.json")
    body = EditSession(group_18044())
    body.set("description", "x")
    body.set("description", "non-cont-streaks group")
    body.set("name", "non-cont-streakTest13 ")
    sent = body.put_body("full")
    edited_in_example = {"toDate", "totalPeriods", "name"}  # the page's example changed these
    for path in leaf_paths(sent):
        if format_path(path) in edited_in_example:
            continue
        assert json.dumps(resolve(sent, path)) == json.dumps(resolve(example, path)), format_path(
            path
        )


@pytest.mark.parametrize("fixture", ["edit-response-2762.json", "edit-response-18044.json"])
def test_full_body_never_holds_response_only_or_unknown_fields(fixture: str) -> None:
    group = load(fixture)["data"]
    group["futureField"] = 1
    group["targets"][0]["futureKnob"] = {"x": 1}
    session = EditSession(group)
    session.set(f"targets[{group['targets'][0]['id']}].description", "changed")
    body = session.put_body("full")
    for path in leaf_paths(body):
        for depth in range(1, len(path) + 1):
            pattern = pattern_of(path[:depth])
            assert pattern not in RESPONSE_ONLY_PATTERNS, pattern
            assert not pattern.endswith("ISO"), pattern
            assert "future" not in pattern, pattern
    assert body["targets"][0]["description"] == "changed"
    assert body["id"] == group["id"]


def test_full_body_does_not_change_the_fetched_group(session: EditSession) -> None:
    session.set("targets[3006].expression", EXPR)
    body = session.put_body("full")
    body["targets"][0]["expression"] = "tampered"
    assert session.original_value("targets[3006].expression") == "true"
    assert session.value("targets[3006].expression") == EXPR
    assert session.current_group()["targets"][0]["expression"] == EXPR
    assert session.original["targets"][0]["expression"] == "true"


def test_body_text_is_the_body_as_json(session: EditSession) -> None:
    session.set("targets[3006].expressionJson", EXPR_JSON)
    for mode in ("minimal", "full"):
        assert json.loads(session.body_text(mode)) == session.put_body(mode)


@pytest.mark.parametrize("mode", ["minimal", "full"])
def test_nothing_to_send_without_changes(session: EditSession, mode: BodyMode) -> None:
    with pytest.raises(NothingToSend):
        session.put_body(mode)
    with pytest.raises(NothingToSend):
        session.body_text(mode)
    session.set("name", "x")
    session.undo()
    with pytest.raises(NothingToSend, match="nothing has changed"):
        session.put_body(mode)


# --- the diff -------------------------------------------------------------------------------------------------


def test_the_diff_is_in_document_order_not_edit_order() -> None:
    session = EditSession(two_targets())
    session.set("targets[3006].expression", EXPR)
    session.set("description", "d")
    session.set("targets[3001].expressionJson", EXPR_JSON)
    session.set("targets[3001].description", "td")
    session.set("name", "n")
    assert [(c.path_text, c.before, c.after) for c in session.changes()] == [
        ("name", "uatTargetGroup80", "n"),
        ("description", "description update number 3", "d"),
        ("targets[3001].description", "second", "td"),
        (
            "targets[3001].expressionJson",
            '{"arity":"literal","value":"true","type":"boolean:primitive"}',
            EXPR_JSON,
        ),
        ("targets[3006].expression", "true", EXPR),
    ]


def test_current_group_applies_every_change_to_a_copy(session: EditSession) -> None:
    session.set_many([("name", "n"), ("targets[3006].expression", EXPR)])
    current = session.current_group()
    assert current["name"] == "n"
    assert current["targets"][0]["expression"] == EXPR
    current["name"] = "tampered"
    assert session.value("name") == "n"
    expected = group_2762()
    expected["name"] = "n"
    expected["targets"][0]["expression"] = EXPR
    assert json.dumps(session.current_group()) == json.dumps(expected)


# --- a newer group from the server ---------------------------------------------------------------------------


def newer_2762() -> dict[str, Any]:
    group = group_2762()
    group["attribution"]["lastUpdatedOn"] = "2025-11-19T09:00:00.000+0000"
    return group


def test_rebase_keeps_changes_the_server_did_not_touch(session: EditSession) -> None:
    session.set("name", "mine")
    newer = newer_2762()
    newer["description"] = "theirs"
    heard: list[bool] = []
    session.subscribe(lambda s: heard.append(True))
    assert session.rebase(newer) == []
    assert session.last_updated_on == "2025-11-19T09:00:00.000+0000"
    assert session.original_value("description") == "theirs"
    assert session.put_body() == {"id": 2762, "name": "mine"}
    assert not can_undo(session) and not can_redo(session)
    assert heard == [True]


def test_rebase_reports_a_field_both_sides_changed_and_keeps_mine(session: EditSession) -> None:
    session.set("description", "mine")
    session.set("name", "mine too")
    newer = newer_2762()
    newer["description"] = "theirs"
    assert session.rebase(newer) == ["description"]
    assert session.value("description") == "mine"
    assert session.changes()[-1] == FieldChange(("description",), "theirs", "mine")


def test_rebase_when_the_server_already_has_my_value(session: EditSession) -> None:
    session.set("targets[3006].expression", EXPR)
    newer = newer_2762()
    newer["targets"][0]["expression"] = EXPR
    assert session.rebase(newer) == ["targets[3006].expression"]
    assert not session.has_changes


def test_rebase_drops_and_reports_a_change_whose_target_is_gone(session: EditSession) -> None:
    session.set("targets[3006].expression", EXPR)
    session.set("name", "mine")
    newer = newer_2762()
    newer["targets"][0]["id"] = 4000
    assert session.rebase(newer) == ["targets[3006].expression"]
    assert session.changed_paths() == [("name",)]
    assert session.put_body() == {"id": 2762, "name": "mine"}


def test_server_changes_since_lists_each_leaf_that_moved(session: EditSession) -> None:
    session.set("name", "mine")  # my own changes are not the server's
    newer = newer_2762()
    newer["periods"][1]["refCode"] = "Cycle_1b"
    newer["targets"][0]["defaultValues"][0]["defaultValue"] = 2
    newer["timeZoneName"] = "IST"
    newer["targets"].append({"id": 3007, "name": "new target"})
    changes = [(c.path_text, c.before, c.after) for c in session.server_changes_since(newer)]
    assert changes == [
        (
            "attribution.lastUpdatedOn",
            "2025-11-18T13:51:31.644+0000",
            "2025-11-19T09:00:00.000+0000",
        ),
        ("periods[30147].refCode", "Cycle_1", "Cycle_1b"),
        ("targets[3006].defaultValues[127052].defaultValue", 1, 2),
        ("targets[3007]", ABSENT, {"id": 3007, "name": "new target"}),
        ("timeZoneName", "GMT", "IST"),
    ]


def test_server_changes_since_sees_a_removed_element_and_a_type_change(
    session: EditSession,
) -> None:
    newer = group_2762()
    removed = newer["periods"].pop(0)
    newer["targets"][0]["defaultValues"][1]["defaultValue"] = 1.0  # 1 -> 1.0 is a change
    changes = session.server_changes_since(newer)
    assert [(c.path_text, c.after) for c in changes] == [
        ("periods[30148]", ABSENT),
        ("targets[3006].defaultValues[127053].defaultValue", 1.0),
    ]
    assert changes[0].before == removed


def test_server_changes_since_an_identical_group_is_empty(session: EditSession) -> None:
    assert session.server_changes_since(group_2762()) == []
