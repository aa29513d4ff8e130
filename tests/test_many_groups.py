"""Many groups at once, against the stand-in over HTTP: ``export``, ``diff FILE...``,
``apply`` and ``list --where`` read up to ``--jobs`` groups at once, a 429 pauses every
one of them, and what they print and write does not depend on the order replies arrive.
"""

from __future__ import annotations

import asyncio
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cli_support import (  # noqa: F401 (the fixture clean_env)
    FakeTerminal,
    Run,
    clean_env_fixture,
    run_with,
    serving,
)

from tui.api.auth import BasicAuth, basic_authorization
from tui.api.client import TargetGroupClient
from tui.api.connection import Connection
from tui.api.endpoints import GROUP_PATH
from tui.cli.common import Io
from tui.cli.main import main
from tui.session.many import each_in_order
from tui.stub.load import Load
from tui.stub.samples import sample_copies
from tui.stub.server import StubServer

FIRST_ID = 50000


def many_groups(count: int) -> list[dict[str, Any]]:
    """``count`` copies of the sample group 2762 (ids 50000, 50001 …, names "group N")."""
    return sample_copies(count, FIRST_ID)


def ids_of(count: int) -> list[str]:
    return [str(FIRST_ID + number) for number in range(count)]


def path_of(group_id: int | str) -> str:
    return "/" + GROUP_PATH.format(group_id=group_id)


@pytest.fixture(name="many")
def many_fixture(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StubServer]:
    """A stand-in serving 24 groups, and the environment pointing tgedit at it."""
    with serving(many_groups(24), monkeypatch) as server:
        yield server


class InThread:
    """``run_with(argv)`` on a thread of its own, while the test steers the stand-in."""

    def __init__(self, argv: list[str]) -> None:
        self.result: Run | None = None
        self._thread = threading.Thread(target=self._run, args=(argv,), daemon=True)
        self._thread.start()

    def _run(self, argv: list[str]) -> None:
        self.result = run_with(argv)

    def join(self) -> Run:
        self._thread.join(timeout=60)
        assert self.result is not None, "tgedit did not finish"
        return self.result


def served_bytes(stub: StubServer, group_id: int) -> bytes:
    """The export file of a group: its data exactly as the stand-in serves it."""
    text = stub.store.fetch_json(group_id, include_periods=True)
    assert text is not None
    return (json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n").encode()


# --- bounded concurrency -------------------------------------------------------------------


@pytest.mark.parametrize(("jobs", "flag"), [(3, ["--jobs", "3"]), (8, [])])
def test_export_keeps_at_most_jobs_requests_in_flight(
    many: StubServer, clean_env: Path, jobs: int, flag: list[str]
) -> None:
    export = ["export", *ids_of(24), "--dir", str(clean_env / "out"), *flag]
    assert held_at_once(many, export, jobs) == (jobs, jobs)
    assert len(list((clean_env / "out").iterdir())) == 24


def held_at_once(stub: StubServer, argv: list[str], jobs: int) -> tuple[int, int]:
    """Run ``argv`` with every GET held until ``jobs`` wait at once: the requests in flight
    then, and the most at any moment of the run."""
    stub.load.reset()
    stub.faults.gate.hold("GET")
    running = InThread(argv)
    assert stub.faults.gate.wait_until_held(jobs)
    held = stub.load.in_flight
    stub.faults.gate.release()
    run = running.join()
    assert run.code == 0, run.err
    return held, stub.load.peak_in_flight


def test_the_config_sets_jobs_and_the_flag_beats_it(many: StubServer, clean_env: Path) -> None:
    config = clean_env / "config" / "tgedit" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("jobs = 2\n", encoding="utf-8")
    export = ["export", *ids_of(24), "--dir", str(clean_env / "a")]
    assert held_at_once(many, export, 2) == (2, 2)
    assert held_at_once(many, [*export, "--jobs", "3"], 3) == (3, 3)
    config.write_text("jobs = 0\n", encoding="utf-8")
    refused = run_with(["export", *ids_of(2), "--dir", str(clean_env / "b")])
    assert refused.code == 2
    assert "jobs must be a whole number from 1 to 64" in refused.err


@pytest.mark.parametrize("jobs", ["0", "65", "many"])
def test_a_bad_jobs_flag_is_a_usage_error(
    many: StubServer, jobs: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_with(["export", "50000", "--jobs", jobs])
    assert run.code == 2
    assert "is not a whole number from 1 to 64" in capsys.readouterr().err  # argparse's
    assert many.received == []


# --- order and bytes -----------------------------------------------------------------------


def test_export_lists_in_the_order_given_and_writes_the_bytes_of_one_at_a_time(
    many: StubServer, clean_env: Path
) -> None:
    given = ids_of(12)[::-1]  # not the server's order either
    first = given[0]
    many.faults.gate.hold("GET", path_of(first))
    export = InThread(["export", *given, "--dir", str(clean_env / "many"), "--jobs", "4"])
    assert many.faults.gate.wait_until_held(1)
    # Every other group is asked for (and answered) while the first one waits.
    all_asked = many.wait_until_received(len(given))
    many.faults.gate.release()
    run = export.join()
    assert all_asked
    assert run.code == 0, run.err
    assert run.out.splitlines() == [str(clean_env / "many" / f"{i}.json") for i in given]
    one = run_with(["export", *given, "--dir", str(clean_env / "one"), "--jobs", "1"])
    assert one.code == 0, one.err
    for group_id in given:
        written = (clean_env / "many" / f"{group_id}.json").read_bytes()
        assert written == (clean_env / "one" / f"{group_id}.json").read_bytes()
        assert written == served_bytes(many, int(group_id))


def test_export_all_follows_the_list_order(many: StubServer, clean_env: Path) -> None:
    run = run_with(["export", "--all", "--dir", str(clean_env / "all")])
    assert run.code == 0, run.err
    assert run.out.splitlines() == [str(clean_env / "all" / f"{i}.json") for i in ids_of(24)]


# --- the pause on 429 ----------------------------------------------------------------------


async def test_a_429_pauses_every_call_of_the_client(stub: StubServer) -> None:
    """Group 2762 is answered 429 (Retry-After: 1) while 18044 is held at the gate; once
    18044 is answered, the next group (2310) waits for the pause before it is asked for."""
    stub.faults.gate.hold("GET", path_of(18044))
    stub.faults.get_statuses = [429]  # 2762's: 18044's waits at the gate, before routing
    stub.faults.retry_after = "1"
    events: list[str] = []
    paused = asyncio.Event()

    async def sleep(seconds: float) -> None:
        events.append(f"wait {seconds:.0f} s")
        paused.set()

    def sent(request: Any) -> None:
        events.append("GET " + request.url.split("?")[0].rsplit("/", 1)[-1])

    connection = Connection(base_url=stub.base_url, auth=BasicAuth("demo", "demo"))
    async with TargetGroupClient(connection, sleep=sleep, on_request=sent) as client:

        async def release_when_paused() -> None:
            await paused.wait()
            await asyncio.to_thread(stub.faults.gate.release)

        releasing = asyncio.ensure_future(release_when_paused())
        fetched: list[int] = []
        await each_in_order(
            [2762, 18044, 2310],
            client.get_target_group,
            lambda group_id, reply: fetched.append(reply.group["id"]),
            jobs=2,
        )
        await releasing
    assert fetched == [2762, 18044, 2310]
    before_2310 = events[: events.index("GET 2310")]
    # One wait for the call that got the 429, one for the call that did not.
    assert before_2310.count("wait 1 s") == 2, events
    assert events.count("GET 2762") == 2


def test_export_against_a_rate_limit_writes_every_file_and_sends_nothing_during_a_pause(
    many: StubServer, clean_env: Path
) -> None:
    many.load.per_second = 3  # the first 4 requests go out at once: one is refused
    run = run_with(["export", *ids_of(9), "--dir", str(clean_env / "out"), "--jobs", "4"])
    assert run.code == 0, run.err
    assert many.load.limited > 0  # the limit was met …
    assert many.load.during_pause == 0  # … and every pause kept
    for group_id in ids_of(9):
        written = (clean_env / "out" / f"{group_id}.json").read_bytes()
        assert written == served_bytes(many, int(group_id))


# --- progress ------------------------------------------------------------------------------


def test_progress_only_on_a_terminal(many: StubServer, clean_env: Path) -> None:
    stdout, terminal = io.StringIO(), FakeTerminal()
    argv = ["export", *ids_of(6), "--dir", str(clean_env / "a")]
    assert main(argv, Io(stdout=stdout, stderr=terminal)) == 0
    shown = terminal.getvalue()
    assert "Exporting 0 of 6" in shown
    assert "Exporting 6 of 6" in shown
    assert "/s, 0:00 left" in shown
    assert shown.endswith("\r\x1b[K")  # cleared at the end
    plain = io.StringIO()
    assert main(argv, Io(stdout=io.StringIO(), stderr=plain)) == 0
    assert plain.getvalue() == ""


# --- diff FILE... --------------------------------------------------------------------------


def rename_in(path: Path, name: str) -> None:
    group = json.loads(path.read_text(encoding="utf-8"))
    group["name"] = name
    path.write_text(json.dumps(group, indent=2) + "\n", encoding="utf-8")


def test_diff_of_a_folder_names_exactly_the_drifted_groups(
    many: StubServer, clean_env: Path
) -> None:
    folder = clean_env / "files"
    assert run_with(["export", *ids_of(10), "--dir", str(folder)]).code == 0
    same = run_with(["diff", str(folder)])
    assert (same.code, same.out) == (0, "0 of 10 groups differ\n"), same.err
    rename_in(folder / "50003.json", "Drifted three")
    rename_in(folder / "50007.json", "Drifted seven")
    run = run_with(["diff", str(folder), "--jobs", "3"])
    assert run.code == 4, run.err
    assert run.out == (
        f"50003 ({folder}/50003.json): 1 change(s)\n"
        "  name: group 3 → Drifted three\n"
        f"50007 ({folder}/50007.json): 1 change(s)\n"
        "  name: group 7 → Drifted seven\n"
        "2 of 10 groups differ\n"
    )
    as_json = run_with(["diff", str(folder), "--json"])
    assert as_json.code == 4
    report = json.loads(as_json.out)
    assert [entry["id"] for entry in report] == [int(i) for i in ids_of(10)]
    assert {entry["id"]: entry["changes"] for entry in report if entry["changes"]} == {
        50003: [{"path": "name", "left": "group 3", "right": "Drifted three"}],
        50007: [{"path": "name", "left": "group 7", "right": "Drifted seven"}],
    }
    assert many.requests("PUT") == []


def test_diff_of_two_files_is_two_drift_checks(many: StubServer, clean_env: Path) -> None:
    folder = clean_env / "files"
    assert run_with(["export", *ids_of(2), "--dir", str(folder)]).code == 0
    rename_in(folder / "50001.json", "Drifted")
    run = run_with(["diff", str(folder / "50000.json"), str(folder / "50001.json")])
    assert run.code == 4, run.err
    assert run.out.splitlines() == [
        f"50001 ({folder}/50001.json): 1 change(s)",
        "  name: group 1 → Drifted",
        "1 of 2 groups differ",
    ]


def test_diff_of_two_ids_stays_two_sided_and_an_id_among_files_is_refused(
    many: StubServer, clean_env: Path
) -> None:
    two = run_with(["diff", "50000", "50001"])
    assert two.code == 4, two.err
    assert "left:  target group 50000 (group 0)" in two.out
    assert "name: group 0 → group 1" in two.out
    folder = clean_env / "files"
    assert run_with(["export", "50000", "--dir", str(folder)]).code == 0
    mixed = run_with(["diff", "50001", str(folder / "50000.json")])
    assert mixed.code == 2
    assert "--sides A B" in mixed.err
    sides = run_with(["diff", "--sides", "50001", str(folder / "50000.json")])
    assert sides.code == 4
    assert "name: group 1 → group 0" in sides.out


def test_diff_of_an_empty_folder_is_a_usage_error(many: StubServer, clean_env: Path) -> None:
    (clean_env / "empty").mkdir()
    run = run_with(["diff", str(clean_env / "empty")])
    assert run.code == 2
    assert "holds no *.json file" in run.err
    assert many.received == []


# --- apply: the checks overlap, the PUTs do not ---------------------------------------------


def test_apply_checks_at_once_and_sends_in_file_order(many: StubServer, clean_env: Path) -> None:
    folder = clean_env / "files"
    given = ids_of(6)[::-1]
    assert run_with(["export", *given, "--dir", str(folder)]).code == 0
    for group_id in given[:3]:
        rename_in(folder / f"{group_id}.json", f"Renamed {group_id}")
    files = [str(folder / f"{i}.json") for i in given]
    run = run_with(["apply", *files, "--yes", "--jobs", "6"])
    assert run.code == 0, run.err
    puts = [r.path.rsplit("/", 1)[-1] for r in many.requests("PUT")]
    assert puts == given[:3]
    assert [line for line in run.out.splitlines() if line.endswith(": sent")] == [
        f"{i}: sent" for i in given[:3]
    ]


# --- list --where --------------------------------------------------------------------------


@pytest.fixture(name="discounts")
def discounts_fixture(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StubServer]:
    """Six groups; the targets of 50001 and 50004 mention currentTxn.discount."""
    groups = many_groups(6)
    for group in (groups[1], groups[4]):
        group["targets"][0]["expression"] = "currentTxn.discount>5"
    with serving(groups, monkeypatch) as server:
        yield server


def test_list_where_prints_the_matching_groups_and_paths(discounts: StubServer) -> None:
    target = discounts.group(50001)["targets"][0]["id"]
    run = run_with(["list", "--where", "targets[*].expression~discount"])
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        "50001  group 1",
        f"  targets[{target}].expression: currentTxn.discount>5",
        "50004  group 4",
        f"  targets[{target}].expression: currentTxn.discount>5",
    ]
    assert run.err == "2 of 6 target groups match\n"
    both = run_with(
        ["list", "--where", "targets[*].expression~discount", "--where", "name=group 4", "--json"]
    )
    assert both.code == 0, both.err
    assert json.loads(both.out) == [
        {
            "id": 50004,
            "name": "group 4",
            "matches": [
                {"path": f"targets[{target}].expression", "value": "currentTxn.discount>5"},
                {"path": "name", "value": "group 4"},
            ],
        }
    ]


def test_list_where_equal_compares_the_whole_value(discounts: StubServer) -> None:
    statuses = {p["periodStatus"] for p in discounts.group(50000)["periods"]}
    (status,) = statuses  # the sample's periods share one status
    run = run_with(["list", "--where", f"periods[*].periodStatus={status}", "--json"])
    assert run.code == 0, run.err
    assert [entry["id"] for entry in json.loads(run.out)] == [int(i) for i in ids_of(6)]
    partial = run_with(["list", "--where", f"periods[*].periodStatus={status[:-1]}"])
    assert (partial.code, partial.out) == (0, "")
    assert partial.err == "0 of 6 target groups match\n"


@pytest.mark.parametrize(
    ("condition", "complaint"),
    [
        ("periods[*].periodstatus=RUNNING", "did you mean periods[*].periodStatus?"),
        ("targets[*.expression~x", "malformed field path"),
        ("targets[*].expression~(", "is not a regular expression"),
        ("name", "write PATH=VALUE or PATH~REGEX"),
    ],
)
def test_list_where_refuses_a_bad_path_or_pattern(
    discounts: StubServer, condition: str, complaint: str
) -> None:
    run = run_with(["list", "--where", condition])
    assert run.code == 2
    assert complaint in run.err
    assert discounts.received == []


# --- the stand-in ---------------------------------------------------------------------------


def test_the_stand_ins_rate_limit_is_the_apis_429(stub: StubServer) -> None:
    now = [100.0]
    stub.load = Load(clock=lambda: now[0])  # the test moves the stand-in's clock
    stub.load.per_second = 2
    headers = {"Authorization": basic_authorization("demo", "demo")}
    url = stub.base_url + path_of(2762)
    statuses = [httpx.get(url, headers=headers).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert stub.load.during_pause == 0  # sent in the same instant: on its way already
    now[0] += 0.1
    refused = httpx.get(url, headers=headers)  # 0.1 s into the pause the 429 asked for
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert refused.json() == {
        "data": None,
        "errors": [{"code": 429, "message": "too many requests: the limit is 100 calls a minute"}],
        "warnings": None,
    }
    assert (stub.load.limited, stub.load.during_pause) == (2, 1)
    now[0] += 1.5  # the second is over
    assert httpx.get(url, headers=headers).status_code == 200
    assert (stub.load.limited, stub.load.during_pause) == (2, 1)
    assert stub.load.in_flight == 0
    assert stub.load.peak_in_flight == 1


def test_stub_rate_limit_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stub", "--rate-limit", "0"]) == 2
    assert "the rate limit must be more than 0 requests a second" in capsys.readouterr().err
