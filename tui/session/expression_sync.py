"""The expression companion rule: a target's ``expression`` and ``expressionJson`` travel together.

The API trusts the caller to keep the two in step, so every way of changing them goes
through here (``tgedit set``, ``tgedit apply``):

- an edited ``expression`` regenerates ``expressionJson`` (keeping the old tree's node
  types where the same node survives); an expression that does not parse is refused;
- in ``set``, both given and describing different rules is refused;
- in a file (``apply``), ``expression`` is the source of truth: an ``expressionJson``
  that does not mean it is stale and is regenerated, with a note naming the target;
- in the editor, an edited expression offers its regenerated ``expressionJson``
  (``companion_for``); one that does not parse is kept with a warning, and submit is
  refused while it does not parse or the two disagree (``unsendable_targets``).

Nothing whose two fields disagree is ever sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.fields.catalog import spec_for
from tui.fields.paths import ElementId, FieldPath, format_path
from tui.session.changes import EditRefused

if TYPE_CHECKING:
    from tui.session.edit import EditSession

EXPRESSION = "targets[*].expression"
EXPRESSION_JSON = "targets[*].expressionJson"


def is_expression(path: FieldPath) -> bool:
    return spec_for(path).pattern == EXPRESSION


def is_expression_json(path: FieldPath) -> bool:
    return spec_for(path).pattern == EXPRESSION_JSON


def json_path(expression_path: FieldPath) -> FieldPath:
    return (*expression_path[:-1], "expressionJson")


def expression_path(json_path: FieldPath) -> FieldPath:
    return (*json_path[:-1], "expression")


def syntax_problem(text: str) -> str | None:
    """The parser's complaint about an expression, or None when it parses."""
    from tui.expressions import ExpressionSyntaxError, parse_expression

    try:
        parse_expression(text)
    except ExpressionSyntaxError as error:
        return str(error)
    return None


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


# --- the editor ---------------------------------------------------------------------------


@dataclass(slots=True)
class Companion:
    """What an edited expression implies for its target's expressionJson."""

    path: FieldPath  # the expressionJson
    value: str | None  # regenerated; None: the expression does not parse


def companion_for(
    path: FieldPath, value: Any, old_value: Callable[[FieldPath], Any]
) -> Companion | None:
    """The expressionJson an edit of ``path`` to ``value`` implies; None when there is none
    to offer (not an expression, or its expressionJson already says it)."""
    if not is_expression(path) or not isinstance(value, str):
        return None
    sibling = json_path(path)
    current = old_value(sibling)
    try:
        regenerated = regenerated_json(path, value, current)
    except EditRefused:
        return Companion(sibling, None)
    return None if regenerated == current else Companion(sibling, regenerated)


def field_warning(path: FieldPath, value: Any) -> str | None:
    """A warning that does not block the edit (an expression our parser cannot read)."""
    if is_expression(path) and isinstance(value, str) and value.strip():
        return syntax_problem(value)
    return None


def json_meaning(session: EditSession, path: FieldPath, text: str) -> tuple[str | None, str | None]:
    """What an expressionJson being edited means as text, and a warning when it is not the
    target's expression (or cannot be read as an expression tree)."""
    from tui.expressions import ExpressionError, consistent, expression_from_json

    try:
        meaning = expression_from_json(text)
    except ExpressionError as error:
        return None, f"not an expression tree: {error}"
    expression = session.value(expression_path(path))
    if isinstance(expression, str) and consistent(expression, text) is False:
        return meaning, f"disagrees with the expression {expression!r}"
    return meaning, None


def disagreeing_targets(session: EditSession) -> list[int]:
    """Targets whose expression and expressionJson do not describe the same rule."""
    from tui.expressions import consistent

    found: list[int] = []
    for target in session.original.get("targets") or []:
        if not isinstance(target, dict) or not isinstance(target.get("id"), int):
            continue
        path = ("targets", ElementId(target["id"]))
        expression = session.value((*path, "expression"))
        expression_json = session.value((*path, "expressionJson"))
        both_text = isinstance(expression, str) and isinstance(expression_json, str)
        if both_text and consistent(expression, expression_json) is False:
            found.append(target["id"])
    return found


def unsendable_targets(session: EditSession) -> list[str]:
    """Why the changed targets may not be sent: an expression that does not parse, or an
    expression and expressionJson that disagree (design.md, Safety). One line per target,
    naming it; empty when all is well. The same parser ``tgedit set`` refuses with."""
    from tui.expressions import consistent

    problems: list[str] = []
    changed = {c.path[:2] for c in session.changes() if c.path[:1] == ("targets",)}
    for target in sorted(changed, key=str):
        if len(target) < 2 or not isinstance(target[1], ElementId):
            continue
        path: FieldPath = (*target, "expression")
        expression = session.value(path)
        expression_json = session.value((*target, "expressionJson"))
        if not isinstance(expression, str):
            continue
        problem = syntax_problem(expression)
        where = format_path(path)
        if problem:
            problems.append(f"{where} does not parse: {problem}")
        elif isinstance(expression_json, str) and consistent(expression, expression_json) is False:
            problems.append(
                f"{where} and its expressionJson disagree: they describe different rules"
            )
    return problems
