"""The help screen's text, from the one registry of keys (actions.py) and the config's
[keys] remapping: what the tree's keys do, every action with its keys, the marks."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from tui.app.actions import EDITOR_ACTIONS, TREE_KEYS
from tui.app.labels import CHANGED, MUTED, Hanging


def help_text(keymap: dict[str, str]) -> Group:
    """``keymap``: action id → keys, as the config's [keys] remaps them."""
    lines: list[RenderableType] = [Text("In the tree", style="bold")]
    lines += [_key_row(keys, Text(what)) for keys, what in TREE_KEYS]
    lines += [
        Text(""),
        Text("Actions (id in brackets: remap it in config.toml [keys])", style="bold"),
    ]
    for action in EDITOR_ACTIONS:
        keys = (
            keymap.get(action.id, action.keys).replace("question_mark", "?").replace("slash", "/")
        )
        lines.append(_key_row(keys, Text.assemble(action.help, (f"  [{action.id}]", MUTED))))
    lines += [
        Text(""),
        Text("Marks", style="bold"),
        Text.assemble("  ⊘ dim   read-only (the detail panel says why)"),
        Text.assemble("     plain  editable"),
        Text.assemble(("  ● ", CHANGED), ("changed", CHANGED), "  (◦ a branch holding a change)"),
    ]
    return Group(*lines)


def _key_row(keys: str, what: Text) -> RenderableType:
    return Hanging(Text(f"{keys:<18} ", style="bold"), what, indent=2)
