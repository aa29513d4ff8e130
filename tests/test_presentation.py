"""``tgedit show`` and the editor's tree name every part of a group with the same words."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from app_support import loaded, make_app
from cli_support import (  # noqa: F401 (the fixtures clean_env and on_stub)
    clean_env_fixture,
    on_stub_fixture,
    run_with,
)

from tui.fields.marks import READ_ONLY_MARK
from tui.fields.paths import ElementId, FieldPath, Index, MapKey, format_path
from tui.stub.server import StubServer

GROUP = 18044  # periods, streaks, a target with default values
TARGET = ElementId(33502)


def with_every_kind_of_title(stub: StubServer) -> list[FieldPath]:
    """Group 18044 with an inactive period, a filter and a default-value map, on the server."""
    group = stub.group(GROUP)
    periods = group["periods"]
    periods[1]["active"] = False
    targets = group["targets"]
    targets[0]["filters"] = [{"entityType": "CUSTOMER_LABEL", "entityIds": [7, 8, 9]}]
    targets[0]["targetPeriodDefaultValuesMap"] = {
        "22057": {"id": 39359, "periodId": 22057, "defaultValue": 1.0}
    }
    stub.edit_as_someone_else(GROUP, periods=periods, targets=targets)
    return [
        ("periods", ElementId(22057)),
        ("periods", ElementId(22058)),
        ("streaks", ElementId(1415)),
        ("streaks", ElementId(1416)),
        ("targets", TARGET),
        ("targets", TARGET, "defaultValues", ElementId(39359)),
        ("targets", TARGET, "defaultValues", ElementId(39360)),
        ("targets", TARGET, "targetPeriodDefaultValuesMap", MapKey("22057")),
        ("targets", TARGET, "filters", Index(0)),
    ]


async def test_show_and_the_editor_give_each_element_the_same_title(
    on_stub: StubServer, tmp_path: Path
) -> None:
    paths = with_every_kind_of_title(on_stub)
    # In a thread: show runs its own event loop.
    run = await asyncio.to_thread(run_with, ["show", str(GROUP)])
    assert run.code == 0, run.err
    shown = [line.strip() for line in run.out.splitlines()]

    app = make_app(on_stub, tmp_path, group_id=GROUP)
    async with app.run_test(size=(120, 40)) as pilot:
        tree = (await loaded(pilot)).group_tree
        in_the_editor = {}
        for path in paths:
            node = tree.node_for(path)
            assert node is not None, format_path(path)
            in_the_editor[path] = node.label.plain  # type: ignore[union-attr]

    for path, label in in_the_editor.items():
        # show adds where a target is, so that `tgedit set` can be typed from it.
        suffix = f"   ({format_path(path)})" if path == ("targets", TARGET) else ""
        assert label.strip() + suffix in shown, (label, run.out)
    # The wording both agree on, where the two used to differ:
    assert in_the_editor[paths[1]] == (
        f"{READ_ONLY_MARK}22058 · period45 · 2024-11-18 → 2024-11-20 · NOT_STARTED · inactive"
    )
    assert in_the_editor[paths[-1]].endswith("CUSTOMER_LABEL · 3 ids")
    # show has no second place for a filter's ids: they follow its title, on one line.
    assert re.search(r"entityIds: +\[7, 8, 9\]$", run.out, re.MULTILINE)
