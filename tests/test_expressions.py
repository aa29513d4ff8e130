"""The expression package: text ⇄ expressionJson, against the API's published examples."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.expressions import (
    ExpressionSyntaxError,
    ExpressionTreeError,
    assign_types,
    consistent,
    expression_from_json,
    expression_json_for,
    parse_expression,
    print_expression,
    same_tree,
    serialise,
    tree_differences,
    untyped_nodes,
)
from tui.expressions.parser import parse

FIXTURES = Path(__file__).parent / "fixtures"

# api.md, "Expressions": the published tree of currentTxn.value>500, types included.
PUBLISHED_TEXT = "currentTxn.value>500"
PUBLISHED_JSON = (
    '{"arity":"binary_operation","value":">","type":"boolean:primitive","operands":['
    '{"arity":"object_dereference","type":"real:object:primitive","operands":['
    '{"arity":"name","value":"currentTxn","type":"tx:object:primitive"},'
    '{"arity":"name","value":"value","type":"real:object:primitive"}]},'
    '{"arity":"literal","value":"500","type":"number:primitive"}]}'
)


# -- tree builders (untyped, except literals, whose kind the parser records) --


def name(value: str) -> dict[str, Any]:
    return {"arity": "name", "value": value}


def num(value: str) -> dict[str, Any]:
    return {"arity": "literal", "value": value, "type": "number:primitive"}


def text(value: str) -> dict[str, Any]:
    return {"arity": "literal", "value": value, "type": "string:primitive"}


def binary(operator: str, left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    return {"arity": "binary_operation", "value": operator, "operands": [left, right]}


def unary(operator: str, operand: dict[str, Any]) -> dict[str, Any]:
    return {"arity": "unary_operation", "value": operator, "operands": [operand]}


def member(obj: dict[str, Any], field: str) -> dict[str, Any]:
    return {"arity": "object_dereference", "operands": [obj, name(field)]}


def call(receiver: dict[str, Any], method: str, *args: dict[str, Any]) -> dict[str, Any]:
    return {"arity": "method_call", "operands": [receiver, name(method), *args]}


a, b, c, d, x = (name(v) for v in "abcdx")


def expression_pairs() -> Iterator[tuple[str, str, str]]:
    """Every (file, expression, expressionJson) found anywhere in the sample payloads."""

    def walk(node: Any, source: str) -> Iterator[tuple[str, str, str]]:
        if isinstance(node, dict):
            if isinstance(node.get("expression"), str) and "expressionJson" in node:
                yield source, node["expression"], node["expressionJson"]
            for child in node.values():
                yield from walk(child, source)
        elif isinstance(node, list):
            for child in node:
                yield from walk(child, source)

    for path in sorted(FIXTURES.glob("*.json")):
        yield from walk(json.loads(path.read_text()), path.name)


PAIRS = list(expression_pairs())


# -- the published example and the sample payloads --


def test_published_example_is_reproduced_exactly_including_types() -> None:
    assert expression_json_for(PUBLISHED_TEXT, None) == PUBLISHED_JSON
    assert parse_expression(PUBLISHED_TEXT) == json.loads(PUBLISHED_JSON)


def test_fixtures_hold_the_published_and_a_whitespace_formatted_tree() -> None:
    expressions = {expression for _, expression, _ in PAIRS}
    assert {"true", PUBLISHED_TEXT} <= expressions
    assert any("\n" in expression_json for _, _, expression_json in PAIRS)


@pytest.mark.parametrize(("source", "expression", "expression_json"), PAIRS)
def test_every_fixture_pair_parses_to_its_published_tree(
    source: str, expression: str, expression_json: str
) -> None:
    assert parse_expression(expression) == json.loads(expression_json), source
    assert same_tree(expression_json_for(expression, None), expression_json)
    assert consistent(expression, expression_json) is True
    assert expression_from_json(expression_json) == expression


@pytest.mark.parametrize(("source", "expression", "expression_json"), PAIRS)
def test_regenerating_an_unchanged_expression_gives_the_old_json_compacted(
    source: str, expression: str, expression_json: str
) -> None:
    compact = json.dumps(json.loads(expression_json), separators=(",", ":"))
    assert expression_json_for(expression, expression_json) == compact, source


def test_api_md_examples_parse_to_the_documented_shapes() -> None:
    assert parse("(currentTxn.value>5000&&(currentTxn.discount<500))") == binary(
        "&&",
        binary(">", member(name("currentTxn"), "value"), num("5000")),
        binary("<", member(name("currentTxn"), "discount"), num("500")),
    )
    # The receiver of a method call is the object left of the last dot.
    assert parse('currentCustomer.name.contains("x")') == call(
        member(name("currentCustomer"), "name"), "contains", text("x")
    )


# -- grammar --


@pytest.mark.parametrize(
    ("source", "tree"),
    [
        ("a-b-c", binary("-", binary("-", a, b), c)),
        ("a/b*c", binary("*", binary("/", a, b), c)),
        ("a||b&&c", binary("||", a, binary("&&", b, c))),
        ("a&&b||c", binary("||", binary("&&", a, b), c)),
        ("a||b||c", binary("||", binary("||", a, b), c)),
        ("!a&&b", binary("&&", unary("!", a), b)),
        ("-x*2", binary("*", unary("-", x), num("2"))),
        ("a+b*c", binary("+", a, binary("*", b, c))),
        ("(a+b)*c", binary("*", binary("+", a, b), c)),
        ("a-(b-c)", binary("-", a, binary("-", b, c))),
        ("a%b+c", binary("+", binary("%", a, b), c)),
        ("a<b==c<d", binary("==", binary("<", a, b), binary("<", c, d))),
        ("a!=b>=c", binary("!=", a, binary(">=", b, c))),
        ("a+b<=c-d", binary("<=", binary("+", a, b), binary("-", c, d))),
        ("a<b<c", binary("<", binary("<", a, b), c)),
        ("!!a", unary("!", unary("!", a))),
        ("- -a", unary("-", unary("-", a))),
        ("--a", unary("-", unary("-", a))),
        ("a- -b", binary("-", a, unary("-", b))),
        ("2*-3", binary("*", num("2"), unary("-", num("3")))),
        ("-a.b", unary("-", member(a, "b"))),
        ("!a.b(1)", unary("!", call(a, "b", num("1")))),
        ("a.b.c", member(member(a, "b"), "c")),
        ('a.b(1,"x").c', member(call(a, "b", num("1"), text("x")), "c")),
        ("a.b().c()", call(call(a, "b"), "c")),
        ("a.f(b+c, d.e(x))", call(a, "f", binary("+", b, c), call(d, "e", x))),
        ("(a+b).c", member(binary("+", a, b), "c")),
        ('"s".length()', call(text("s"), "length")),
        ("x.true", member(x, "true")),
        ("((a))", a),
        (" a \n>\t1.50 ", binary(">", a, num("1.50"))),
        ("007", num("007")),
        ("$v_1", name("$v_1")),
        ("null", name("null")),
        ("true", {"arity": "literal", "value": "true", "type": "boolean:primitive"}),
        (
            "false||a",
            binary("||", {"arity": "literal", "value": "false", "type": "boolean:primitive"}, a),
        ),
    ],
)
def test_precedence_associativity_and_postfix(source: str, tree: dict[str, Any]) -> None:
    assert parse(source) == tree


@pytest.mark.parametrize(
    ("source", "value"),
    [
        (r'"plain"', "plain"),
        (r'""', ""),
        (r'"say \"hi\""', 'say "hi"'),
        (r'"back\\slash"', "back\\slash"),
        (r'"a\/b\'c"', "a/b'c"),
        (r'"\n\t\r\b\f"', "\n\t\r\b\f"),
        (r'"\u00e9\u0041"', "éA"),
        (r'"\ud83d\ude00"', "😀"),
        ('"raw\nnewline"', "raw\nnewline"),
        ('"500"', "500"),
    ],
)
def test_string_literals_decode_escapes(source: str, value: str) -> None:
    assert parse(source) == text(value)


# -- syntax errors --


@pytest.mark.parametrize(
    ("source", "column", "expected"),
    [
        ("a >", 4, "expected an operand after '>'"),
        ("(a", 3, "expected ')'"),
        ('"abc', 5, "expected '\"'"),
        ("a..b", 3, "expected a member name after '.'"),
        ("1 2", 3, "expected an operator or end of input"),
        ("", 1, "expected an expression"),
        ("   ", 4, "expected an expression"),
        ("a &&", 5, "expected an operand after '&&'"),
        ("a.", 3, "expected a member name"),
        ("a.1", 3, "expected a member name"),
        ("(a))", 4, "expected an operator or end of input"),
        ("()", 2, "expected an expression"),
        ("a.b(1 2)", 7, "expected ',' or ')'"),
        ("a.b(1,)", 7, "expected an operand after ','"),
        ("a.b(1", 6, "expected ',' or ')'"),
        ("f(x)", 2, "only methods can be called"),
        ("a = b", 3, "expected '=='"),
        ("a & b", 3, "expected '&&'"),
        ("a | b", 3, "expected '||'"),
        ("a # b", 3, "unexpected character '#'"),
        ("'x'", 1, "unexpected character"),
        ('"a\\qb"', 3, "after the backslash"),
        ('"a\\u12"', 5, "four hex digits"),
        ("+a", 1, "expected an expression"),
        ("1.", 3, "expected a member name"),
    ],
)
def test_syntax_errors_name_the_column_and_what_was_expected(
    source: str, column: int, expected: str
) -> None:
    with pytest.raises(ExpressionSyntaxError) as raised:
        parse_expression(source)
    assert raised.value.column == column
    assert expected in str(raised.value)
    assert f"column {column}" in str(raised.value)


def test_syntax_error_is_a_value_error_and_pickles() -> None:
    import pickle

    error = ExpressionSyntaxError("expected ')' at column 3", 3)
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.column, str(copy)) == (error.message, 3, "expected ')' at column 3")


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    with pytest.raises(ExpressionSyntaxError, match="nested"):
        parse("(" * 500 + "a" + ")" * 500)
    with pytest.raises(ExpressionSyntaxError, match="levels deep"):
        parse("+".join(["a"] * 300))
    with pytest.raises(ExpressionSyntaxError, match="levels deep"):
        parse("!" * 5000 + "a")
    assert parse("(" * 50 + "a" + ")" * 50) == a


# -- printer --


@pytest.mark.parametrize(
    ("source", "printed"),
    [
        (
            "(currentTxn.value>5000&&(currentTxn.discount<500))",
            "currentTxn.value>5000&&currentTxn.discount<500",
        ),
        ("a - (b - c)", "a-(b-c)"),
        ("(a - b) - c", "a-b-c"),
        ("(a+b)*c", "(a+b)*c"),
        ("a*(b/c)", "a*(b/c)"),
        ("(a||b)&&c", "(a||b)&&c"),
        ("a||(b&&c)", "a||b&&c"),
        ("!(a&&b)", "!(a&&b)"),
        ("-(a+b)", "-(a+b)"),
        ("(-a)*b", "-a*b"),
        ("a-(-b)", "a- -b"),
        ("-(-a)", "- -a"),
        ("a+(-b)", "a+-b"),
        ("(a+b).c", "(a+b).c"),
        ("(!a).b", "(!a).b"),
        ("(a<b)==(c<d)", "a<b==c<d"),
        ("a==(b==c)", "a==(b==c)"),
        ('a.b( "x" , 2 )', 'a.b("x",2)'),
        ('currentCustomer.name.contains("x")', 'currentCustomer.name.contains("x")'),
        ('"tab\\there \\"q\\" \\\\ é"', '"tab\\there \\"q\\" \\\\ é"'),
        ('"\\u001b[31m"', '"\\u001b[31m"'),
        ("5.x", "5.x"),
        ("2.50.x", "2.50.x"),
        ("(-5).x", "(-5).x"),
    ],
)
def test_printer_uses_minimal_parentheses_and_compact_style(source: str, printed: str) -> None:
    assert print_expression(parse(source)) == printed
    assert parse(printed) == parse(source)


@pytest.mark.parametrize(
    ("literal", "printed"),
    [
        ({"arity": "literal", "value": "500", "type": "number:primitive"}, "500"),
        ({"arity": "literal", "value": "500", "type": "string:primitive"}, '"500"'),
        ({"arity": "literal", "value": "500"}, "500"),
        ({"arity": "literal", "value": "true"}, "true"),
        ({"arity": "literal", "value": "true", "type": "string:primitive"}, '"true"'),
        ({"arity": "literal", "value": "abc"}, '"abc"'),
        ({"arity": "literal", "value": "abc", "type": "number:primitive"}, '"abc"'),
        ({"arity": "literal", "value": "1e5", "type": "number:primitive"}, '"1e5"'),
        ({"arity": "literal", "value": "-5", "type": "number:primitive"}, "-5"),
    ],
)
def test_literals_are_quoted_by_type_then_by_spelling(
    literal: dict[str, Any], printed: str
) -> None:
    assert print_expression(literal) == printed


def test_a_negative_literal_keeps_its_sign_and_its_parentheses() -> None:
    negative = {"arity": "literal", "value": "-5", "type": "number:primitive"}
    assert print_expression(binary("-", a, negative)) == "a- -5"
    assert print_expression(member(negative, "abs")) == "(-5).abs"


@pytest.mark.parametrize(
    ("tree", "complaint"),
    [
        ({"arity": "ternary", "operands": [a, b, c]}, "unknown arity 'ternary'"),
        (binary("^", a, b), "unknown binary operator '^'"),
        (unary("+", a), "unknown unary operator '+'"),
        ({"arity": "binary_operation", "value": "+", "operands": [a]}, "needs 2 operand(s), has 1"),
        (
            {"arity": "object_dereference", "operands": [a, num("1")]},
            "root[1]: expected a name node",
        ),
        ({"arity": "method_call", "operands": [a]}, "needs a receiver and a method name"),
        (name("two words"), "cannot be written as a name"),
        (name("true"), "cannot be written as a name"),
        ({"arity": "name"}, "needs a value"),
        (binary("+", a, {"arity": "literal", "value": 5}), "root[1]: 'value' must be a string"),
        ({"arity": "literal", "value": "1", "operands": "x"}, "'operands' must be a list"),
        ({"value": "1"}, "'arity' must be a non-empty string"),
    ],
)
def test_printer_refuses_trees_no_text_could_produce(tree: dict[str, Any], complaint: str) -> None:
    with pytest.raises(ExpressionTreeError) as raised:
        print_expression(tree)
    assert complaint in str(raised.value)


def test_expression_from_json_reads_any_formatting_and_rejects_non_json() -> None:
    pretty = json.dumps(json.loads(PUBLISHED_JSON), indent=2)
    assert expression_from_json(pretty) == PUBLISHED_TEXT
    with pytest.raises(ExpressionTreeError, match="not valid JSON"):
        expression_from_json("{not json")
    with pytest.raises(ExpressionTreeError, match="must be a JSON object"):
        expression_from_json("[1, 2]")
    with pytest.raises(ExpressionTreeError, match="deeper than"):
        expression_from_json(
            '{"arity":"unary_operation","value":"!","operands":[' * 300 + "{}" + "]}" * 300
        )


# -- comparison --


def test_same_tree_ignores_formatting_key_order_and_unknown_keys() -> None:
    reordered = json.dumps(json.loads(PUBLISHED_JSON), indent=4, sort_keys=True)
    assert same_tree(PUBLISHED_JSON, reordered)
    assert same_tree(PUBLISHED_JSON, json.loads(PUBLISHED_JSON))
    with_extra = json.loads(PUBLISHED_JSON) | {"position": 3}
    assert same_tree(PUBLISHED_JSON, with_extra)


def test_same_tree_sees_types_unless_told_not_to() -> None:
    untyped = parse(PUBLISHED_TEXT)
    assert not same_tree(PUBLISHED_JSON, untyped)
    assert same_tree(PUBLISHED_JSON, untyped, ignore_type=True)
    assert not same_tree(PUBLISHED_JSON, parse("currentTxn.value>=500"), ignore_type=True)
    assert not same_tree(parse("a+b"), parse("a+b+c"), ignore_type=True)
    assert not same_tree(parse('"500"'), parse("500"))


def test_tree_differences_say_where_and_what() -> None:
    found = tree_differences(PUBLISHED_JSON, parse("currentTxn.discount>=500"), ignore_type=True)
    assert found == [
        'root (binary_operation): value ">" vs ">="',
        'root[0][1] (name): value "value" vs "discount"',
    ]
    assert tree_differences(parse("a"), parse("a.b")) == [
        'root: arity "name" vs "object_dereference"'
    ]
    assert tree_differences(parse("a.f(1)"), parse("a.f(1,2)")) == [
        "root (method_call): 3 operand(s) vs 4"
    ]
    assert tree_differences(PUBLISHED_JSON, PUBLISHED_JSON) == []


def test_consistent_tells_agree_disagree_and_cannot_tell_apart() -> None:
    pretty = "\n" + json.dumps(json.loads(PUBLISHED_JSON), indent=2)
    assert consistent(" currentTxn.value > 500 ", pretty) is True
    assert consistent("(currentTxn.value>500)", PUBLISHED_JSON) is True
    assert consistent("currentTxn.value>501", PUBLISHED_JSON) is False
    assert consistent("currentTxn.value>", PUBLISHED_JSON) is None
    assert consistent(PUBLISHED_TEXT, "{oops") is None
    assert consistent(PUBLISHED_TEXT, '"a string"') is None


# -- types --


def test_types_are_kept_from_the_old_tree_where_the_node_survives() -> None:
    old = serialise(
        assign_types(parse('currentCustomer.name.contains("x")')) | {"type": "boolean:primitive"}
    )
    old_tree = json.loads(old)
    old_tree["operands"][0]["type"] = "string:object:primitive"
    old_tree["operands"][0]["operands"][1]["type"] = "string:object:primitive"

    new = json.loads(
        expression_json_for('currentCustomer.name.contains("y")', json.dumps(old_tree))
    )
    assert new["type"] == "boolean:primitive"  # same method on the same receiver
    assert new["operands"][0]["type"] == "string:object:primitive"
    assert new["operands"][0]["operands"][0]["type"] == "customer:object:primitive"
    assert new["operands"][2] == {"arity": "literal", "value": "y", "type": "string:primitive"}

    other = json.loads(
        expression_json_for('currentCustomer.name.startsWith("x")', json.dumps(old_tree))
    )
    assert "type" not in other  # another method: its old type says nothing


def test_an_unchanged_subtree_keeps_its_types_when_it_moves() -> None:
    old = '{"arity":"method_call","value":null,"type":"boolean:primitive","operands":[{"arity":"name","value":"s","type":"string:primitive"},{"arity":"name","value":"isEmpty","type":"m:x"}]}'
    new = json.loads(expression_json_for("a&&s.isEmpty()", old))
    moved = new["operands"][1]
    assert moved["type"] == "boolean:primitive"
    assert [operand["type"] for operand in moved["operands"]] == ["string:primitive", "m:x"]
    assert "type" not in new["operands"][0]  # "a" is no known name


def test_a_changed_node_falls_back_to_the_table() -> None:
    new = json.loads(expression_json_for("currentTxn.value>=600", PUBLISHED_JSON))
    assert new["type"] == "boolean:primitive"
    assert new["operands"][1] == {"arity": "literal", "value": "600", "type": "number:primitive"}
    weird_old = PUBLISHED_JSON.replace('"boolean:primitive"', '"odd:type"')
    assert (
        json.loads(expression_json_for("currentTxn.value>=500", weird_old))["type"]
        == "boolean:primitive"
    )
    assert json.loads(expression_json_for("currentTxn.value>500", weird_old))["type"] == "odd:type"


def test_a_literal_does_not_borrow_the_type_of_a_literal_of_another_kind() -> None:
    new = json.loads(expression_json_for('currentTxn.value>"500"', PUBLISHED_JSON))
    assert new["operands"][1]["type"] == "string:primitive"
    assert expression_from_json(json.dumps(new)) == 'currentTxn.value>"500"'


def test_a_broken_old_json_only_costs_its_types() -> None:
    assert expression_json_for(PUBLISHED_TEXT, "{broken") == PUBLISHED_JSON
    assert expression_json_for(PUBLISHED_TEXT, "") == PUBLISHED_JSON


@pytest.mark.parametrize(
    ("source", "expected_type"),
    [
        ("currentLineItem", "tx.item:object:primitive"),
        ("currentCustomer", "customer:object:primitive"),
        ("currentLineItem.value", "real:object:primitive"),
        ("!a", "boolean:primitive"),
        ("a||b", "boolean:primitive"),
        ("a!=b", "boolean:primitive"),
        ("-5", "number:primitive"),
        ('"s"', "string:primitive"),
        ("false", "boolean:primitive"),
        ("a+b", None),
        ("-a", None),
        ("unknownThing", None),
        ("a.b(1)", None),
        ("x.currentTxn", None),  # a member is not the free name currentTxn
    ],
)
def test_table_types(source: str, expected_type: str | None) -> None:
    assert parse_expression(source).get("type") == expected_type


def test_serialised_keys_follow_the_api_order() -> None:
    scrambled = {
        "operands": [{"type": "number:primitive", "value": "1", "arity": "literal"}],
        "value": "!",
        "extra": True,
        "arity": "unary_operation",
    }
    assert serialise(scrambled) == (
        '{"arity":"unary_operation","value":"!","operands":'
        '[{"arity":"literal","value":"1","type":"number:primitive"}]}'
    )


def test_untyped_nodes_describe_what_the_preview_must_flag() -> None:
    tree = parse_expression('currentCustomer.email.contains("x")')
    assert untyped_nodes(tree) == [
        'currentCustomer.email.contains("x") (method_call at root)',
        "currentCustomer.email (object_dereference at root[0])",
        "email (name at root[0][1])",
        "contains (name at root[1])",
    ]
    assert untyped_nodes(json.loads(PUBLISHED_JSON)) == []


def test_inputs_are_not_mutated() -> None:
    new = parse("currentTxn.value>500")
    old = json.loads(PUBLISHED_JSON)
    before = json.dumps([new, old])
    typed = assign_types(new, old)
    assert typed == old
    assert json.dumps([new, old]) == before
