"""What the editor shows and does for a target's expression and expressionJson.

``expression`` is text; ``expressionJson`` its parse tree as a string of JSON. The API
trusts the caller to keep them in step; this module is where the editor does.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from tui.app.labels import MUTED
from tui.fields import ElementId, FieldPath, format_path, spec_for
from tui.fields.terminal_text import visible
from tui.session import EditSession

EXPRESSION = "targets[*].expression"
EXPRESSION_JSON = "targets[*].expressionJson"


def is_expression(path: FieldPath) -> bool:
    return spec_for(path).pattern == EXPRESSION


def is_expression_json(path: FieldPath) -> bool:
    return spec_for(path).pattern == EXPRESSION_JSON


def sibling(path: FieldPath, field: str) -> FieldPath:
    return (*path[:-1], field)


def syntax_problem(text: str) -> str | None:
    """The parser's complaint about an expression, or None when it parses."""
    from tui.expressions import ExpressionSyntaxError, parse_expression

    try:
        parse_expression(text)
    except ExpressionSyntaxError as error:
        return str(error)
    return None


def regenerated_json(text: str, old_json: Any) -> str | None:
    """expressionJson for ``text``, keeping the old tree's types; None if it does not parse."""
    from tui.expressions import ExpressionSyntaxError, expression_json_for

    try:
        return expression_json_for(text, old_json if isinstance(old_json, str) else None)
    except ExpressionSyntaxError:
        return None


def json_meaning(session: EditSession, path: FieldPath, text: str) -> tuple[str | None, str | None]:
    """What an expressionJson being edited means as text, and a warning when it is not the
    target's expression (or cannot be read as an expression tree)."""
    from tui.expressions import ExpressionError, consistent, expression_from_json

    try:
        meaning = expression_from_json(text)
    except ExpressionError as error:
        return None, f"not an expression tree: {error}"
    expression = session.value(sibling(path, "expression"))
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
        expression_path: FieldPath = (*target, "expression")
        expression = session.value(expression_path)
        expression_json = session.value((*target, "expressionJson"))
        if not isinstance(expression, str):
            continue
        problem = syntax_problem(expression)
        where = format_path(expression_path)
        if problem:
            problems.append(f"{where} does not parse: {problem}")
        elif isinstance(expression_json, str) and consistent(expression, expression_json) is False:
            problems.append(
                f"{where} and its expressionJson disagree: they describe different rules"
            )
    return problems


def _draw(node: Any, prefix: str, last: bool, out: Text, top: bool) -> None:
    if not isinstance(node, dict):
        out.append(
            f"{prefix}{'' if top else ('└ ' if last else '├ ')}{visible(json.dumps(node))}\n"
        )
        return
    arity = str(node.get("arity", "?"))
    value = node.get("value")
    kind = node.get("type")
    out.append(prefix + ("" if top else ("└ " if last else "├ ")))
    out.append(visible(arity), style="bold")
    if value is not None:
        out.append(" " + visible(str(value)))
    if kind:
        out.append(f"  {visible(str(kind))}", style=MUTED)
    else:
        out.append("  (no type)", style="yellow")
    out.append("\n")
    operands = node.get("operands") or []
    child_prefix = prefix if top else prefix + ("  " if last else "│ ")
    for index, operand in enumerate(operands):
        _draw(operand, child_prefix, index == len(operands) - 1, out, False)


def tree_text(expression_json: str) -> Text | None:
    try:
        tree = json.loads(expression_json)
    except ValueError:
        return None
    out = Text()
    _draw(tree, "", True, out, True)
    return out


def notes(session: EditSession, path: FieldPath) -> list[RenderableType]:
    """Extra lines for the detail panel of either expression field."""
    if not (is_expression(path) or is_expression_json(path)):
        return []
    from tui.expressions import consistent, expression_from_json, untyped_nodes

    expression = session.value(sibling(path, "expression"))
    expression_json = session.value(sibling(path, "expressionJson"))
    lines: list[RenderableType] = [Text("")]
    if is_expression(path) and isinstance(expression, str):
        problem = syntax_problem(expression)
        if problem:
            lines.append(Text(f"⚠ {visible(problem)}", style="yellow"))
    if is_expression_json(path) and isinstance(expression_json, str):
        try:
            means = expression_from_json(expression_json)
            lines.append(Text.assemble(("it means   ", MUTED), visible(means)))
        except Exception:  # a tree the printer cannot read: say so, never crash the panel
            lines.append(
                Text("⚠ this tree cannot be turned back into an expression", style="yellow")
            )
    if isinstance(expression, str) and isinstance(expression_json, str):
        agree = consistent(expression, expression_json)
        if agree is False:
            lines.append(
                Text(
                    "⚠ expression and expressionJson disagree: they describe different rules",
                    style="bold yellow",
                )
            )
        elif agree:
            lines.append(Text("✓ expression and expressionJson agree", style="green"))
        drawn = tree_text(expression_json)
        if drawn is not None:
            lines += [Text("expressionJson as a tree:", style=MUTED), drawn]
            try:
                missing = untyped_nodes(json.loads(expression_json))
            except Exception:
                missing = []
            if missing:
                lines.append(
                    Text("no type: " + ", ".join(visible(m) for m in missing), style="yellow")
                )
    return lines


def field_warning(path: FieldPath, value: Any) -> str | None:
    """A warning that does not block the edit (an expression our parser cannot read)."""
    if is_expression(path) and isinstance(value, str) and value.strip():
        return syntax_problem(value)
    return None
