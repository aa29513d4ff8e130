"""The import-time budget (``tests/bench/budget.py``): which row each module's time goes to.

The script itself runs whole processes and is not part of the test run; these check its
pure parts: the rows, reading ``-X importtime`` and the hook's notes, the minimum over
runs and the cut at the first frame.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "bench"))

from budget import (
    OTHER,
    STARTUP,
    Budget,
    Run,
    budget_rows,
    read_hook,
    read_importtime,
    row_of,
)


@pytest.mark.parametrize(
    ("module", "row"),
    [
        ("argparse", "stdlib: argparse, gettext"),
        ("http.client", "stdlib: http.client, email, urllib"),
        ("email.parser", "stdlib: http.client, email, urllib"),
        ("urllib.request", "stdlib: http.client, email, urllib"),
        ("_ssl", "stdlib: ssl, socket, selectors"),
        ("json.decoder", "stdlib: json"),
        ("asyncio.base_events", "stdlib: asyncio, concurrent"),
        ("concurrent.futures._base", "stdlib: asyncio, concurrent"),
        ("typing", "stdlib: typing, inspect, ast, dis, tokenize"),
        ("logging.handlers", "stdlib: logging"),
        ("collections.abc", "stdlib: the rest"),
        ("textual.css.stylesheet", "Textual: css"),
        ("textual.widgets._tree", "Textual: widgets"),
        ("textual.widget", "Textual: widgets"),
        ("textual.drivers.linux_driver", "Textual: drivers"),
        ("textual.app", "Textual: app core, the rest"),
        ("textual_speedups", "Textual: app core, the rest"),
        ("rich.console", "rich"),
        ("pygments.lexers", "pygments"),
        ("pydantic.main", "pydantic, pydantic_core (off the path)"),
        ("pydantic_core._pydantic_core", "pydantic, pydantic_core (off the path)"),
        ("httpx._client", "httpx and its stack (off the path)"),
        ("anyio", "httpx and its stack (off the path)"),
        ("tui.cli.main", "tgedit: tui.cli"),
        ("tui.api.client", "tgedit: tui.api"),
        ("tui.session.prefetch", "tgedit: tui.session"),
        ("tui.model", "tgedit: tui.model"),
        ("tui.app.screens.editor", "tgedit: tui.app.screens"),
        ("tui.app.widgets.group_tree", "tgedit: tui.app.widgets"),
        ("tui.app.app", "tgedit: tui.app, the rest"),
        ("tui.app", "tgedit: tui.app, the rest"),
        ("tui.user_dirs", "tgedit: tui, the rest"),
        ("platformdirs.unix", OTHER),
    ],
)
def test_each_module_goes_to_its_row(module: str, row: str) -> None:
    assert row_of(module) == row


@pytest.mark.parametrize("module", ["richtext", "jsonschema", "textualize", "tuition", "httpx_sse"])
def test_a_row_takes_a_package_and_its_modules_not_a_name_that_starts_alike(module: str) -> None:
    assert row_of(module) == OTHER


IMPORTTIME = """\
import time: self [us] | cumulative | imported package
import time:       145 |        145 |   _io
import time:       605 |       1238 | encodings
import time:       608 |      16922 |   __editable___tgedit_0_1_0_finder
import time:        38 |         38 |     nt
import time:        31 |         31 |     nt
import time:      1290 |      20461 | site
Target group 2762 · Sampleimport time:       500 |        700 | textual.app
import time:        38 |         38 |         nt
"""


def test_importtime_splits_python_start_up_at_site_and_sums_a_module_looked_up_twice() -> None:
    startup, rest, editable = read_importtime(IMPORTTIME)

    assert startup == {
        "_io": 145,
        "encodings": 605,
        "__editable___tgedit_0_1_0_finder": 608,
        "nt": 69,
        "site": 1290,
    }
    assert rest == {"textual.app": 500, "nt": 38}  # a frame's text before it on the line
    assert editable == 16922


def test_the_hook_notes_split_at_the_first_frame_and_say_which_thread_imported() -> None:
    before, after, threads = read_hook(
        [
            "import tui.cli.main main 1500",
            "import http.client tgedit-prefetch 1200",
            "import textual.app main 2000",
            "import textual.worker Thread-1 (run) 100",
            "first-frame",
            "import rich.traceback main 3000",
        ]
    )

    assert before == {
        "tui.cli.main": 1.5,
        "http.client": 1.2,
        "textual.app": 2.0,
        "textual.worker": 0.1,
    }
    assert after == {"rich.traceback": 3.0}
    assert threads["http.client"] == "tgedit-prefetch"
    assert threads["textual.app"] == "main"
    assert threads["textual.worker"] == "Thread-1 (run)"


def a_run(before: dict[str, float], after: dict[str, float], thread: str = "main") -> Run:
    return Run(
        startup={"site": 1000.0, "encodings": 500.0},
        importtime={},
        before=before,
        after=after,
        threads=dict.fromkeys(before, thread),
        shown_s=0.3,
        editable_us=0.0,
    )


def test_the_budget_takes_each_module_s_least_time_and_only_before_the_first_frame() -> None:
    tgedit = Budget.of(
        [
            a_run({"tui.cli.main": 3000.0, "rich.console": 2000.0}, {"rich.traceback": 900.0}),
            a_run({"tui.cli.main": 2000.0, "rich.console": 4000.0}, {"rich.traceback": 800.0}),
        ]
    )
    bare = Budget.of([a_run({"rich.console": 1000.0}, {})])

    rows = {cells[0]: cells[1:] for cells in budget_rows(tgedit, bare)}

    assert rows["tgedit: tui.cli"] == ["2.0", "1", "0.0", "0", "+2.0"]
    assert rows["rich"] == ["2.0", "1", "1.0", "1", "+1.0"]
    assert rows[STARTUP] == ["1.5", "2", "1.5", "2", "+0.0"]
    assert rows["total"] == ["5.5", "4", "2.5", "3", "+3.0"]
    assert rows["pydantic, pydantic_core (off the path)"][0] == "absent"
    assert tgedit.after == {"rich.traceback": 800.0}
