"""What the detail panel shows for a target's expression and expressionJson.

``expression`` is text; ``expressionJson`` its parse tree as a string of JSON. The rule
that keeps them in step, and the checks, are tui.session.expression_sync's.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from tui.app.labels import MUTED
from tui.fields.paths import FieldPath
from tui.session.edit import EditSession
from tui.session.expression_sync import (
    expression_path,
    is_expression,
    is_expression_json,
    json_path,
    syntax_problem,
)
from tui.terminal_text import visible


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

    expression_field = path if is_expression(path) else expression_path(path)
    expression = session.value(expression_field)
    expression_json = session.value(json_path(expression_field))
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
