"""The editor's first GET, started before the app (``tui.session.prefetch``).

The reply is handed to the editor when it mounts and its shape is checked only
after the group is on screen: a group of the wrong shape is then taken away with the
error a checked fetch shows, and a failed prefetch shows the fetch's own error dialog.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_support import editor, loaded, screen_text, wait_for

from tui.api.auth import BasicAuth
from tui.api.connection import Connection
from tui.api.errors import MalformedReply
from tui.app.app import TgEditApp
from tui.app.screens.dialogs import ErrorDialog
from tui.session.draft import DraftStore
from tui.session.edit import EditSession
from tui.session.prefetch import Prefetch
from tui.session.remote import GroupService
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer

WRONG_SHAPE = 2762  # its name is made a number below


@pytest.fixture
def wrong_stub() -> Iterator[StubServer]:
    """The samples, with 2762's name a number: the API promises a string."""
    groups = sample_groups()
    broken = copy.deepcopy(next(g for g in groups if g["id"] == WRONG_SHAPE))
    broken["name"] = 5
    others = [g for g in groups if g["id"] != WRONG_SHAPE]
    with StubServer(groups=[broken, *others], port=0) as server:
        yield server


def app_for(stub: StubServer, tmp_path: Path, group_id: int, *, prefetched: bool) -> TgEditApp:
    connection = Connection(base_url=stub.base_url, auth=BasicAuth("demo", "demo"))
    prefetch = Prefetch(connection, group_id).start() if prefetched else None
    return TgEditApp(
        service=GroupService(connection, prefetch=prefetch),
        drafts=DraftStore(tmp_path / "drafts"),
        group_id=group_id,
    )


async def dialog_text(app: TgEditApp) -> str:
    """Open the editor and return the text of the error dialog it shows."""
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), "the error dialog")
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        text = dialog.text
        await pilot.press("escape")
        await pilot.pause()
        assert editor(app).session is None
        assert app.is_running
    return text


async def test_a_prefetched_group_is_shown_without_a_second_get(
    stub: StubServer, tmp_path: Path
) -> None:
    app = app_for(stub, tmp_path, 2762, prefetched=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        assert screen.session is not None and screen.session.group_id == 2762
        await app.workers.wait_for_complete()
        assert len(stub.requests("GET", "/v3/targetGroups/2762")) == 1


async def test_a_prefetch_in_before_the_editor_mounts_is_in_the_very_first_frame(
    stub: StubServer, tmp_path: Path
) -> None:
    """No frame of an empty editor first: the frame that shows the group is the first."""
    app = app_for(stub, tmp_path, 2762, prefetched=True)
    prefetch = app.service._prefetch
    assert prefetch is not None
    await prefetch.reply()  # in before the app starts, as when Textual's import was slower
    frames: list[str] = []
    display = app._display  # the frames the app hands to its driver (no public hook)

    def record(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        if renderable is not None and not app._batch_count:
            frames.append(screen_text(app))

    app._display = record  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await wait_for(pilot, lambda: frames, "a frame")
    assert "Target group 2762" in frames[0], frames[0]
    assert "Fetching" not in frames[0]


async def test_a_group_of_the_wrong_shape_is_taken_away_with_the_fetch_error(
    wrong_stub: StubServer, tmp_path: Path
) -> None:
    checked_first = await dialog_text(app_for(wrong_stub, tmp_path, WRONG_SHAPE, prefetched=False))
    checked_after = await dialog_text(app_for(wrong_stub, tmp_path, WRONG_SHAPE, prefetched=True))
    assert checked_after == checked_first
    assert checked_after.startswith(f"Could not fetch group {WRONG_SHAPE}\n")
    assert "wrong shape" in checked_after and "name" in checked_after


async def test_a_failed_prefetch_shows_the_same_error_as_a_fetch(
    stub: StubServer, tmp_path: Path
) -> None:
    missing = 424242
    fetched = await dialog_text(app_for(stub, tmp_path, missing, prefetched=False))
    prefetched = await dialog_text(app_for(stub, tmp_path, missing, prefetched=True))
    assert prefetched == fetched
    assert fetched.startswith(f"Could not fetch group {missing}\n")


async def test_a_submit_over_a_group_of_the_wrong_shape_sends_no_put(
    wrong_stub: StubServer, tmp_path: Path
) -> None:
    connection = Connection(base_url=wrong_stub.base_url, auth=BasicAuth("demo", "demo"))
    service = GroupService(connection, prefetch=Prefetch(connection, WRONG_SHAPE).start())
    fetched = await service.fetch(WRONG_SHAPE)
    session = EditSession(fetched.group)
    session.set(("description",), "changed")
    with pytest.raises(MalformedReply, match="wrong shape"):
        await service.submit(session, "minimal")
    await service.aclose()
    assert wrong_stub.requests("PUT") == []


async def test_the_first_get_the_conflict_check_and_the_put_leave_through_one_send_loop(
    stub: StubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every request of an editing session is an ``Exchange`` step of the one send loop
    (``_send_steps``, whichever driver runs it): the prefetch thread's GET (driven blocking)
    included, and each exchange is one its driver did."""
    from fault_support import edit_field, quicker_pilot, submit

    import tui.api.client
    from tui.api.client import BlockingClient, Exchange, TargetGroupClient

    quicker_pilot(monkeypatch)
    sent: list[str] = []
    stepped: list[str] = []

    @dataclasses.dataclass(slots=True)
    class RecordedExchange(Exchange):
        def __post_init__(self) -> None:
            path = self.attempt.url.removeprefix(stub.base_url).split("?")[0]
            stepped.append(f"{self.attempt.method} {path}")

    monkeypatch.setattr(tui.api.client, "Exchange", RecordedExchange)
    for driver in (BlockingClient, TargetGroupClient):
        exchange = driver._exchange

        def recorded(self: Any, http: Any, step: Any, *, _exchange: Any = exchange) -> Any:
            assert isinstance(step, RecordedExchange)  # made by the send loop
            path = step.attempt.url.removeprefix(stub.base_url).split("?")[0]
            sent.append(f"{type(self).__name__} {step.attempt.method} {path}")
            return _exchange(self, http, step)

        monkeypatch.setattr(driver, "_exchange", recorded)
    app = app_for(stub, tmp_path, 2762, prefetched=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await edit_field(pilot, "name", "Sent through the one loop")
        await submit(pilot)
        await wait_for(pilot, lambda: bool(stub.requests("PUT")), "the PUT")
        await app.workers.wait_for_complete()
    group = "/v3/targetGroups/2762"
    assert stepped == [f"GET {group}", f"GET {group}", "PUT /v3/targetGroups/editTargetGroup/2762"]
    assert sent == [
        f"BlockingClient GET {group}",
        f"TargetGroupClient GET {group}",
        "TargetGroupClient PUT /v3/targetGroups/editTargetGroup/2762",
    ]
    # And nothing reached the server another way.
    assert [f"{r.method} {r.path}" for r in stub.received] == stepped
    assert stub.group(2762)["name"] == "Sent through the one loop"
