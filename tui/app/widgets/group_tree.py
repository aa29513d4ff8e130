"""The target group as a tree: group → fields, periods, streaks, targets.

Children are added only when a node is first expanded, so opening a group costs the
same whatever its size. A long list (a year of daily periods, a target's default
values) gets its first ``FIRST_CHUNK`` children at once and the rest ``CHUNK`` at a
time after each frame, so the keys stay live while it fills; a jump to a field deep in
such a list (find, undo) adds the children up to it at once. A node keeps its field
path, never a copy of the value: the edit session is the source of truth and the tree
a view of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text, TextType
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.app.labels import container_label, field_label
from tui.fields.catalog import holds_editable, is_map, spec_for
from tui.fields.paths import FieldPath, Segment, child_segment, format_path
from tui.fields.presentation import element_title
from tui.session.edit import EditSession

# The mark GroupTree.on_key leaves on a key it lets pass up (see passed_up_by).
_PASSED_UP = "tgedit_passed_up_by"


def passed_up_by(event: events.Key) -> GroupTree | None:
    """The tree that let this key pass up to the app; None: it did not come from one."""
    tree = getattr(event, _PASSED_UP, None)
    return tree if isinstance(tree, GroupTree) else None


# Lists this short open with the group, so a small group shows its targets at once.
AUTO_OPEN_TARGETS = 3
# A list of up to FIRST_CHUNK + CHUNK children fills at once; a longer one gets FIRST_CHUNK at
# once (more than a screen) and CHUNK more after each frame. Measured on 8.2.8, a
# child costs about 40 µs to label and add.
FIRST_CHUNK = 100
CHUNK = 100


@dataclass(slots=True, eq=False)  # a node's own, compared by identity, as before
class NodeData:
    """What the tree keeps on each node (one per node shown: slots keep a big tree small)."""

    path: FieldPath
    container: bool
    populated: bool = False  # every child is in the tree
    filled: int = 0  # how many children are in the tree so far
    filling: bool = False  # the rest is being added, a chunk after each frame


def _count(value: Any) -> int:
    return len(value) if isinstance(value, dict | list) else 0


def _slice(value: Any, start: int, stop: int) -> Iterator[tuple[str | int, Any]]:
    """The children ``start`` to ``stop`` of a container, with their keys."""
    if isinstance(value, dict):
        return islice(value.items(), start, stop)
    if isinstance(value, list):
        return ((index, value[index]) for index in range(start, min(stop, len(value))))
    return iter(())


def _position(value: Any, segment: Segment, start: int, *, as_map: bool) -> int | None:
    """Where the child named ``segment`` stands in ``value``, looking from ``start``."""
    for offset, (key, _child) in enumerate(_slice(value, start, _count(value))):
        if child_segment(value, key, as_map=as_map) == segment:
            return start + offset
    return None


class GroupTree(Tree[NodeData]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "edit_or_toggle", "Edit", id="edit", show=False),
        Binding("j", "cursor_down", "Down", id="down", show=False),
        Binding("k", "cursor_up", "Up", id="up", show=False),
        Binding("h", "collapse_or_parent", "Collapse", id="collapse", show=False),
        Binding("l", "expand_node", "Expand", id="expand", show=False),
        Binding("left", "collapse_or_parent", "Collapse", show=False),
        Binding("right", "expand_node", "Expand", show=False),
    ]

    class EditRequested(Message):
        def __init__(self, path: FieldPath) -> None:
            super().__init__()
            self.path = path

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("target group"), data=NodeData((), True), id=id)
        self.auto_expand = False
        self.guide_depth = 3
        self.session: EditSession | None = None
        self._path_nodes: dict[FieldPath, TreeNode[NodeData]] = {}
        self._periods: dict[int, dict[str, Any]] = {}
        self._shown_changes: set[FieldPath] = set()
        self._label_widths: dict[int, tuple[Text, int]] = {}
        # Keys typed after enter asked for an edit and before the editor took focus.
        self.typeahead: list[events.Key] | None = None
        self._icon_width = max(cell_len(self.ICON_NODE), cell_len(self.ICON_NODE_EXPANDED))

    def render_line(self, y: int) -> Strip:
        # One style run where Textual writes one per piece of the label (guide, mark,
        # key, value): each run costs a full truecolor SGR on the wire (design.md, SSH).
        return super().render_line(y).simplify()

    # --- keys ---------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Textual queues each key to the widget focused when it arrived, and runs
        bindings only when the key has bubbled up to the app. In a burst (a paste, a fast
        typist, keys over SSH) the keys behind ``/`` therefore reach the app after the
        find box took focus: mark them, so the app hands them to the box (see
        TgEditApp.on_key) instead of running them as the tree's commands."""
        setattr(event, _PASSED_UP, self)

    # --- building -------------------------------------------------------------------

    def show_session(self, session: EditSession) -> None:
        """Draw a (new) session: the old nodes go, the cursor stays on the same path."""
        keep = self.cursor_path
        self.session = session
        self.clear()
        self._label_widths.clear()
        self._path_nodes = {(): self.root}
        self.root.data = NodeData((), True)
        self._periods = {
            p["id"]: p
            for p in session.original.get("periods") or []
            if isinstance(p, dict) and isinstance(p.get("id"), int)
        }
        self._shown_changes = set(session.changed_paths())
        self.root.set_label(self._root_label())
        self._populate(self.root)
        self.root.expand()
        targets = self._path_nodes.get(("targets",))
        target_list = session.original.get("targets")
        if (
            targets is not None
            and isinstance(target_list, list)
            and len(target_list) <= AUTO_OPEN_TARGETS
        ):
            self._populate(targets)
            targets.expand()
            for child in targets.children:
                self._populate(child)
                child.expand()
        # Start on the first field people come to change, not on the root.
        self.select_path(keep or ("name",), quiet=True)

    def _root_label(self) -> Text:
        assert self.session is not None
        group = self.session.original
        name = self.session.value(("name",))
        title = f"Target group {group.get('id')} · {name if isinstance(name, str) else '—'}"
        from tui.terminal_text import first_line

        return container_label(
            first_line(title, 100), changed_below=self.session.has_changes, read_only=False
        )

    def _populate(self, node: TreeNode[NodeData]) -> None:
        """Give ``node`` its children: all of them, or a first chunk and the rest later."""
        data = node.data
        if data is None or data.populated or not data.container or self.session is None:
            return
        if self._path_nodes.get(data.path) is not node:
            return  # a node of a session drawn over since (a late NodeExpanded)
        total = _count(self.session.original_value(data.path))
        if total <= FIRST_CHUNK + CHUNK:
            self._fill(node, total)
            return
        self._fill(node, FIRST_CHUNK)
        if not data.populated and not data.filling:
            data.filling = True
            self.call_after_refresh(self._fill_more, node)

    def _fill_more(self, node: TreeNode[NodeData]) -> None:
        """One more chunk of a long list; then, after the next frame, the next one."""
        data = node.data
        if data is None or self._path_nodes.get(data.path) is not node:
            return  # a new session was drawn since
        self._fill(node, data.filled + CHUNK)
        if data.populated:
            data.filling = False
        else:
            self.call_after_refresh(self._fill_more, node)

    def _fill(self, node: TreeNode[NodeData], upto: int) -> None:
        """Add the children of ``node`` that are missing, up to position ``upto``."""
        data = node.data
        assert data is not None and self.session is not None
        container = self.session.original_value(data.path)
        total = _count(container)
        upto = min(upto, total)
        if data.filled < upto:
            as_map = is_map(data.path)
            for key, value in _slice(container, data.filled, upto):
                segment = child_segment(container, key, as_map=as_map)
                path = (*data.path, segment)
                label = self._label(path, value)
                if isinstance(value, dict | list):
                    child = node.add(label, data=NodeData(path, True), allow_expand=bool(value))
                else:
                    child = node.add_leaf(label, data=NodeData(path, False))
                self._path_nodes[path] = child
            data.filled = upto
        data.populated = data.filled >= total

    def _fill_through(self, node: TreeNode[NodeData], segment: Segment) -> None:
        """Add the children of a long list up to the one named ``segment``, now."""
        data = node.data
        if data is None or data.populated or self.session is None:
            return
        container = self.session.original_value(data.path)
        position = _position(container, segment, data.filled, as_map=is_map(data.path))
        if position is not None:
            self._fill(node, position + 1)

    def _label(self, path: FieldPath, value: Any = None) -> Text:
        assert self.session is not None
        if not path:
            return self._root_label()
        spec = spec_for(path)
        last = path[-1]
        if isinstance(value, dict | list) or (value is None and self._is_container(path)):
            if value is None:
                value = self.session.original_value(path)
            changed_below = self.session.has_changes_below(path)
            if isinstance(last, str):
                title = spec.label if spec.documented else last
                if isinstance(value, list):
                    title = f"{title} [{len(value)}]"
            else:
                title = element_title(path, value, self._periods)
            return container_label(
                title,
                changed_below=changed_below,
                read_only=not changed_below and not holds_editable(path),
            )
        key = last if isinstance(last, str) else format_path((last,))
        changed = self.session.is_changed(path)
        shown = (
            self.session.value(path)
            if changed
            else (value if value is not None else self.session.value(path))
        )
        return field_label(key, shown, spec, changed=changed)

    def _is_container(self, path: FieldPath) -> bool:
        node = self._path_nodes.get(path)
        return bool(node and node.data and node.data.container)

    # --- after a change -------------------------------------------------------------

    def refresh_changes(self) -> None:
        """Relabel the fields whose change state moved, and their ancestors."""
        if self.session is None:
            return
        now = set(self.session.changed_paths())
        touched = now | self._shown_changes
        self._shown_changes = now
        relabel: set[FieldPath] = set()
        for path in touched:
            relabel.update(path[:depth] for depth in range(len(path) + 1))
        for path in relabel:
            node = self._path_nodes.get(path)
            if node is not None:
                node.set_label(
                    self._label(
                        path,
                        None if node.data and node.data.container else self.session.value(path),
                    )
                )

    # --- finding --------------------------------------------------------------------

    @property
    def cursor_path(self) -> FieldPath | None:
        node = self.cursor_node
        return node.data.path if node is not None and node.data is not None else None

    def node_for(self, path: FieldPath) -> TreeNode[NodeData] | None:
        """The node of ``path``, building and expanding its ancestors as needed."""
        for depth in range(len(path)):
            parent = self._path_nodes.get(path[:depth])
            if parent is None:
                return None
            self._populate(parent)
            if path[: depth + 1] not in self._path_nodes:
                self._fill_through(parent, path[depth])
            if not parent.is_expanded:
                parent.expand()
        return self._path_nodes.get(path)

    def select_path(self, path: FieldPath, *, quiet: bool = False) -> bool:
        node = self.node_for(path)
        if node is None:
            return False
        # The cursor line is known only once the expanded lines are rebuilt. Tree rebuilds
        # them lazily; asking for the last line rebuilds them now, so that expanding, the
        # cursor and the scroll reach the screen in one frame (a find at 1000 periods drew
        # two full frames). Not yet laid out (the group opening), the scroll has no height
        # to work with: after the first layout.
        if self.size.height:
            self.last_line  # noqa: B018 - rebuilds the lines (and the virtual size)
            self._move_to(node)
        else:
            self.call_after_refresh(self._move_to, node)
        return True

    def _move_to(self, node: TreeNode[NodeData]) -> None:
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeData]) -> None:
        self._populate(event.node)

    # --- drawing: the same as Tree's, without work proportional to the tree ----------

    def process_label(self, label: TextType) -> Text:
        # Our labels are one-line Text already (labels.py): skip Tree's split per node.
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def get_label_width(self, node: TreeNode[NodeData]) -> int:
        """Tree measures every visible line after each expand: remember each label's width."""
        label = node.label
        assert isinstance(label, Text)
        cached = self._label_widths.get(node.id)
        if cached is None or cached[0] is not label:
            cached = (label, label.cell_len)
            self._label_widths[node.id] = cached
        return cached[1] + (self._icon_width if node.allow_expand else 0)

    # --- keys -----------------------------------------------------------------------

    def action_edit_or_toggle(self) -> None:
        node = self.cursor_node
        if node is None or node.data is None:
            return
        if node.data.container:
            self._populate(node)
            node.toggle()
        else:
            self._request_edit(node.data.path)

    def action_edit_field(self) -> None:
        node = self.cursor_node
        if node is not None and node.data is not None:
            self._request_edit(node.data.path)

    def _request_edit(self, path: FieldPath) -> None:
        # Keys already behind this one (typeahead over SSH) reach the app before the editor
        # opens: the app keeps them here (see keep_typeahead) for the editor to replay.
        self.typeahead = []
        self.post_message(self.EditRequested(path))

    def keep_typeahead(self, event: events.Key) -> bool:
        """Keep a key that arrived while an edit is on its way; False: none is."""
        if self.typeahead is None:
            return False
        self.typeahead.append(events.Key(event.key, event.character))
        return True

    def take_typeahead(self) -> list[events.Key]:
        """The keys kept since the edit was asked for; keeping stops."""
        keys, self.typeahead = self.typeahead or [], None
        return keys

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None:
            self.move_cursor(node.parent)

    def action_expand_node(self) -> None:
        node = self.cursor_node
        if node is None or node.data is None or not node.data.container:
            return
        self._populate(node)
        if not node.is_expanded:
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0])
