"""Shared fixtures: a fresh stand-in API server per test, and a connection to it.

Other test files use ``stub`` and ``stub_connection`` by name: keep them.

Every test also gets its own XDG folders and the quicker Pilot (below). The suite runs
in parallel (pytest-xdist, see pyproject's addopts): a test shares nothing with another
but what an ``xdist_group`` mark says runs on one worker, one test at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_support import quicker_pilot

from tui.api.auth import BasicAuth
from tui.api.connection import Connection, Timeouts
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer


@pytest.fixture(autouse=True)
def _quicker_pilot(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Pilot waits for idle in 5 ms slices rather than 20 ms: the same answer sooner.

    A test waits for what it needs with ``wait_for``. Not for the snapshots (marked
    ``textual_idle_waits``): a picture is taken after a plain ``pause()``, and in 5 ms
    slices on a busy machine a frame was now and then not drawn yet.
    """
    if request.node.get_closest_marker("textual_idle_waits") is None:
        quicker_pilot(monkeypatch)


@pytest.fixture(autouse=True)
def _private_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Config, state, data and cache folders of this test's own, for tgedit in-process and
    for every process a test starts: no test reads the runner's files or another test's.

    And no COLUMNS or LINES: an xdist worker sets them to 80×24, and Textual takes them
    over the terminal's real size (tgedit in a 120×40 tmux pane would draw 80×24)."""
    for kind in ("CONFIG", "STATE", "DATA", "CACHE"):
        monkeypatch.setenv(f"XDG_{kind}_HOME", str(tmp_path / "xdg" / kind.lower()))
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture
def stub() -> Iterator[StubServer]:
    """A running StubServer on 127.0.0.1 with the sample groups (2762, 18044, 2310, 2306).

    Credentials: Basic demo/demo; OAuth demo-key/demo-secret.
    """
    server = StubServer(
        groups=sample_groups(),
        port=0,
        username="demo",
        password="demo",
        client_key="demo-key",
        client_secret="demo-secret",
        token_ttl=3600,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def stub_connection(stub: StubServer) -> Connection:
    """A Connection to ``stub`` with Basic auth demo/demo and short timeouts."""
    return Connection(
        base_url=stub.base_url,
        auth=BasicAuth("demo", "demo"),
        timeouts=Timeouts(connect=2.0, read=5.0),
    )


class RecordingSleep:
    """A stand-in for asyncio.sleep that returns at once and remembers each delay."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def no_sleep() -> RecordingSleep:
    """Pass as ``TargetGroupClient(..., sleep=no_sleep)``: retries without waiting."""
    return RecordingSleep()
