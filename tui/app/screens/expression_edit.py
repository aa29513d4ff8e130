"""The editor's side of the expression companion rule (tui.session.expression_sync):
it asks whether to regenerate expressionJson too, and says what it did."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import App

from tui.app.screens.dialogs import Ask
from tui.fields.paths import FieldPath, format_path
from tui.session.changes import EditRefused
from tui.session.edit import EditSession
from tui.session.expression_sync import companion_for, disagreeing_targets


def apply_field_edit(
    app: App[Any],
    session: EditSession,
    path: FieldPath,
    value: Any,
    *,
    then: Callable[[], None] | None = None,
) -> None:
    """Set a field; a new expression offers its regenerated expressionJson (the rule
    is expression_sync's), as one undo step. ``then`` runs once the field is set."""
    companion = companion_for(path, value, session.value)
    if companion is None or companion.value is None:
        session.set(path, value)
        if companion is not None:
            app.notify(
                "The expression does not parse, so expressionJson was left as it was: "
                "fix one or the other.",
                severity="warning",
            )
        if then is not None:
            then()
        return
    regenerated = companion.value
    problem = session.check(path, value)
    if problem:
        raise EditRefused(format_path(path), problem)

    def answered(sync: bool | None) -> None:
        if sync is None:  # escape: nothing is applied
            app.notify("Not changed: the expression is as it was.")
            return
        if sync:
            session.set_many([(path, value), (companion.path, regenerated)])
            app.notify("Set the expression and its regenerated expressionJson (one undo step).")
        else:
            session.set(path, value)
            app.notify(
                "Set the expression only: expressionJson now disagrees with it.",
                severity="warning",
            )
        if then is not None:
            then()

    app.push_screen(
        Ask(
            "Regenerate expressionJson too?",
            Text(
                "The API takes both fields and trusts them to agree. "
                "y (or enter) sets both in one step; n sets the expression only."
            ),
            yes="set both",
            no="expression only",
            default_yes=True,
            cancel="change nothing",
        ),
        answered,
    )


def flag_disagreeing(app: App[Any], session: EditSession) -> None:
    """Flag, once, targets whose expression and expressionJson disagree as fetched."""
    disagreeing = disagreeing_targets(session)
    if disagreeing:
        app.notify(
            "expression and expressionJson disagree in target(s) "
            + ", ".join(str(t) for t in disagreeing)
            + ": the detail panel of either field shows how.",
            severity="warning",
            timeout=10,
        )
