"""The one registry of the editor's actions: it feeds the key bindings, the help screen,
the command palette and the keymap in the config file, so no key exists undocumented."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(slots=True)
class EditorAction:
    """One action: its keys and what the footer, help and palette say of it."""

    id: str  # the binding id users remap in config.toml's [keys] table
    keys: str  # comma-separated: a ctrl chord always has a letter or F-key beside it
    action: str
    title: str
    help: str
    show: bool = True
    palette: bool = True
    # In the footer of a narrow terminal too: help and quit must stay on an 80-column row.
    narrow: bool = True


EDITOR_ACTIONS: tuple[EditorAction, ...] = (
    EditorAction(
        "edit",
        "enter",
        "edit_here",
        "Edit",
        "edit the field under the cursor, in place (or open/close a branch)",
        show=False,
        palette=False,
    ),
    EditorAction(
        "edit-field", "e", "edit_here", "Edit", "edit the field under the cursor", narrow=False
    ),
    EditorAction(
        "find", "slash", "find", "Find", "find a field path (jumps to it) or text (next match)"
    ),
    EditorAction(
        "find-next", "n", "find_next", "Next", "go to the next match of the last find", show=False
    ),
    EditorAction(
        "find-previous",
        "N",
        "find_previous",
        "Previous",
        "go to the previous match of the last find",
        show=False,
    ),
    EditorAction(
        "revert",
        "x",
        "revert",
        "Revert",
        "put the field under the cursor back to its fetched value",
        narrow=False,
    ),
    EditorAction("undo", "ctrl+z,u", "undo", "Undo", "undo the last change"),
    EditorAction("redo", "ctrl+y,U", "redo", "Redo", "redo the change last undone", show=False),
    EditorAction(
        "preview", "p", "preview", "Preview", "show the PUT body, the diff and the request as curl"
    ),
    EditorAction(
        "submit",
        "ctrl+s,s",
        "submit",
        "Submit",
        "send the changes (asks first, checks for a conflict)",
    ),
    EditorAction(
        "write-file",
        "w",
        "write_file",
        "Write",
        "write the group with the pending changes to a file (the export format)",
        show=False,
    ),
    EditorAction(
        "reload",
        "r",
        "reload",
        "Reload",
        "fetch the group again (asks when there are changes)",
        narrow=False,
    ),
    EditorAction("help", "question_mark,f1", "help", "Help", "list every key"),
    EditorAction(
        "back",
        "escape",
        "back_to_list",
        "Back",
        "back to the list of groups, when the group was picked from it (asks first when there are unsent changes)",
    ),
    EditorAction(
        "quit", "q", "quit_editor", "Quit", "leave tgedit (asks when there are unsent changes)"
    ),
)

# Narrower than this, the footer shows only the actions marked ``narrow``.
NARROW_WIDTH = 100

# Left out of the footer when narrow (enter edits too; x and r are in help).
WIDE_ONLY_ACTIONS = frozenset(a.action for a in EDITOR_ACTIONS if a.show and not a.narrow)

# What acts only once a group is on screen: hidden from the footer (and the palette)
# while it is fetched or could not be.
NEEDS_A_GROUP = frozenset(
    {
        "edit_here",
        "find",
        "find_next",
        "find_previous",
        "revert",
        "undo",
        "redo",
        "preview",
        "submit",
        "write_file",
    }
)

# What acts only with a server: hidden from the footer (and the palette) when the group
# was opened from a file offline (``tgedit edit --file``).
NEEDS_A_SERVER = frozenset({"submit", "reload"})

TREE_KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓  j k", "move"),
    ("← →  h l", "collapse / expand (or go to parent / first child)"),
    ("enter", "edit a field, or open / close a branch"),
)


def bindings() -> list[BindingType]:
    return [
        Binding(a.keys, a.action, a.title, show=a.show, id=a.id, priority=False, tooltip=a.help)
        for a in EDITOR_ACTIONS
        if a.id != "edit"  # enter belongs to the tree (GroupTree binds it with this id)
    ]
