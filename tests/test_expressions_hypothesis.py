"""Properties of the expression package over generated trees and generated text."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.expressions import (
    ExpressionSyntaxError,
    assign_types,
    consistent,
    expression_from_json,
    print_expression,
    same_tree,
    serialise,
)
from tui.expressions.lexer import KEYWORDS
from tui.expressions.operators import BINARY_LEVELS
from tui.expressions.parser import parse

Tree = dict[str, Any]

# Examples are cheap, but a slow CI machine must not turn into a flaky test.
PROFILE = settings(deadline=None, max_examples=300)

identifiers = st.from_regex(r"[A-Za-z_$][A-Za-z0-9_$]{0,7}", fullmatch=True)
free_names = identifiers.filter(lambda name: name not in KEYWORDS)


def _literal(value: str, type_: str) -> Tree:
    return {"arity": "literal", "value": value, "type": type_}


# Literals carry their kind in their type, exactly as the parser writes them.
literals = st.one_of(
    st.from_regex(r"[0-9]{1,6}(\.[0-9]{1,3})?", fullmatch=True).map(
        lambda v: _literal(v, "number:primitive")
    ),
    st.text(max_size=8).map(lambda v: _literal(v, "string:primitive")),
    st.sampled_from(sorted(KEYWORDS)).map(lambda v: _literal(v, "boolean:primitive")),
)
leaves = st.one_of(literals, free_names.map(lambda v: {"arity": "name", "value": v}))


def _member_name(value: str) -> Tree:
    return {"arity": "name", "value": value}


def _extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.builds(
            lambda op, left, right: {
                "arity": "binary_operation",
                "value": op,
                "operands": [left, right],
            },
            st.sampled_from(sorted(BINARY_LEVELS)),
            children,
            children,
        ),
        st.builds(
            lambda op, operand: {"arity": "unary_operation", "value": op, "operands": [operand]},
            st.sampled_from(["!", "-"]),
            children,
        ),
        st.builds(
            lambda obj, field: {
                "arity": "object_dereference",
                "operands": [obj, _member_name(field)],
            },
            children,
            identifiers,  # keywords included: x.true is a member
        ),
        st.builds(
            lambda receiver, method, args: {
                "arity": "method_call",
                "operands": [receiver, _member_name(method), *args],
            },
            children,
            identifiers,
            st.lists(children, max_size=3),
        ),
    )


trees = st.recursive(leaves, _extend, max_leaves=25)
type_names = st.from_regex(r"[a-z]{1,6}(:[a-z.]{1,8}){0,2}", fullmatch=True)


def _with_random_types(tree: Tree, data: st.DataObject) -> Tree:
    """Every node typed at random; a literal keeps a type of its own kind so it prints alike."""
    typed = dict(tree)
    if tree["arity"] != "literal":
        typed["type"] = data.draw(type_names)
    typed["operands"] = [_with_random_types(op, data) for op in tree.get("operands", [])]
    if not typed["operands"]:
        del typed["operands"]
    return typed


def _without_types(tree: Tree) -> Tree:
    stripped = {k: v for k, v in tree.items() if k != "type"}
    if "operands" in tree:
        stripped["operands"] = [_without_types(op) for op in tree["operands"]]
    return stripped


@PROFILE
@given(trees)
def test_print_then_parse_gives_the_same_tree_exactly(tree: Tree) -> None:
    text = print_expression(tree)
    assert parse(text) == tree, text


@PROFILE
@given(trees)
def test_printing_is_a_fixed_point_of_parsing(tree: Tree) -> None:
    text = print_expression(tree)
    assert print_expression(parse(text)) == text


@PROFILE
@given(trees, st.data())
def test_types_never_change_the_printed_text(tree: Tree, data: st.DataObject) -> None:
    typed = _with_random_types(tree, data)
    reparsed = parse(print_expression(typed))
    assert same_tree(reparsed, typed, ignore_type=True)
    assert consistent(print_expression(typed), serialise(typed)) is True


@PROFILE
@given(trees, st.data())
def test_assigning_types_from_the_same_tree_restores_every_type(
    tree: Tree, data: st.DataObject
) -> None:
    old = _with_random_types(tree, data)
    assert assign_types(tree, old) == json.loads(serialise(old))


@PROFILE
@given(trees)
def test_untyped_literals_survive_as_far_as_their_spelling_allows(tree: Tree) -> None:
    """Without types, a literal is quoted unless it looks like a number or boolean; the
    value comes back unchanged either way."""
    bare = _without_types(tree)
    assert same_tree(parse(print_expression(bare)), bare, ignore_type=True)


@PROFILE
@given(trees)
def test_expression_json_round_trip(tree: Tree) -> None:
    assert expression_from_json(json.dumps(tree, indent=1)) == print_expression(tree)


@PROFILE
@given(st.text(alphabet='ab1.()"\\ !-+*&|=<>,x', max_size=20))
def test_arbitrary_text_parses_or_fails_with_a_column_inside_the_text(source: str) -> None:
    try:
        tree = parse(source)
    except ExpressionSyntaxError as error:
        assert 1 <= error.column <= len(source) + 1
        assert f"column {error.column}" in str(error)
    else:
        # Whatever parses prints as text that parses to the same tree.
        assert parse(print_expression(tree)) == tree
