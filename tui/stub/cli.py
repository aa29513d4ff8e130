"""``tgedit stub``: run the stand-in API in the foreground until Ctrl-C."""

from __future__ import annotations

import errno
import signal
import sys
import threading
from typing import TextIO

from tui.stub.samples import load_groups, sample_groups
from tui.stub.server import StubServer
from tui.terminal_text import visible

DEMO_CREDENTIALS = {
    "username": "demo",
    "password": "demo",
    "client_key": "demo-key",
    "client_secret": "demo-secret",
}


def _echo_requests(server: StubServer, shown: int, out: TextIO) -> int:
    """One line per request received, with the body of a PUT exactly as it arrived."""
    received = server.received
    for request in received[shown:]:
        line = f"{request.method} {request.path}"
        if request.method == "PUT":
            line += "  body: " + request.body.decode("utf-8", "replace")
        print(visible(line, keep_newlines=False), file=out, flush=True)
    return len(received)


def serve_forever_cli(
    port: int = 0,
    data_file: str | None = None,
    *,
    out: TextIO | None = None,
    stop: threading.Event | None = None,
    delay: float = 0.0,
    rate_limit: float | None = None,
) -> int:
    """Serve until Ctrl-C (or ``stop`` is set); returns the exit code (2: bad data file).

    Prints the base URL and the demo credentials, so that another terminal can run
    ``tgedit edit --base-url … --username demo --password demo``. ``delay``: seconds
    every reply waits (``faults.delay``), to try the editor against a distant API;
    ``rate_limit``: requests a second above which it answers 429 (``tui.stub.load``).
    When it stops it says how busy it was: the most requests in flight at once, and with
    a rate limit how many were refused and how many arrived during a pause.
    """
    out = out or sys.stdout
    try:
        groups = load_groups(data_file) if data_file else sample_groups()
    except ValueError as error:
        print(f"tgedit stub: {error}", file=sys.stderr)
        return 2
    server = StubServer(
        groups,
        port=port,
        username=DEMO_CREDENTIALS["username"],
        password=DEMO_CREDENTIALS["password"],
        client_key=DEMO_CREDENTIALS["client_key"],
        client_secret=DEMO_CREDENTIALS["client_secret"],
    )
    server.faults.delay = delay
    server.load.per_second = rate_limit
    try:
        server.start()
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            said = f"port {port} of 127.0.0.1 is in use; --port 0 picks a free one"
        else:
            said = f"cannot listen on 127.0.0.1:{port}: {error.strerror}"
        print(f"tgedit stub: {said}", file=sys.stderr)
        return 2
    ids = ", ".join(str(i) for i in server.store.ids())
    print(
        f"stand-in target-group API at {server.base_url}\n"
        f"  target groups: {ids}\n"
        f"  Basic auth:    --username demo --password demo\n"
        f"  OAuth:         --client-key demo-key --client-secret demo-secret\n"
        f"  try:           tgedit edit --base-url {server.base_url} --username demo"
        " --password demo\n"
        + (f"  every reply {delay * 1000:.0f} ms late (--delay-ms)\n" if delay > 0 else "")
        + (
            f"  429 above {rate_limit:g} requests a second (--rate-limit)\n"
            if rate_limit is not None
            else ""
        )
        + "Ctrl-C stops it.",
        file=out,
        flush=True,
    )
    waiter = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) stops it as cleanly as Ctrl-C, also when started with `&`.
        signal.signal(signal.SIGTERM, lambda *_: waiter.set())
    shown = 0
    try:
        while not waiter.wait(0.2):
            shown = _echo_requests(server, shown, out)
        _echo_requests(server, shown, out)
    except KeyboardInterrupt:
        print("stopped", file=out)
    finally:
        server.stop()
        _report_load(server, out)
    return 0


def _report_load(server: StubServer, out: TextIO) -> None:
    load = server.load
    line = f"at most {load.peak_in_flight} request(s) in flight at once"
    if load.per_second is not None:
        line += (
            f"; {load.limited} answered 429 (rate limit),"
            f" {load.during_pause} arrived during a pause"
        )
    print(line, file=out, flush=True)
