"""Shared fixtures: a fresh stand-in API server per test, and a connection to it.

Other test files use ``stub`` and ``stub_connection`` by name: keep them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tui.api import BasicAuth, Connection, Timeouts
from tui.stub import StubServer, sample_groups


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
