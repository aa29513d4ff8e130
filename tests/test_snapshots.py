"""Snapshots of the screens people look at, at 120×40 and 80×24.

Update after a deliberate change with `pytest tests/test_snapshots.py --snapshot-update`,
then look at the SVGs (tests/__snapshots__/) before committing them.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from app_support import make_app
from scenes import PREPARE, SCENES

from tui.stub import StubServer


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("scene", list(SCENES))
def test_screen(
    snap_compare: Any, stub: StubServer, tmp_path: Path, scene: str, size: tuple[int, int]
) -> None:
    run, group_id = SCENES[scene]
    # The stand-in stamps edits with the time; a picture wants the same time every run.
    stub.store._clock = lambda: datetime(2026, 1, 1, 9, 30, tzinfo=UTC)
    # The error dialog names the draft file: keep its folder the same from run to run.
    state = Path(tempfile.gettempdir()) / "tgedit-snapshot-state"
    shutil.rmtree(state, ignore_errors=True)
    app = make_app(stub, state, group_id=group_id, stable_url=True)
    PREPARE.get(scene, lambda _stub, _drafts: None)(stub, app.drafts)

    async def before(pilot: Any) -> None:
        await run(pilot, stub)

    assert snap_compare(app, terminal_size=size, run_before=before)
