"""Write the README's screenshots (SVG) from the same scenes the snapshot tests check.

    python screenshots/make.py

Each scene runs the real editor against the stand-in API on 127.0.0.1 with the sample
groups, under a fixed base URL so the pictures do not change from run to run.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from app_support import make_app  # noqa: E402
from scenes import SCENES  # noqa: E402

from tui.stub.samples import sample_groups  # noqa: E402
from tui.stub.server import StubServer  # noqa: E402

SHOTS = {
    "main": (120, 40),
    "inline-edit": (120, 40),
    "preview": (120, 40),
    "confirm": (120, 40),
    "conflict": (120, 40),
    "error": (120, 40),
    "picker": (100, 20),
}


async def shoot(name: str, size: tuple[int, int]) -> Path:
    run, group_id = SCENES[name]
    server = StubServer(groups=sample_groups(), port=0)
    server.store._clock = lambda: datetime(2026, 1, 1, 9, 30, tzinfo=UTC)
    server.start()
    # A fixed folder: the error dialog names the draft file, and the picture should not
    # change from run to run.
    state = Path(tempfile.gettempdir()) / "tgedit-screenshot-state"
    shutil.rmtree(state, ignore_errors=True)
    try:
        app = make_app(server, state, group_id=group_id, stable_url=True, editor_id="5ee50000")
        async with app.run_test(size=size) as pilot:
            await run(pilot, server)
            await pilot.pause()
            return Path(app.save_screenshot(f"{name}.svg", str(HERE)))
    finally:
        server.stop()
        shutil.rmtree(state, ignore_errors=True)


def main() -> None:
    for name, size in SHOTS.items():
        print(asyncio.run(shoot(name, size)))


if __name__ == "__main__":
    main()
