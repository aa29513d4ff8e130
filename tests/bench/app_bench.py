"""One group, measured in a fresh process: open the editor, keys, expand, body, parse, RSS.

``python tests/bench/app_bench.py GROUP.json`` prints one JSON object. The editor is the
real ``TgEditApp``, run headless (``run_test``) on an ``EditSession`` of the group, as
``tgedit edit --file`` opens it. A frame counts as done when Textual hands the
compositor's update to its driver; the hook then also renders that update to terminal
bytes, so the work a real terminal driver adds is counted too.

The peak RSS is read twice: right after the editor ran (the editor's own footprint)
and at the end, after the model validation (pydantic) and the body timings have run.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# A key is pressed once the screen has settled (no frame for SETTLED s), as Pilot.press
# waits for idle; then a burst at key-repeat rate (KEY_REPEAT apart, 30 a second), when a
# key can land on the frames still due for the one before. Textual draws at most 60
# frames a second: a key within 1/60 s of the last frame waits for the next one.
SETTLED = 0.05
KEY_REPEAT = 1 / 30
KEYS_AT_TOP = 20
KEYS_IN_PERIODS = 40
KEYS_REPEATED = 40


def load_group(path: str | Path) -> dict[str, Any]:
    """A group from a JSON file: a bare group or a reply envelope (``{"data": …}``)."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(document, dict) and "data" in document and "id" not in document:
        document = document["data"]
    assert isinstance(document, dict)
    return document


def _median_ms(samples: list[float]) -> float:
    return 1000 * statistics.median(samples)


def time_body_and_diff(group: dict[str, Any], repeats: int = 7) -> dict[str, float]:
    """Ten edits on editable fields, then the PUT body text and the diff."""
    from tui.fields.paths import ElementId
    from tui.session.edit import EditSession

    session = EditSession(group)
    targets = [t["id"] for t in group.get("targets") or []]
    edits: list[tuple[Any, Any]] = [
        (("name",), "renamed by the benchmark"),
        (("description",), "changed"),
        (("preferredTillId",), 12345),
    ]
    for number, target_id in enumerate(reversed(targets)):
        if len(edits) >= 10:
            break
        field = "description" if number % 2 == 0 else "expression"
        value = f"edit {number}" if field == "description" else f"currentTxn.value>{number + 1}"
        edits.append((("targets", ElementId(target_id), field), value))
    started = time.perf_counter()
    for path, value in edits:
        session.set(path, value)
    set_ms = 1000 * (time.perf_counter() - started)
    body: list[float] = []
    full: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        session.body_text()
        session.changes()
        body.append(time.perf_counter() - started)
        started = time.perf_counter()
        session.body_text("full")
        full.append(time.perf_counter() - started)
    return {
        "edits": float(len(edits)),
        "ten_sets_ms": set_ms,
        "body_diff_ms": _median_ms(body),
        "full_body_ms": _median_ms(full),
    }


class FrameClock:
    """Timestamps of the frames the app hands to its driver."""

    def __init__(self, app: Any) -> None:
        self.frames: list[float] = []
        self._event = asyncio.Event()
        original: Callable[[Any, Any], None] = app._display
        console = app.console

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            render = getattr(renderable, "render_segments", None)
            if render is not None:
                render(console)  # what a terminal driver would write
            self.frames.append(time.perf_counter())
            self._event.set()

        app._display = display

    async def next_after(self, count: int, timeout: float = 5.0) -> float | None:
        deadline = time.perf_counter() + timeout
        while len(self.frames) <= count:
            self._event.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except TimeoutError:
                return None
        return self.frames[count]


async def time_editor(group: dict[str, Any]) -> dict[str, float]:
    from textual import events

    from tui.app import collector
    from tui.app.app import TgEditApp
    from tui.app.screens.editor import EditorScreen
    from tui.session.draft import DraftStore
    from tui.session.edit import EditSession
    from tui.session.remote import GroupService

    collector.pause()  # as run_editor does; the app resumes it at its first frame
    started = time.perf_counter()
    session = EditSession(group)
    session_ms = 1000 * (time.perf_counter() - started)
    result: dict[str, float] = {"session_ms": session_ms}
    with tempfile.TemporaryDirectory(prefix="tgedit-bench-") as scratch:
        created = time.perf_counter()
        app = TgEditApp(
            service=GroupService(None), drafts=DraftStore(Path(scratch)), session=session
        )
        clock = FrameClock(app)
        async with app.run_test(size=(120, 40)) as pilot:
            first_frame = await clock.next_after(0, timeout=30)
            assert first_frame is not None, "no first frame"
            result["first_frame_ms"] = 1000 * (first_frame - created)
            screen = app.screen
            assert isinstance(screen, EditorScreen)
            tree = screen.group_tree
            result["nodes_at_open"] = float(len(tree._tree_nodes))
            await pilot.pause(0.2)

            scrolled: list[float] = []
            pressed = time.perf_counter()
            driver = app._driver
            assert driver is not None

            async def key_to_frame(key: str, *, settle: bool = True) -> float:
                if settle:
                    while time.perf_counter() - max(clock.frames[-1], pressed) < SETTLED:
                        await asyncio.sleep(0.005)
                else:
                    await asyncio.sleep(max(0.0, pressed + KEY_REPEAT - time.perf_counter()))
                return await press(key)

            async def press(key: str) -> float:
                nonlocal pressed
                count = len(clock.frames)
                offset = tree.scroll_offset.y
                pressed = time.perf_counter()
                driver.send_message(events.Key(key, None))  # as the driver's reader does
                shown = await clock.next_after(count)
                if shown is None:
                    raise AssertionError(f"no frame after {key!r}")
                if tree.scroll_offset.y != offset:
                    scrolled.append(shown - pressed)
                return shown - pressed

            def room(keys: int) -> int:  # a down on the last line draws nothing
                return min(keys, tree.last_line - tree.cursor_line)

            moves = [await key_to_frame("down") for _ in range(room(KEYS_AT_TOP))]

            # Expand the periods.
            periods = tree.node_for(("periods",))
            expected = len(group.get("periods") or [])
            if periods is not None and expected:
                tree.move_cursor(periods)
                await pilot.pause(0.1)
                result["expand_first_frame_ms"] = 1000 * await key_to_frame("right")
                while len(periods.children) < expected:
                    await asyncio.sleep(0.001)
                    if time.perf_counter() - pressed > 30:
                        raise AssertionError("the periods never filled")
                done = time.perf_counter()
                result["expand_all_children_ms"] = 1000 * (done - pressed)
                await pilot.pause(0.1)
                # Down through the open periods (a long list of lines).
                moves += [await key_to_frame("down") for _ in range(room(KEYS_IN_PERIODS))]
            settled_scrolls = list(scrolled)
            scrolled.clear()
            # A burst at key-repeat rate, back up.
            repeat = min(KEYS_REPEATED, tree.cursor_line)
            burst = [await key_to_frame("up", settle=False) for _ in range(repeat)]
            if burst:
                result["key_repeat_ms"] = _median_ms(burst)
                result["key_repeat_p90_ms"] = 1000 * statistics.quantiles(burst, n=10)[-1]
            scrolled[:] = settled_scrolls
            result["key_to_frame_ms"] = _median_ms(moves)
            result["key_to_frame_max_ms"] = 1000 * max(moves)
            result["key_to_frame_p90_ms"] = 1000 * statistics.quantiles(moves, n=10)[-1]
            result["scrolling_keys"] = float(len(scrolled))
            if scrolled:
                result["key_to_frame_scrolling_ms"] = _median_ms(scrolled)
            result["nodes_after_expand"] = float(len(tree._tree_nodes))
            await pilot.pause(0.05)
            result["find_ms"] = await time_find(app, clock, tree, find_query(group))
            await pilot.pause(0.05)
    return result


def find_query(group: dict[str, Any]) -> str:
    """Text whose first match is far into the group: the last target's description."""
    targets = [t for t in group.get("targets") or [] if isinstance(t, dict)]
    for target in reversed(targets):
        if isinstance(target.get("description"), str) and target["description"]:
            return str(target["description"])
    return str(group.get("name"))


async def time_find(app: Any, clock: FrameClock, tree: Any, query: str) -> float:
    """``/``, the text, ``enter``: ms from the enter to the first frame with the cursor on
    the first match. The find opens a second after the first frame, as a person would."""
    from textual import events
    from textual.widgets import Input

    await asyncio.sleep(max(0.0, clock.frames[0] + 1.0 - time.perf_counter()))
    screen = app.screen
    screen.action_find()
    screen.query_one("#find", Input).value = query
    await asyncio.sleep(0.05)
    before = tree.cursor_path
    count = len(clock.frames)
    pressed = time.perf_counter()
    app._driver.send_message(events.Key("enter", None))
    deadline = pressed + 60
    while tree.cursor_path == before and time.perf_counter() < deadline:
        await asyncio.sleep(0.001)
        count = len(clock.frames)
    moved = tree.cursor_path != before
    shown = await clock.next_after(count)
    if not moved or shown is None:
        raise AssertionError(f"find {query!r} never moved the cursor")
    return 1000 * (shown - pressed)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(path: str) -> dict[str, Any]:
    started = time.perf_counter()
    group = load_group(path)
    row: dict[str, Any] = {"load_ms": 1000 * (time.perf_counter() - started)}
    row.update(asyncio.run(time_editor(group)))
    row["editor_peak_rss_mb"] = _peak_rss_mb()
    from tui.model.check import check_group

    started = time.perf_counter()
    check_group(group, source="the bench")
    row["parse_ms"] = 1000 * (time.perf_counter() - started)
    row.update(time_body_and_diff(group))
    row["leaves"] = _count_leaves(group)
    row["peak_rss_mb"] = _peak_rss_mb()
    return row


def _count_leaves(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_count_leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_leaves(v) for v in value)
    return 1


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))
