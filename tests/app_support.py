"""Helpers for driving the real editor against the stand-in server in tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot

from tui.api.auth import BasicAuth
from tui.api.connection import Connection
from tui.app.app import TgEditApp
from tui.app.screens.editor import EditorScreen
from tui.session.draft import DraftStore
from tui.session.remote import GroupService

# What the header shows in snapshot tests: the stand-in's real port changes every run.
SHOWN_BASE_URL = "https://eu.api.capillarytech.com"


class LoopbackTransport(httpx.AsyncBaseTransport):
    """Real HTTP to the stand-in on 127.0.0.1, under a fixed base URL so screens are stable."""

    def __init__(self, real_base_url: str) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._real = httpx.URL(real_base_url)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self._real.scheme, host=self._real.host, port=self._real.port
        )
        request.headers["Host"] = f"{self._real.host}:{self._real.port}"
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def make_app(
    stub: Any,
    state_dir: Path,
    *,
    group_id: int | None = 2762,
    stable_url: bool = False,
    editor_id: str | None = None,
    **kwargs: Any,
) -> TgEditApp:
    base_url = SHOWN_BASE_URL if stable_url else stub.base_url
    transport = LoopbackTransport(stub.base_url) if stable_url else None
    service = GroupService(
        Connection(base_url=base_url, auth=BasicAuth("demo", "demo")), transport=transport
    )
    return TgEditApp(
        service=service,
        drafts=DraftStore(state_dir / "drafts", editor=editor_id),
        group_id=group_id,
        **kwargs,
    )


def offline_app(file: Path, state_dir: Path) -> TgEditApp:
    """The editor as ``tgedit edit --file FILE`` opens it: no server, drafts in state_dir."""
    from tui.app.run import load_group_file
    from tui.session.edit import EditSession

    return TgEditApp(
        service=GroupService(None),
        drafts=DraftStore(state_dir / "drafts"),
        session=EditSession(load_group_file(file)),
        file=file,
    )


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], Any], what: str, timeout: float = 10.0
) -> None:
    """Poll a condition between frames; fail with ``what`` if it never holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


def screen_text(app: Any) -> str:
    """The screen as a person reads it: the lines the compositor draws, overlays, dialogs
    and toasts included (not widget values, which may be hidden or covered)."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


async def wait_for_text(pilot: Pilot[Any], text: str, timeout: float = 10.0) -> str:
    """Wait until ``text`` is on screen; fail with the screen as it is if it never comes."""
    deadline = time.monotonic() + timeout
    while text not in (shown := screen_text(pilot.app)):
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never reached the screen:\n{shown}")
        await pilot.pause(0.02)
    return shown


def rows_inside(app: Any, widget: Any) -> list[str]:
    """The screen's rows as drawn, cut to the inside of ``widget``'s border: what the
    screen shows there, whoever drew it (no wide characters left of it, as in the tests)."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    box = widget.content_region
    return [lines[y][box.x : box.right] for y in range(box.y, box.bottom)]


def toasts_shown(app: Any) -> list[str]:
    """The text of each toast on screen, its wrapped lines joined by one space (a long
    sentence or path wraps in a toast)."""
    from textual.widgets._toast import Toast

    return [" ".join(" ".join(rows_inside(app, t)).split()) for t in app.screen.query(Toast)]


async def wait_for_toast(pilot: Pilot[Any], text: str, timeout: float = 10.0) -> str:
    """Wait until a toast on screen says ``text`` (spaces as wrapped); return that toast."""
    deadline = time.monotonic() + timeout
    while not (found := [t for t in toasts_shown(pilot.app) if text in t]):
        if time.monotonic() > deadline:
            raise AssertionError(f"no toast said {text!r}; shown: {toasts_shown(pilot.app)}")
        await pilot.pause(0.02)
    return found[0]


def editor(app: TgEditApp) -> EditorScreen:
    screen = next((s for s in reversed(app.screen_stack) if isinstance(s, EditorScreen)), None)
    assert screen is not None, "no editor screen"
    return screen


async def loaded(pilot: Pilot[Any]) -> EditorScreen:
    app = pilot.app
    assert isinstance(app, TgEditApp)
    await wait_for(
        pilot,
        lambda: any(isinstance(s, EditorScreen) and s.session for s in app.screen_stack),
        "the group to load",
    )
    await pilot.pause()
    return editor(app)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await asyncio.sleep(0)


async def go_to(pilot: Pilot[Any], path_text: str) -> None:
    """As a person would: ``/``, the field path, enter; then wait for the cursor on it."""
    from tui.fields.paths import format_path, parse_path

    target = parse_path(path_text)
    await pilot.press("slash", *path_text, "enter")
    await wait_for(
        pilot,
        lambda: editor(pilot.app).group_tree.cursor_path == target,
        f"the cursor on {format_path(target)}",
    )
