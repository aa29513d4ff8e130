"""A stand-in of the target-group API on 127.0.0.1 (``tgedit demo``, ``tgedit stub``, tests).

No Textual here.
"""

from tui.stub.cli import DEMO_CREDENTIALS, serve_forever_cli
from tui.stub.faults import Faults, Gate
from tui.stub.messages import ReceivedRequest
from tui.stub.samples import load_groups, sample_copies, sample_groups
from tui.stub.server import StubServer

__all__ = [
    "DEMO_CREDENTIALS",
    "Faults",
    "Gate",
    "ReceivedRequest",
    "StubServer",
    "load_groups",
    "sample_copies",
    "sample_groups",
    "serve_forever_cli",
]
