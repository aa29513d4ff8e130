"""A year of daily periods and fifty targets in the real editor: built lazily, yet all there.

No timings here (tests/bench measures those): these check that opening builds a small
tree, that a long list fills completely and in order, and that a jump deep into a
branch nobody opened yet finds the field, labelled with its change.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_support import editor, wait_for
from textual.pilot import Pilot
from textual.widgets import Input
from textual.widgets.tree import TreeNode

from tui.app.app import TgEditApp
from tui.app.screens.editor import EditorScreen
from tui.app.widgets.group_tree import GroupTree, NodeData
from tui.fields.marks import CHANGED_BELOW_MARK, CHANGED_MARK
from tui.fields.paths import ElementId, FieldPath, MapKey, format_path
from tui.session.draft import DraftStore
from tui.session.edit import EditSession
from tui.session.remote import GroupService
from tui.stub.generate import make_group

PERIODS, TARGETS = 365, 50


@pytest.fixture(scope="module")
def group() -> dict[str, Any]:
    return make_group(PERIODS, TARGETS)


def make_editor(group: dict[str, Any], tmp_path: Path) -> TgEditApp:
    return TgEditApp(
        service=GroupService(None),
        drafts=DraftStore(tmp_path / "drafts"),
        session=EditSession(group),
    )


async def opened(pilot: Pilot[Any]) -> tuple[EditorScreen, GroupTree]:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, EditorScreen), "the editor")
    screen = editor(pilot.app)  # type: ignore[arg-type]
    tree = screen.group_tree
    # Where the editor starts: once it is there, no move of its opening is still due.
    await wait_for(pilot, lambda: tree.cursor_path == ("name",), "the cursor on the name")
    return screen, tree


def nodes(node: TreeNode[NodeData]) -> Iterator[TreeNode[NodeData]]:
    yield node
    for child in node.children:
        yield from nodes(child)


def leaves(value: Any) -> int:
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(leaves(v) for v in value)
    return 1


def last_target(group: dict[str, Any]) -> ElementId:
    return ElementId(group["targets"][TARGETS - 1]["id"])


async def find(pilot: Pilot[Any], text: str) -> None:
    """As a person would: / , the text (pasted, not typed: it is long), enter."""
    await pilot.press("slash")
    box = pilot.app.screen.query_one("#find", Input)
    await wait_for(pilot, lambda: box.has_focus, "the find box")
    box.value = text
    await pilot.press("enter")


async def test_opening_builds_a_small_tree_whatever_the_group(
    group: dict[str, Any], tmp_path: Path
) -> None:
    async with make_editor(group, tmp_path).run_test(size=(120, 40)) as pilot:
        _screen, tree = await opened(pilot)
        built = sum(1 for _ in nodes(tree.root))
        assert leaves(group) > 100_000
        assert built < 60, f"{built} nodes before anything was expanded"
        periods = tree.node_for(("periods",))
        assert periods is not None
        assert f"[{PERIODS}]" in periods.label.plain  # type: ignore[union-attr]
        assert len(periods.children) == 0 and not periods.is_expanded


async def test_expanding_the_periods_shows_all_365_in_order(
    group: dict[str, Any], tmp_path: Path
) -> None:
    async with make_editor(group, tmp_path).run_test(size=(120, 40)) as pilot:
        _screen, tree = await opened(pilot)
        periods = tree.node_for(("periods",))
        assert periods is not None
        tree.move_cursor(periods)
        await wait_for(pilot, lambda: tree.cursor_path == ("periods",), "the cursor on periods")
        await pilot.press("right")
        await wait_for(pilot, lambda: len(periods.children) == PERIODS, "all the periods")
        await pilot.pause()
        assert periods.is_expanded
        shown = [child.data.path[-1] for child in periods.children if child.data]
        assert shown == [ElementId(p["id"]) for p in group["periods"]]
        assert "Cycle_365" in periods.children[-1].label.plain  # type: ignore[union-attr]
        # The cursor walks into the list, and past its end to the next field of the group.
        await pilot.press("down")
        first = ("periods", ElementId(group["periods"][0]["id"]))
        await wait_for(pilot, lambda: tree.cursor_path == first, "the cursor on the first period")
        last = ("periods", ElementId(group["periods"][-1]["id"]))
        assert tree.select_path(last)
        await wait_for(pilot, lambda: tree.cursor_path == last, "the cursor on the last period")
        await pilot.press("down")
        await wait_for(pilot, lambda: tree.cursor_path == ("totalPeriods",), "the next field")


async def test_find_jumps_deep_into_a_branch_nobody_opened(
    group: dict[str, Any], tmp_path: Path
) -> None:
    target = last_target(group)
    value = group["targets"][TARGETS - 1]["defaultValues"][300]
    path: FieldPath = ("targets", target, "defaultValues", ElementId(value["id"]), "defaultValue")
    async with make_editor(group, tmp_path).run_test(size=(120, 40)) as pilot:
        _screen, tree = await opened(pilot)
        built = {node.data.path for node in nodes(tree.root) if node.data}
        assert ("targets", target) not in built  # nothing there is built yet
        await find(pilot, format_path(path))
        await wait_for(pilot, lambda: tree.cursor_path == path, f"the cursor on {path}")
        node = tree.node_for(path)
        assert node is not None and node.label is not None
        assert f"defaultValue: {value['defaultValue']}" in node.label.plain  # type: ignore[union-attr]
        values = tree.node_for(path[:3])
        assert values is not None and values.is_expanded
        # The rest of the list still fills, in order, after the jump.
        await wait_for(pilot, lambda: len(values.children) == PERIODS, "the whole list")
        ids = [child.data.path[-1] for child in values.children if child.data]
        assert ids == [ElementId(v["id"]) for v in group["targets"][TARGETS - 1]["defaultValues"]]


async def test_a_jump_into_the_map_by_period_id(group: dict[str, Any], tmp_path: Path) -> None:
    target = last_target(group)
    period_id = str(group["periods"][250]["id"])
    path: FieldPath = ("targets", target, "targetPeriodDefaultValuesMap", MapKey(period_id), "id")
    async with make_editor(group, tmp_path).run_test(size=(120, 40)) as pilot:
        _screen, tree = await opened(pilot)
        tree.select_path(path)
        await wait_for(pilot, lambda: tree.cursor_path == path, f"the cursor on {path}")


async def test_an_edit_deep_in_a_lazy_branch_is_labelled(
    group: dict[str, Any], tmp_path: Path
) -> None:
    target = last_target(group)
    description: FieldPath = ("targets", target, "description")
    expression: FieldPath = ("targets", target, "expression")
    async with make_editor(group, tmp_path).run_test(size=(120, 40)) as pilot:
        screen, tree = await opened(pilot)
        assert screen.session is not None
        # Changed before its branch was ever built: labelled when it is.
        screen.session.set(expression, "currentTxn.value>4242")
        await pilot.pause()
        assert CHANGED_BELOW_MARK in tree.root.label.plain  # type: ignore[union-attr]
        # And changed through the editor, as a person would.
        await find(pilot, format_path(description))
        await wait_for(pilot, lambda: tree.cursor_path == description, "the cursor there")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.field_editor.is_open, "the inline editor")
        await pilot.press("ctrl+u", *"late target", "enter")
        await wait_for(
            pilot,
            lambda: screen.session is not None and screen.session.is_changed(description),
            "the edit",
        )
        await pilot.pause()
        for path in (description, expression):
            node = tree.node_for(path)
            assert node is not None
            assert node.label.plain.startswith(CHANGED_MARK), node.label.plain  # type: ignore[union-attr]
        assert "late target" in tree.node_for(description).label.plain  # type: ignore[union-attr]
        assert "4242" in tree.node_for(expression).label.plain  # type: ignore[union-attr]
        for ancestor in ((), ("targets",), ("targets", target)):
            node = tree.node_for(ancestor)
            assert node is not None
            assert node.label.plain.startswith(CHANGED_BELOW_MARK), (ancestor, node.label)  # type: ignore[union-attr]
        # Another target, not changed, is not marked.
        other = tree.node_for(("targets", ElementId(group["targets"][0]["id"])))
        assert other is not None
        assert not other.label.plain.startswith(CHANGED_BELOW_MARK)  # type: ignore[union-attr]


@pytest.mark.parametrize("started_by", ["expand", "jump"])
async def test_a_new_session_while_a_list_is_filling(
    group: dict[str, Any], tmp_path: Path, started_by: str
) -> None:
    async with make_editor(group, tmp_path).run_test(size=(120, 40)) as pilot:
        _screen, tree = await opened(pilot)
        periods = tree.node_for(("periods",))
        assert periods is not None
        start = {
            "expand": periods.expand,  # its NodeExpanded arrives after the new session is drawn
            "jump": lambda: tree.node_for(("periods", ElementId(group["periods"][0]["id"]))),
        }
        start[started_by]()
        # A jump fills the first chunk at once; an expand only later.
        assert (len(periods.children) > 0) == (started_by == "jump")
        smaller = make_group(400, 2, group_id=9001)
        tree.show_session(EditSession(smaller))  # before the chunks are done
        left_at = len(periods.children)
        assert left_at < PERIODS
        await pilot.pause()
        fresh = tree.node_for(("periods",))
        assert fresh is not None and fresh is not periods
        fresh.expand()
        await wait_for(pilot, lambda: len(fresh.children) == 400, "the new periods")
        await pilot.pause(0.1)
        assert len(fresh.children) == 400  # nothing from the old session added on top
        assert len(periods.children) == left_at  # the old list stopped filling
        assert fresh.children[0].data is not None
        assert fresh.children[0].data.path == ("periods", ElementId(smaller["periods"][0]["id"]))
        for period in smaller["periods"][::50]:
            node = tree.node_for(("periods", ElementId(period["id"])))
            assert node is not None and node.parent is fresh
