"""The help screens' text, generated from the bindings themselves (actions.py's registry,
each screen's BINDINGS, the app's quit keys) and the config's [keys] remapping, so that
what `?` lists cannot drift from what the keys do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType

from tui.app.actions import EDITOR_ACTIONS, TREE_KEYS, bindings
from tui.app.labels import CHANGED, MUTED, Hanging

# Key names as people type them.
_SHOWN = {"question_mark": "?", "slash": "/", "escape": "escape", "shift+tab": "shift+tab"}

# The Input's own key in the inline editor (not a binding of ours).
INLINE_KEYS: tuple[tuple[str, str], ...] = (("enter", "save the field (its rule checked)"),)


def key_names(keys: str) -> str:
    """``"ctrl+s,f2"`` → ``"ctrl+s / F2"``."""
    names = []
    for key in keys.split(","):
        key = key.strip()
        shown = _SHOWN.get(key, key)
        if len(shown) in (2, 3) and shown[0] == "f" and shown[1:].isdigit():
            shown = shown.upper()
        names.append(shown)
    return " / ".join(names)


def _rows(
    bound: Iterable[BindingType], keymap: dict[str, str], more: dict[str, list[str]] | None = None
) -> list[RenderableType]:
    """One row per binding id (or action), its keys joined (``more``: keys bound
    elsewhere, by action: the app's ctrl+q for quit)."""
    keys: dict[str, list[str]] = {}
    what: dict[str, Binding] = {}
    for binding in bound:
        if not isinstance(binding, Binding):
            continue
        key = keymap.get(binding.id, binding.key) if binding.id else binding.key
        row = binding.id or binding.action
        keys.setdefault(row, []).append(key)
        what.setdefault(row, binding)
    rows: list[RenderableType] = []
    for row, binding in what.items():
        shown = ",".join(keys[row] + (more or {}).get(binding.action, []))
        help_words = binding.tooltip or binding.description
        remap = Text(f"  [{binding.id}]", style=MUTED) if binding.id else Text("")
        rows.append(_key_row(key_names(shown), Text.assemble(help_words, remap)))
    return rows


def _section(
    title: str, rows: Sequence[RenderableType], *, first: bool = False
) -> list[RenderableType]:
    return [*([] if first else [Text("")]), Text(title, style="bold"), *rows]


def _quit_keys() -> list[str]:
    """The app's own ways out (ctrl+q, ctrl+c): they ask as q does."""
    return [
        b.key for b in App.BINDINGS if isinstance(b, Binding) and b.action in ("quit", "help_quit")
    ]


def inline_editor_rows(keymap: dict[str, str]) -> list[RenderableType]:
    from tui.app.widgets.field_editor import FieldEditor

    return [_key_row(k, Text(w)) for k, w in INLINE_KEYS] + _rows(FieldEditor.BINDINGS, keymap)


def preview_rows(keymap: dict[str, str]) -> list[RenderableType]:
    from tui.app.screens.preview import PreviewScreen

    return _rows(PreviewScreen.BINDINGS, keymap)


def text_editor_rows(keymap: dict[str, str]) -> list[RenderableType]:
    from tui.app.screens.text_edit import TextEditScreen

    return _rows(TextEditScreen.BINDINGS, keymap)


def help_text(keymap: dict[str, str]) -> Group:
    """The editor's `?`: every key of the tree, the actions, and the keys of what opens
    from it (the inline editor, the preview, the multi-line editor). ``keymap``: binding
    id → keys, as the config's [keys] remaps them."""
    tree = [_key_row(keys, Text(what)) for keys, what in TREE_KEYS]
    palette = App.COMMAND_PALETTE_BINDING
    enter = [  # bound by the tree (GroupTree), with the registry's id and words
        Binding(a.keys, a.action, a.title, id=a.id, tooltip=a.help)
        for a in EDITOR_ACTIONS
        if a.id == "edit"
    ]
    actions = _rows([*enter, *bindings()], keymap, {"quit_editor": _quit_keys()})
    actions.append(_key_row(key_names(palette), Text("the command palette: the actions by name")))
    lines: list[RenderableType] = [
        *_section("In the tree", tree, first=True),
        *_section("Actions (id in brackets: remap it in config.toml [keys])", actions),
        *_section("In the inline editor (enter or e on a field)", inline_editor_rows(keymap)),
        *_section("In the preview (p)", preview_rows(keymap)),
        *_section(
            "In the multi-line editor (expressionJson, long values)", text_editor_rows(keymap)
        ),
        Text(""),
        Text("Marks", style="bold"),
        Text.assemble("  ⊘ dim   read-only (the detail panel says why)"),
        Text.assemble("     plain  editable"),
        Text.assemble(("  ● ", CHANGED), ("changed", CHANGED), "  (◦ a branch holding a change)"),
    ]
    return Group(*lines)


def screen_help(title: str, rows: Sequence[RenderableType]) -> Group:
    """`?` or F1 pressed in an editor or dialog opened from the tree: its own keys."""
    return Group(
        *_section(title, rows, first=True),
        Text(""),
        Text("Every key of the editor: escape, then ?", style=MUTED),
    )


def _key_row(keys: str, what: Text) -> RenderableType:
    return Hanging(Text(f"{keys:<18} ", style="bold"), what, indent=2)
