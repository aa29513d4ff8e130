"""Snapshots of the screens people look at, at 120×40 and 80×24.

Update after a deliberate change with `pytest tests/test_snapshots.py --snapshot-update`,
then look at the SVGs (tests/__snapshots__/) before committing them.
"""

from __future__ import annotations

import fcntl
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from app_support import make_app
from scenes import PREPARE, SCENES

from tui.stub.server import StubServer

# One fixed state folder for every scene (the error dialog shows the draft's path): these
# run on one xdist worker, one at a time; with Textual's own idle waits (conftest).
pytestmark = [pytest.mark.xdist_group("snapshot-state"), pytest.mark.textual_idle_waits]


SIZES = {"120x40": (120, 40), "80x24": (80, 24)}
STATE = Path(tempfile.gettempdir()) / "tgedit-snapshot-state"


@pytest.fixture(scope="module", autouse=True)
def _one_suite_at_a_time() -> Iterator[None]:
    """Two checkouts testing at once would share STATE: the second waits for the first."""
    with open(Path(tempfile.gettempdir()) / "tgedit-snapshot-state.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.mark.parametrize("size", list(SIZES.values()), ids=list(SIZES))
@pytest.mark.parametrize("scene", list(SCENES))
def test_screen(
    snap_compare: Any, stub: StubServer, tmp_path: Path, scene: str, size: tuple[int, int]
) -> None:
    run, group_id = SCENES[scene]
    # The stand-in stamps edits with the time; a picture wants the same time every run.
    stub.store._clock = lambda: datetime(2026, 1, 1, 9, 30, tzinfo=UTC)
    # The error dialog names the draft file: keep its folder the same from run to run.
    shutil.rmtree(STATE, ignore_errors=True)
    # The draft's name holds its editor's id: the same from run to run too.
    app = make_app(stub, STATE, group_id=group_id, stable_url=True, editor_id="5ee50000")
    PREPARE.get(scene, lambda _stub, _drafts: None)(stub, app.drafts)

    async def before(pilot: Any) -> None:
        await run(pilot, stub)

    assert snap_compare(app, terminal_size=size, run_before=before)


def test_every_stored_picture_is_of_a_scene_and_size_still_tested() -> None:
    """Under xdist syrupy does not report a snapshot no test uses any more: this does."""
    stored = {
        svg.name for svg in (Path(__file__).parent / "__snapshots__" / "test_snapshots").iterdir()
    }
    expected = {f"test_screen[{scene}-{size}].svg" for scene in SCENES for size in SIZES}
    assert stored == expected
