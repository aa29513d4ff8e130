"""A loopback HTTPS front for the stand-in server: it passes requests on, or fails them.

The stand-in's own ``faults`` switches act on every request of a kind (every GET, every
2xx reply); the front fails one method only, so that a test can load a group cleanly and
then meet the fault at the PUT, and it can do what a server cannot do to itself: stop
listening (connection refused), or present a certificate nobody trusts (a TLS failure,
as behind a TLS-inspecting proxy). Only 127.0.0.1 is ever used.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme

from tui.stub.server import StubServer

# How long a hung request waits at most before the front lets it go by itself.
HANG_LIMIT_SECONDS = 20.0


@dataclass(frozen=True)
class Reply:
    """Answer with this instead of passing the request on."""

    status: int
    body: bytes
    content_type: str = "application/json;charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Drop:
    """Close the connection without a word."""


@dataclass(frozen=True)
class Hang:
    """Say nothing until the front stops (the client's read timeout ends it)."""


@dataclass(frozen=True)
class Trickle:
    """Answer 200 with ``body``, one byte every ``every`` seconds (until the front stops)."""

    body: bytes
    every: float = 0.2


@dataclass(frozen=True)
class Flood:
    """Answer 200 with ``chunk`` sent ``count`` times, without a Content-Length, with
    ``headers`` (e.g. ``Content-Encoding: gzip`` for a body that grows when decompressed)."""

    chunk: bytes
    count: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Before:
    """Run ``call`` (e.g. ``stub.expire_tokens``), then pass the request on."""

    call: Callable[[], None]


@dataclass(frozen=True)
class Echo:
    """Refuse with ``status``, quoting back every header and the body received: what a
    careless gateway's debug page does, and how credentials end up in error messages."""

    status: int = 401
    html: bool = False


@dataclass(frozen=True)
class PassOnThenDrop:
    """Pass the request on (so the stand-in applies it), then drop the answer."""


Action = Reply | Drop | Hang | Trickle | Flood | Before | Echo | PassOnThenDrop


@dataclass
class Certificates:
    """A private CA the client is told about, and a certificate from one it is not."""

    ca_file: Path
    trusted: ssl.SSLContext
    untrusted: ssl.SSLContext


def make_certificates(folder: Path) -> Certificates:
    ca, stranger = trustme.CA(), trustme.CA()
    ca_file = folder / "private-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    trusted = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(trusted)
    untrusted = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    stranger.issue_cert("127.0.0.1", "localhost").configure_cert(untrusted)
    return Certificates(ca_file, trusted, untrusted)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, front: Front, port: int) -> None:
        self.front = front
        super().__init__(("127.0.0.1", port), _Handler)

    def get_request(self) -> tuple[Any, Any]:
        sock, address = super().get_request()
        context = self.front.tls
        if context is None:
            return sock, address
        sock.settimeout(5)
        try:  # a client that refuses the certificate fails here; the front carries on
            return context.wrap_socket(sock, server_side=True), address
        except (OSError, ssl.SSLError):
            sock.close()
            raise

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (its read timeout) is expected here


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        front = self.server.front
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        front.seen.append(self.command)
        action = front.action_for(self.command)
        if isinstance(action, Reply):
            self._answer(action.status, action.body, action.content_type, action.headers)
        elif isinstance(action, Echo):
            said = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
            said += f"; body: {body.decode('utf-8', 'replace')}"
            if action.html:
                page = f"<html><title>Denied</title><body>{said}</body></html>".encode()
                self._answer(action.status, page, "text/html", {})
            else:
                errors = [{"code": 401, "message": f"refused the request with {said}"}]
                reply = json.dumps({"data": None, "errors": errors}).encode()
                self._answer(action.status, reply, "application/json", {})
        elif isinstance(action, Drop):
            self._drop()
        elif isinstance(action, Hang):
            front.released.wait(HANG_LIMIT_SECONDS)
            self._drop()
        elif isinstance(action, Trickle):
            self._trickle(action)
        elif isinstance(action, Flood):
            self._flood(action)
        else:
            if isinstance(action, Before):
                action.call()
            answer = front.pass_on(self.command, self.path, dict(self.headers.items()), body)
            if answer is None or isinstance(action, PassOnThenDrop):
                self._drop()
            else:
                self._answer(*answer)

    def _answer(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self, action: Trickle) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(action.body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client hung up: what a trickle is for
            for byte in action.body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                if self.server.front.released.wait(action.every):
                    break
        self.close_connection = True

    def _flood(self, action: Flood) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        for name, value in action.headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        with contextlib.suppress(OSError):  # the client stopped reading: what a limit is for
            for _ in range(action.count):
                self.wfile.write(action.chunk)
        self.close_connection = True

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class Front:
    """``https://127.0.0.1:PORT`` in front of ``stub``; ``fail(method, action)`` arms it."""

    def __init__(self, stub: StubServer, tls: ssl.SSLContext | None = None) -> None:
        self.stub = stub
        self.tls = tls
        self.port = 0
        self.seen: list[str] = []
        self.released = threading.Event()
        self._rules: dict[str, tuple[Action, bool]] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def listening(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> Front:
        self.released.clear()
        self._server = _Server(self, self.port)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def refuse(self) -> None:
        """Stop listening: a connection now is refused. ``start()`` listens again, same port."""
        self.stop()

    # --- what to do ----------------------------------------------------------------------

    def fail(self, method: str, action: Action, *, once: bool = False) -> None:
        """Meet every request of ``method`` with ``action`` (only the next one if ``once``)."""
        with self._lock:
            self._rules[method] = (action, once)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def action_for(self, method: str) -> Action | None:
        with self._lock:
            rule = self._rules.get(method)
            if rule is None:
                return None
            action, once = rule
            if once:
                del self._rules[method]
            return action

    def pass_on(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, str, dict[str, str]] | None:
        """The stand-in's answer, or None when it dropped the connection or did not answer."""
        kept = {k: v for k, v in headers.items() if k.lower() not in ("host", "connection")}
        connection = http.client.HTTPConnection(self.stub.host, self.stub.port, timeout=10)
        try:
            connection.request(method, path, body=body or None, headers=kept)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            return None
        finally:
            connection.close()
        extra = {k: v for k, v in response.getheaders() if k.lower() == "retry-after"}
        content_type = response.getheader("Content-Type") or "application/json"
        return response.status, payload, content_type, extra


# --- driving the editor as a person would ------------------------------------------------


async def edit_field(pilot: Any, path_text: str, value: str) -> None:
    """``/`` the path, enter (unless the cursor is on it); enter to edit, the value, enter.

    The find box and the inline editor get their text in one go rather than a key per
    character: each key costs the Pilot a wait for idle, and what is tested here is
    what happens to the edit, not the typing.
    """
    from app_support import editor, wait_for
    from textual.widgets import Input

    from tui.fields.paths import format_path

    screen = editor(pilot.app)

    def on_it() -> bool:
        return format_path(screen.group_tree.cursor_path or ()) == path_text

    if not on_it():
        await pilot.press("slash")
        find = screen.query_one("#find", Input)
        await wait_for(pilot, lambda: find.has_focus, "the find box")
        find.value = path_text
        await pilot.press("enter")
        await wait_for(pilot, on_it, f"the cursor on {path_text}")
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.field_editor.is_open, "the inline editor")
    screen.field_editor.input.value = value
    await pilot.press("enter")
    await wait_for(pilot, lambda: not screen.field_editor.is_open, "the edit to be committed")


async def submit(pilot: Any) -> None:
    """ctrl+s, then y in the confirmation."""
    from app_support import wait_for

    from tui.app.screens.submit import ConfirmSubmit

    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmSubmit), "the confirmation")
    await pilot.press("y")


def quicker_pilot(monkeypatch: Any) -> None:
    """The Pilot waits for the app to go idle after each key in 20 ms slices; 5 ms slices
    give the same answer sooner (the test suite runs hundreds of keys)."""
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.005)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 0.00025)
