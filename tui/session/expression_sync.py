"""The expression companion rule: a target's ``expression`` and ``expressionJson`` travel together.

The API trusts the caller to keep the two in step, so every way of changing them goes
through here (``tgedit set``, ``tgedit apply``):

- an edited ``expression`` regenerates ``expressionJson`` (keeping the old tree's node
  types where the same node survives); an expression that does not parse is refused;
- in ``set``, both given and describing different rules is refused;
- in a file (``apply``), ``expression`` is the source of truth: an ``expressionJson``
  that does not mean it is stale and is regenerated, with a note naming the target.

Nothing whose two fields disagree is ever sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui.fields import FieldPath, format_path, spec_for
from tui.session.changes import EditRefused

EXPRESSION = "targets[*].expression"
EXPRESSION_JSON = "targets[*].expressionJson"


def is_expression(path: FieldPath) -> bool:
    return spec_for(path).pattern == EXPRESSION


def json_path(expression_path: FieldPath) -> FieldPath:
    return (*expression_path[:-1], "expressionJson")


def regenerated_json(expression_path: FieldPath, expression: str, old_json: Any) -> str:
    """The compact expressionJson of ``expression``, keeping ``old_json``'s types where its
    nodes survive. EditRefused (naming the expression's path) when it does not parse."""
    from tui.expressions import ExpressionSyntaxError, expression_json_for

    try:
        return expression_json_for(expression, old_json if isinstance(old_json, str) else None)
    except ExpressionSyntaxError as error:
        where = format_path(expression_path)
        raise EditRefused(where, f"{where} does not parse: {error}") from None


def with_companions(
    planned: Sequence[tuple[FieldPath, Any]], old_value: Any
) -> list[tuple[FieldPath, Any]]:
    """``planned`` plus the expressionJson each edited expression implies (``set``).

    ``old_value(path)`` is the field's value before the edit (for the node types). When
    both fields of a target are given they must describe the same rule.
    """
    from tui.expressions import consistent

    given = dict(planned)
    result = list(planned)
    for path, value in planned:
        if not is_expression(path) or not isinstance(value, str):
            continue
        sibling = json_path(path)
        if sibling not in given:
            result.append((sibling, regenerated_json(path, value, old_value(sibling))))
            continue
        other = given[sibling]
        agree = consistent(value, other) if isinstance(other, str) else None
        if agree is None:
            regenerated_json(path, value, None)  # refuses an expression that does not parse
        if not agree:
            where = format_path(path[:-1])
            raise EditRefused(
                format_path(sibling),
                f"{where}: expression and expressionJson describe different rules; "
                "give the expression alone and expressionJson follows it",
            )
    return result


def settle_file_target(
    target_path: FieldPath, target: dict[str, Any], live_json: Any
) -> str | None:
    """Make a file's target obey its ``expression`` (``apply``): a stale ``expressionJson``
    is replaced in ``target``. Returns the note to show, or None when nothing was stale.
    EditRefused when the expression does not parse."""
    from tui.expressions import consistent

    expression = target.get("expression")
    if not isinstance(expression, str) or not expression.strip():
        return None  # the catalog's rule for expression reports this
    expression_path = (*target_path, "expression")
    given = target.get("expressionJson")
    agree = consistent(expression, given) if isinstance(given, str) else None
    if agree:
        return None
    # Old types: the file's tree if it is one, else the live tree.
    old = given if isinstance(given, str) and agree is False else live_json
    fresh = regenerated_json(expression_path, expression, old)
    target["expressionJson"] = fresh
    return (
        f"note: {format_path(target_path)}: expressionJson did not match the expression; "
        "regenerated from the expression"
    )
