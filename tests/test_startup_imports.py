"""The editor's first frame imports only what it needs (issue 10).

``tgedit edit`` is opened many times a day for a quick look; every module imported before
its first frame is paid for each time. What only a failure, a submit, a copy or a draft
needs is imported when that happens. Each run is a whole process, as a person starts
it: ``tgedit edit ID`` against the stand-in over HTTP, and ``tgedit edit --file``;
Textual's headless driver stands in for the terminal, and the editor quits right after
its first frame (``tests/bench/first_frame.py``), so ``sys.modules`` then holds at
least everything the first frame imported.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tui.stub.server import StubServer

ROOT = Path(__file__).parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "edit-response-2762.json"

# What each run must not have imported yet, and what it is for. (The first GET goes
# through the one client, ``tui.api.client``, which brings the API's modules with it.)
NOT_BEFORE_THE_FIRST_FRAME = {
    "tui.session.restore": "restoring a draft, when one is offered",
    "tui.session.draft_file": "a draft's content: from the first change, or when one is offered",
    "tui.session.conflict": "what the conflict check before a PUT found",
    "tui.session.audit": "the audit log, at the first PUT",
    "tui.app.clipboard": "copying, from the preview",
    "tui.config.parse": "reading a config file (these runs have none)",
    "tui.app.screens.submit_flow": "submitting, at ctrl+s",
    "tui.app.screens.leave_flow": "the questions before reload, back to the list and quit",
}

REPORT = """
import json, sys
sys.path.insert(0, sys.argv[2])
from first_frame import run  # tests/bench: tgedit, quitting at its first frame
code = run(sys.argv[3:])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def run_to_first_frame(args: list[str], tmp_path: Path, **env: str) -> set[str]:
    """The modules of a ``tgedit ARGS`` process that quit after its first frame."""
    report = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", REPORT, str(report), str(ROOT / "tests" / "bench"), *args],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_STATE_HOME": str(tmp_path / "state"),
            "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
            "TGEDIT_EXIT_AFTER_FIRST_FRAME": "1",
            "TGEDIT_TIMINGS": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # The group was drawn, and the quit right after it left no traceback behind (widgets
    # that add their parts after the first frame must not add them to a closed app).
    assert re.fullmatch(r"first frame after \d+ ms\n", done.stderr), done.stderr
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["code"] == 0
    return set(result["modules"])


def imported_too_soon(modules: set[str]) -> dict[str, str]:
    return {name: why for name, why in NOT_BEFORE_THE_FIRST_FRAME.items() if name in modules}


def test_the_first_frame_of_a_group_over_http(stub: StubServer, tmp_path: Path) -> None:
    modules = run_to_first_frame(
        ["edit", "2762"],
        tmp_path,
        CAP_API_BASE_URL=stub.base_url,
        CAP_API_USERNAME="demo",
        CAP_API_PASSWORD="demo",
    )
    # The run went the way under test: the group fetched over HTTP, shown in the editor.
    assert {"tui.api.client", "httpx", "tui.app.screens.editor"} <= modules
    assert imported_too_soon(modules) == {}


def test_the_first_frame_of_a_group_file(tmp_path: Path) -> None:
    modules = run_to_first_frame(["edit", "--file", str(FIXTURE)], tmp_path)
    assert "tui.app.screens.editor" in modules
    assert imported_too_soon(modules) == {}
