"""``tgedit stub``: run the stand-in API in the foreground until Ctrl-C."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from tui.stub.samples import load_groups, sample_groups
from tui.stub.server import StubServer

DEMO_CREDENTIALS = {
    "username": "demo",
    "password": "demo",
    "client_key": "demo-key",
    "client_secret": "demo-secret",
}


def serve_forever_cli(
    port: int = 0,
    data_file: str | None = None,
    *,
    out: TextIO | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Serve until Ctrl-C (or ``stop`` is set); returns the exit code (2: bad data file).

    Prints the base URL and the demo credentials, so that another terminal can run
    ``tgedit edit --base-url … --username demo --password demo``.
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
    try:
        server.start()
    except OSError as error:
        print(f"tgedit stub: cannot listen on 127.0.0.1:{port}: {error.strerror}", file=sys.stderr)
        return 2
    ids = ", ".join(str(i) for i in server.store.ids())
    print(
        f"stand-in target-group API at {server.base_url}\n"
        f"  target groups: {ids}\n"
        f"  Basic auth:    --username demo --password demo\n"
        f"  OAuth:         --client-key demo-key --client-secret demo-secret\n"
        f"  try:           tgedit edit --base-url {server.base_url} --username demo"
        " --password demo\n"
        "Ctrl-C stops it.",
        file=out,
        flush=True,
    )
    waiter = stop or threading.Event()
    try:
        while not waiter.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("stopped", file=out)
    finally:
        server.stop()
    return 0
