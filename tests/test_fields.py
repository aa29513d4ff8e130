"""Field paths and the field catalog: the syntax, the lookups, what may be edited and the rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.fields.catalog import CATALOG, EDITABLE_PATTERNS, is_editable, is_map, spec_for, validate
from tui.fields.paths import (
    ElementId,
    FieldPath,
    Index,
    MapKey,
    PathError,
    Segment,
    child_segment,
    exists,
    format_path,
    parse_path,
    pattern_of,
    resolve,
)
from tui.fields.rules import value_from_text

FIXTURES = Path(__file__).parent / "fixtures"
SETTINGS = settings(max_examples=150, deadline=None)


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def group_2762() -> dict[str, Any]:
    data: dict[str, Any] = load("edit-response-2762.json")["data"]
    return data


def fixture_groups() -> dict[str, dict[str, Any]]:
    listed = load("list-response.json")["data"]
    return {
        "2762": group_2762(),
        "18044": load("edit-response-18044.json")["data"],
        "list 2310": listed[0],
        "list 2306": listed[1],
        "full request 18044": load("full-request-body-18044.json"),
        "minimal request 2514": load("minimal-request-body-2514.json"),
    }


def all_paths(node: Any, path: FieldPath = ()) -> list[FieldPath]:
    """Every field path in a document, objects and list elements included."""
    found: list[FieldPath] = [path] if path else []
    if isinstance(node, dict):
        for key, child in node.items():
            found += all_paths(child, (*path, child_segment(node, key, as_map=is_map(path))))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += all_paths(child, (*path, child_segment(node, index)))
    return found


# --- parse and format ---------------------------------------------------------------------------

EXAMPLES: list[tuple[str, FieldPath]] = [
    ("name", ("name",)),
    ("description", ("description",)),
    ("preferredTillId", ("preferredTillId",)),
    ("periods[30148].refCode", ("periods", ElementId(30148), "refCode")),
    ("targets[3006].expression", ("targets", ElementId(3006), "expression")),
    (
        "targets[3006].defaultValues[127052].defaultValue",
        ("targets", ElementId(3006), "defaultValues", ElementId(127052), "defaultValue"),
    ),
    (
        'targets[3006].targetPeriodDefaultValuesMap["30147"].periodId',
        ("targets", ElementId(3006), "targetPeriodDefaultValuesMap", MapKey("30147"), "periodId"),
    ),
    (
        "targets[3006].filters[#0].entityType",
        ("targets", ElementId(3006), "filters", Index(0), "entityType"),
    ),
    ("attribution.lastUpdatedBy.id", ("attribution", "lastUpdatedBy", "id")),
    ("targets[-1].name", ("targets", ElementId(-1), "name")),
]


@pytest.mark.parametrize(("text", "path"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_design_paths_parse_and_format_back(text: str, path: FieldPath) -> None:
    assert parse_path(text) == path
    assert format_path(path) == text


def test_spaces_around_a_path_and_inside_brackets_are_tolerated() -> None:
    assert parse_path("  targets[ 3006 ].expression\n") == (
        "targets",
        ElementId(3006),
        "expression",
    )
    assert parse_path('x[ "k" ]') == ("x", MapKey("k"))


def test_quoted_keys_may_hold_brackets_quotes_and_dots() -> None:
    for key in ["a]b", 'say "hi"', "a.b[1]", "", "ключ"]:
        path: FieldPath = ("map", MapKey(key), "v")
        assert parse_path(format_path(path)) == path


identifiers = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,8}\Z")
segments: st.SearchStrategy[Segment] = (
    identifiers
    | st.integers().map(ElementId)
    | st.integers(min_value=0).map(Index)
    # keys with the path syntax's own characters in them, and anything else
    | (st.text(alphabet='[]"\\.# 0a', max_size=6) | st.text(max_size=6)).map(MapKey)
)
paths: st.SearchStrategy[FieldPath] = st.builds(
    lambda first, rest: (first, *rest), identifiers, st.lists(segments, max_size=5)
)


@SETTINGS
@given(paths)
def test_any_path_formats_to_text_that_parses_back(path: FieldPath) -> None:
    text = format_path(path)
    assert parse_path(text) == path
    assert format_path(parse_path(text)) == text


@SETTINGS
@given(st.text(max_size=30))
def test_any_text_parses_or_raises_path_error(text: str) -> None:
    try:
        path = parse_path(text)
    except PathError as error:
        assert "\n" not in str(error)
    else:  # what parses is a real path that formats back to an equal one
        assert path and isinstance(path[0], str)
        assert parse_path(format_path(path)) == path


@SETTINGS
@given(st.text(alphabet='[]#"-+.0123456789b²٥ ', max_size=6))
def test_anything_in_brackets_parses_or_raises_path_error(inner: str) -> None:
    try:
        path = parse_path(f"t[{inner}].x")
    except PathError as error:
        assert "at column" in str(error)
    else:
        assert parse_path(format_path(path)) == path


MALFORMED: list[tuple[str, int, str]] = [
    (".", 1, "a field name before '.'"),
    ("name.", 6, "a field name after '.'"),
    ("targets..expression", 9, "a field name after '.'"),
    ("[3006].name", 1, "a field name before '['"),
    ("targets[3006", 8, "a closing ']'"),
    ("targets[abc].name", 8, "an element id in brackets"),
    ("targets[].name", 8, "an element id in brackets"),
    ("targets[3006]expression", 14, "'.' or '['"),
    ("name x", 5, "'.' or '['"),
    ("1name", 1, "a field name"),
    ("targets[²].name", 8, "an element id in brackets"),
    ("targets[--5].name", 8, "an element id in brackets"),
    ("targets[1_0].name", 8, "an element id in brackets"),
    ("targets[#-1].name", 8, "a position such as [#0]"),
    ("targets[#²].name", 8, "an element id in brackets"),
    ('m["open].v', 2, "a quoted key"),
    ('m["k" x].v', 7, "a closing ']'"),
]


@pytest.mark.parametrize(("text", "column", "expected"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_paths_name_what_was_expected_and_the_column(
    text: str, column: int, expected: str
) -> None:
    with pytest.raises(PathError) as caught:
        parse_path(text)
    message = str(caught.value)
    assert message.startswith(f"malformed field path {text!r}: expected {expected}")
    assert message.endswith(f"at column {column}")


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_path_suggests_an_example(text: str) -> None:
    with pytest.raises(PathError, match=r"empty field path; try e\.g\. name"):
        parse_path(text)


def test_pattern_of_turns_every_id_position_and_key_into_a_star() -> None:
    assert pattern_of(parse_path("targets[3006].defaultValues[127052].defaultValue")) == (
        "targets[*].defaultValues[*].defaultValue"
    )
    assert pattern_of(parse_path('targets[1].targetPeriodDefaultValuesMap["30147"]')) == (
        "targets[*].targetPeriodDefaultValuesMap[*]"
    )
    assert pattern_of(parse_path("targets[1].filters[#2].entityIds")) == (
        "targets[*].filters[*].entityIds"
    )
    assert pattern_of(("name",)) == "name"


# --- resolve ----------------------------------------------------------------------------------------


def test_resolve_finds_elements_by_id_not_position() -> None:
    group = group_2762()
    # periods are listed 30148 then 30147: the bracket is an id
    assert resolve(group, parse_path("periods[30147].refCode")) == "Cycle_1"
    assert resolve(group, parse_path("periods[30148].refCode")) == "Cycle_2"
    assert resolve(group, parse_path("targets[3006].defaultValues[127053].periodId")) == 30148
    assert (
        resolve(group, parse_path('targets[3006].targetPeriodDefaultValuesMap["30147"].id'))
        == 127052
    )
    assert resolve(group, parse_path("periods[#0].refCode")) == "Cycle_2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nosuch", "the target group has no field 'nosuch'"),
        ("targets[3006].nosuch", "targets[3006] has no field 'nosuch'"),
        ("targets[9999].expression", "targets has no element with id 9999 (ids: 3006)"),
        (
            "targets[3006].defaultValues[1].defaultValue",
            "targets[3006].defaultValues has no element with id 1 (ids: 127052, 127053)",
        ),
        ("name[1]", "name is not a list, so [1] names nothing"),
        ("periods[#5].refCode", "periods has no element at position 5"),
        (
            'targets[3006].targetPeriodDefaultValuesMap["1"]',
            "targetPeriodDefaultValuesMap has no field '1'",
        ),
    ],
)
def test_resolve_errors_name_the_place_that_finds_nothing(text: str, message: str) -> None:
    group = group_2762()
    with pytest.raises(PathError) as caught:
        resolve(group, parse_path(text))
    assert message in str(caught.value)
    assert not exists(group, parse_path(text))


def test_an_id_given_as_true_does_not_match_element_one() -> None:
    assert not exists([{"id": True}], (ElementId(1),))
    assert exists([{"id": 1}], (ElementId(1),))


@pytest.mark.parametrize("name", list(fixture_groups()))
def test_every_path_in_every_fixture_resolves_and_formats_back(name: str) -> None:
    group = fixture_groups()[name]
    found = all_paths(group)
    assert len(found) > 5
    for path in found:
        assert parse_path(format_path(path)) == path
        resolve(group, path)


# --- the catalog -----------------------------------------------------------------------------------

DESIGN_EDITABLE = {
    "name",
    "description",
    "preferredTillId",
    "targets[*].description",
    "targets[*].expression",
    "targets[*].expressionJson",
}

RESPONSE_ONLY = [
    "attribution",
    "orgId",
    "createdOn",
    "targetCycleStartDateISO",
    "targetCycleEndDateISO",
    "attribution.createdOnISO",
    "attribution.lastUpdatedOnISO",
    "activePeriod",
    "periods[*].attribution",
    "streaks[*].attribution",
    "targets[*].attribution",
    "targets[*].targetPeriodDefaultValuesMap",
    "targets[*].targetMilestoneTriggers",
    "targets[*].emfRuleSetId",
]


def test_the_editable_set_is_exactly_the_six_patterns_of_the_design() -> None:
    assert {p for p, spec in CATALOG.items() if spec.editable} == DESIGN_EDITABLE
    assert set(EDITABLE_PATTERNS) == DESIGN_EDITABLE


@pytest.mark.parametrize("name", list(fixture_groups()))
def test_in_real_groups_only_the_six_patterns_are_editable(name: str) -> None:
    for path in all_paths(fixture_groups()[name]):
        assert is_editable(path) == (pattern_of(path) in DESIGN_EDITABLE), format_path(path)
        assert is_editable(format_path(path)) == is_editable(path)


def test_every_catalog_entry_has_a_label_a_meaning_and_a_known_kind() -> None:
    for pattern, spec in CATALOG.items():
        assert spec.pattern == pattern
        assert spec.label.strip() and spec.meaning.strip(), pattern
        assert spec.documented


def test_every_editable_entry_is_sent_and_checked() -> None:
    editable = [spec for spec in CATALOG.values() if spec.editable]
    assert editable
    for spec in editable:
        assert spec.why_read_only() is None
        assert spec.in_request, f"{spec.pattern} is editable but never sent"
        assert spec.check is not None, f"{spec.pattern} is editable but has no check"


def test_every_read_only_entry_says_why() -> None:
    read_only = [spec for spec in CATALOG.values() if not spec.editable]
    assert read_only
    for spec in read_only:
        reason = spec.why_read_only()
        assert reason is not None and len(reason) > 10, spec.pattern


def test_ids_are_never_editable_and_say_why() -> None:
    for pattern in [
        "id",
        "periods[*].id",
        "streaks[*].id",
        "targets[*].id",
        "targets[*].defaultValues[*].id",
    ]:
        spec = spec_for(pattern)
        assert not spec.editable
        assert spec.why_read_only() == "ids are never editable: they name the element"


@pytest.mark.parametrize("pattern", RESPONSE_ONLY)
def test_response_only_fields_are_read_only_and_never_in_a_request(pattern: str) -> None:
    spec = spec_for(pattern)
    assert spec.documented
    assert not spec.editable
    assert not spec.in_request
    assert "response-only" in (spec.why_read_only() or "")


def test_repeated_shapes_share_one_spec() -> None:
    assert spec_for("activePeriod.refCode") == spec_for("periods[*].refCode")
    deep = spec_for("targets[3006].attribution.lastUpdatedBy.name")
    assert deep.documented and deep == spec_for("attribution.lastUpdatedBy.name")
    assert spec_for("periods[30148].attribution.createdOnISO") == spec_for(
        "attribution.createdOnISO"
    )


def test_a_path_its_text_and_its_pattern_give_the_same_spec() -> None:
    path = parse_path("targets[3006].expressionJson")
    assert (
        spec_for(path)
        is spec_for("targets[3006].expressionJson")
        is spec_for("targets[*].expressionJson")
    )
    assert spec_for(path).kind == "json-string"
    assert spec_for(path).multiline


def test_an_undocumented_field_is_read_only_and_says_so() -> None:
    spec = spec_for("targets[3006].futureKnob")
    assert not spec.documented
    assert not spec.editable
    assert spec.kind == "unknown"
    assert spec.label == "futureKnob"
    assert "not a documented field" in (spec.why_read_only() or "")


def test_enumerations_list_every_documented_value() -> None:
    assert set(spec_for("trackingType").choices) == {
        "DEFAULT",
        "UNIFIED",
        "STREAK",
        "STREAKS",
        "NON_CONTINUOUS_STREAKS",
        "CAPPING",
    }
    assert set(spec_for("periods[*].periodStatus").choices) >= {"NOT_STARTED", "RUNNING", "ENDED"}
    assert "EVENT_ATTRIBUTE" in spec_for("targets[*].targetType").choices
    assert set(spec_for("targets[*].enrolmentMethod").choices) == {"TRANSACTION", "IMPORT"}


def test_map_patterns_are_recognised() -> None:
    assert is_map(parse_path("targets[3006].targetPeriodDefaultValuesMap"))
    assert not is_map(parse_path("targets[3006].defaultValues"))


# --- rules --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("x", None),
        ("x" * 200, None),
        ("é" * 200, None),  # characters, not bytes
        ("  padded name  ", None),
        ("", "must not be blank"),
        ("   \t\n", "must not be blank"),
        ("x" * 201, "must be at most 200 characters (this is 201)"),
        (5, "must be text"),
        (None, "must be text"),
    ],
)
def test_name_rule(value: Any, problem: str | None) -> None:
    assert validate("name", value) == problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (1, None),
        (75155297, None),
        (0, "must be a positive whole number"),
        (-5, "must be a positive whole number"),
        (True, "must be a whole number"),
        (False, "must be a whole number"),
        (1.0, "must be a whole number"),
        ("5", "must be a whole number"),
        (None, "must be a whole number"),
    ],
)
def test_preferred_till_id_rule(value: Any, problem: str | None) -> None:
    assert validate("preferredTillId", value) == problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("currentTxn.value>500", None),
        ("true", None),
        ("", "must not be blank"),
        (" \n ", "must not be blank"),
        (None, "must be text"),
    ],
)
def test_expression_rule(value: Any, problem: str | None) -> None:
    assert validate("targets[3006].expression", value) == problem


def test_expression_json_accepts_a_json_object_however_it_is_spaced() -> None:
    assert validate("targets[3006].expressionJson", '{"arity":"literal","value":"true"}') is None
    assert validate("targets[3006].expressionJson", '\n{\n  "arity": "literal"\n}') is None


@pytest.mark.parametrize("text", ["[]", '"x"', "1", "null", "true"])
def test_expression_json_must_hold_an_object(text: str) -> None:
    assert validate("targets[3006].expressionJson", text) == "must hold a JSON object ({...})"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{"arity":', 1, 10),
        ("", 1, 1),
        ('{\n  "arity": "literal",\n  "value": \n}', 4, 1),
        ('{\n  "a": 1,\n  "b" 2\n}', 3, 7),
    ],
)
def test_bad_expression_json_names_line_and_column(text: str, line: int, column: int) -> None:
    problem = validate("targets[3006].expressionJson", text)
    assert problem is not None
    assert problem.startswith("is not valid JSON: ")
    assert problem.endswith(f"at line {line}, column {column}")


def test_expression_json_that_is_not_a_string_is_refused() -> None:
    problem = validate("targets[3006].expressionJson", {"arity": "literal"})
    assert problem == "must be text holding a JSON object"


@pytest.mark.parametrize("path", ["description", "targets[3006].description"])
def test_descriptions_may_be_empty_but_must_be_text(path: str) -> None:
    assert validate(path, "") is None
    assert validate(path, "any\nthing") is None
    assert validate(path, 3) == "must be text"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("id", "ids are never editable"),
        ("orgId", "response-only"),
        ("targets[3006].name", "the edit call does not change it"),
        ("targets[3006].emfRuleSetId", "response-only"),
        ("periods[30148].refCode", "the edit call does not change it"),
        ("targets[3006].mystery", "not a documented field"),
    ],
)
def test_validate_refuses_read_only_fields_saying_why(path: str, reason: str) -> None:
    problem = validate(path, "anything")
    assert problem is not None
    assert "is read-only" in problem and reason in problem


# --- value_from_text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"), [("42", 42), (" 42 ", 42), ("+42", 42), ("-3", -3), ("007", 7)]
)
def test_integer_fields_take_typed_whole_numbers(text: str, value: int) -> None:
    result = value_from_text("preferredTillId", text)
    assert result == value and type(result) is int


@pytest.mark.parametrize(
    "text", ["", " ", "4.2", "1e3", "0x10", "1_000", "²", "+-5", "٥", "seven", "1 2"]
)
def test_integer_fields_refuse_anything_else_with_the_label(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        value_from_text("preferredTillId", text)
    assert str(caught.value) == f"Preferred till id must be a whole number, not {text!r}"


def test_read_only_integer_fields_are_converted_too() -> None:
    assert value_from_text("targets[3006].defaultValues[127052].periodId", "30147") == 30147


@pytest.mark.parametrize(
    "path", ["name", "targets[3006].expression", "targets[3006].expressionJson"]
)
def test_text_fields_keep_what_was_typed_exactly(path: str) -> None:
    assert value_from_text(path, "  42 ") == "  42 "


@SETTINGS
@given(st.integers())
def test_any_whole_number_typed_comes_back_as_itself(number: int) -> None:
    assert value_from_text("preferredTillId", str(number)) == number


@SETTINGS
@given(st.text(max_size=12))
def test_any_text_typed_into_an_integer_field_is_a_number_or_a_clear_error(text: str) -> None:
    try:
        value = value_from_text("preferredTillId", text)
    except ValueError as error:
        assert str(error).startswith("Preferred till id must be a whole number")
    else:
        assert type(value) is int
        assert re.fullmatch(r"\s*[+-]?[0-9]+\s*", text)
