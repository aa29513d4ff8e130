"""Hostile data, generated: whatever a server, a saved file or a command line holds, tgedit
shows it literally or refuses it with one sentence that names the path; never a crash,
never a control character on the terminal, never markup obeyed.

The groups start from the sample group 2762 and are then spoiled: markup, escape
sequences, control characters, emoji and CJK, very long strings in every text field;
unknown fields (with hostile names) at every level; now and then a wrong type where the
API promises one, two elements with one id, or a ``targetPeriodDefaultValuesMap`` that
disagrees with ``defaultValues``.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_support import (  # noqa: F401 (the fixture clean_env)
    assert_one_clear_line,
    clean_env_fixture,
    run_with,
    stub_env,
)
from fault_support import quicker_pilot
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tui.app.app import TgEditApp
from tui.app.run import load_group_file
from tui.app.screens.preview import PreviewScreen
from tui.cli import style
from tui.cli.render import render_group, safe_json
from tui.cli.style import Painter
from tui.fields.catalog import CATALOG
from tui.model.check import check_group
from tui.model.errors import ModelError
from tui.session.draft import DraftStore
from tui.session.edit import EditSession
from tui.session.remote import GroupService
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer
from tui.terminal_text import visible

# A raw control character: C0 but newline, DEL, C1 (U+009B is a one-byte CSI on some
# terminals), and the bidirectional overrides that reorder what follows them on screen.
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same, in an SVG screenshot (its own newlines and tabs aside).
RAW_CONTROL_SVG = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

BASE = next(g for g in sample_groups() if g["id"] == 2762)
TARGET = BASE["targets"][0]["id"]

GENERATED = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Each editor example starts the whole app: a few of them.
EDITOR_EXAMPLES = 15

Strategy = st.SearchStrategy[Any]

# --- hostile text -----------------------------------------------------------------------------

PIECES = [
    "[/]",
    "[@click=app.quit]x[/]",
    "[red",
    "x[/",
    "[bold]b[/bold]",
    "[link=https://example.invalid]l[/link]",
    "\x1b[2J",
    "\x1b]52;c;SGVsbG8=\x07",
    "\x1b]0;title\x1b\\",
    "\x9b31m",
    "\x07",
    "\x08",
    "\r",
    "\n",
    "\t",
    "\x00",
    "\x7f",
    "\u202e",
    "🎯",
    "👩‍👩‍👧",
    "家族のマイルストーン",
    "한국어",
    "\u0301",
    "'",
    '"',
    "\\",
    "$(rm -rf ~)",
]

hostile_text: Strategy = st.one_of(
    st.lists(st.sampled_from(PIECES) | st.text(max_size=8), min_size=1, max_size=8).map("".join),
    st.text(max_size=60),
    st.integers(200, 3000).map(lambda n: ("長" + "N" * 9) * (n // 10)),
)
hostile_key: Strategy = st.lists(
    st.sampled_from(PIECES) | st.text(min_size=1, max_size=6), min_size=1, max_size=3
).map("".join)
json_values: Strategy = st.recursive(
    st.none() | st.booleans() | st.integers() | hostile_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_key, inner, max_size=3),
    max_leaves=6,
)

# Text fields of the documented shape, by where they are.
GROUP_TEXT = ["name", "description", "fromDate", "trackingType", "timeZoneName", "frequencyType"]
PERIOD_TEXT = ["refCode", "startDate", "endDate", "periodStatus", "description"]
# A period is one line in the text tree: its description is not on it.
NOT_IN_THE_TREE = {"description"}
TARGET_TEXT = ["name", "description", "expression", "expressionJson", "targetType", "eventName"]

# Where a wrong type can go, and a value of a wrong type for each kind.
WRONG_TYPES: dict[str, list[Any]] = {
    "int": ["3006", 1.5, True, [], {}],
    "str": [7, True, ["x"], {"a": 1}],
    "list": ["[]", 3, {"id": 1}],
    "bool": ["true", 1],
    "number": ["1", [1], {}],
}
TYPED_PLACES: list[tuple[str, str]] = [
    ("group.id", "int"),
    ("group.orgId", "int"),
    ("group.name", "str"),
    ("group.active", "bool"),
    ("group.preferredTillId", "int"),
    ("group.periods", "list"),
    ("group.targets", "list"),
    ("group.createdOn", "int"),
    ("period.id", "int"),
    ("period.startDate", "str"),
    ("target.id", "int"),
    ("target.expression", "str"),
    ("target.defaultValues", "list"),
    ("default.id", "int"),
    ("default.defaultValue", "number"),
]


# Names the API documents somewhere: an unknown field must not take one by chance.
DOCUMENTED = {pattern.replace("[*]", "").rpartition(".")[2] for pattern in CATALOG}


@dataclass
class Hostile:
    group: dict[str, Any]
    spoiled: str | None  # "wrong type at …", "duplicate id …": the group must be refused
    texts: list[str]  # hostile strings put into documented text fields


@st.composite
def hostile_groups(draw: Any, *, spoil: bool = True) -> Hostile:
    group = copy.deepcopy(BASE)
    period = group["periods"][0]
    target = group["targets"][0]
    default = target["defaultValues"][0]
    texts: list[str] = []
    for obj, keys in ((group, GROUP_TEXT), (period, PERIOD_TEXT), (target, TARGET_TEXT)):
        for key in draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys))):
            obj[key] = draw(hostile_text)
            if obj is not period or key not in NOT_IN_THE_TREE:
                texts.append(obj[key])
    # Unknown fields, with hostile names, at every level.
    target["filters"] = [{"entityType": draw(hostile_text), "entityIds": [draw(hostile_text)]}]
    where = [group, period, target, default, group["attribution"], target["filters"][0]]
    for obj in draw(st.lists(st.sampled_from(range(len(where))), max_size=4)):
        key = draw(hostile_key)
        if key not in where[obj] and key not in DOCUMENTED:
            where[obj][key] = draw(json_values)
    if draw(st.booleans()):  # the map disagrees with the list it mirrors
        target["targetPeriodDefaultValuesMap"] = {
            draw(hostile_key): {"id": draw(st.integers(1, 10**6)), "defaultValue": 99},
            str(period["id"]): {"id": default["id"] + 1, "periodId": 1, "defaultValue": -1},
        }
    spoiled = None
    choice = draw(st.sampled_from(["none", "none", "wrong type", "duplicate id"])) if spoil else ""
    if choice == "wrong type":
        place, kind = draw(st.sampled_from(TYPED_PLACES))
        holder = {"group": group, "period": period, "target": target, "default": default}
        owner, _, key = place.partition(".")
        holder[owner][key] = draw(st.sampled_from(WRONG_TYPES[kind]))
        spoiled = f"a wrong type at {place}"
    elif choice == "duplicate id":
        kind = draw(st.sampled_from(["periods", "targets"]))
        group[kind].append(copy.deepcopy(group[kind][0]))
        spoiled = "two elements with one id"
    return Hostile(group, spoiled, texts)


def one_sentence(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message, message
    assert not RAW_CONTROL.search(message), repr(message)


def check_refusal(error: ModelError) -> None:
    """One sentence that names where the group is wrong."""
    message = str(error)
    one_sentence(message)
    assert error.path, message
    assert visible(error.path) in message or "two elements with id" in message, message


def lines_are_clean(lines: list[str]) -> None:
    for line in lines:
        assert not RAW_CONTROL.search(line), repr(line)


def shown_literally(text: str, output: str) -> None:
    """The first line of ``text`` (control characters as symbols) is in ``output``."""
    first = visible(text.split("\n")[0], keep_newlines=False)[:30]
    assert first in output, (first, output[:500])


# --- tgedit show: the text tree ----------------------------------------------------------------


@GENERATED
@given(hostile_groups())
def test_show_renders_literally_or_refuses_with_the_path(hostile: Hostile) -> None:
    try:
        check_group(hostile.group, source="the server")
    except ModelError as error:
        assert hostile.spoiled, f"a good group was refused: {error}"
        check_refusal(error)
        return
    assert hostile.spoiled is None, f"{hostile.spoiled} was let through"
    session = EditSession(copy.deepcopy(hostile.group))
    for colour in (False, True):
        lines = render_group(session, Painter(colour))
        text = "\n".join(lines)
        if colour:  # only our own SGR codes: drop them, then nothing raw may be left
            for code in (style.RESET, style.DIM, style.BOLD, style.CHANGED):
                text = text.replace(code, "")
        lines_are_clean(text.split("\n"))
        for hostile_value in hostile.texts:
            if hostile_value.strip():
                shown_literally(hostile_value, text.replace("\n", " "))
    as_json = safe_json(hostile.group)
    assert json.loads(as_json) == hostile.group, "--json is still exactly the group"
    lines_are_clean(as_json.split("\n"))


def test_the_generator_makes_every_kind() -> None:
    """The strategy above really produces refused groups and accepted ones."""
    seen: set[bool] = set()

    @settings(max_examples=60, deadline=None, database=None)
    @given(hostile_groups())
    def collect(hostile: Hostile) -> None:
        seen.add(hostile.spoiled is None)

    collect()
    assert seen == {True, False}


def test_a_wrong_type_names_its_path() -> None:
    group = copy.deepcopy(BASE)
    group["targets"][0]["defaultValues"][0]["defaultValue"] = "1"
    with pytest.raises(ModelError) as caught:
        check_group(group, source="the server")
    default_id = BASE["targets"][0]["defaultValues"][0]["id"]
    assert str(caught.value) == (
        f"the server sent a string at targets[{TARGET}].defaultValues[{default_id}].defaultValue, "
        "where the API promises a number"
    )


# --- the check of the group's shape: what it refuses ----------------------------------------------


def refusal(check: Any, group: Any) -> str | None:
    """The sentence with which ``check`` refuses ``group`` (and its path), or None."""
    try:
        check(group, source="the server")
    except ModelError as error:
        return f"{error} @ {error.path}"
    return None


WRONG_SHAPES = [
    pytest.param(place, wrong, id=f"{place}={wrong!r}")
    for place, kind in TYPED_PLACES
    for wrong in [*WRONG_TYPES[kind], None, "missing"]
]


@pytest.mark.parametrize(("place", "wrong"), WRONG_SHAPES)
def test_the_shape_check_refuses_a_wrong_type_and_a_missing_id(place: str, wrong: Any) -> None:
    group = copy.deepcopy(BASE)
    target = group["targets"][0]
    holder = {
        "group": group,
        "period": group["periods"][0],
        "target": target,
        "default": target["defaultValues"][0],
    }
    owner, _, key = place.partition(".")
    if wrong == "missing":
        del holder[owner][key]
    else:
        holder[owner][key] = wrong
    # Only a null or absent id is refused among nulls and absences.
    refused = wrong not in (None, "missing") or key == "id"
    assert (refusal(check_group, group) is not None) == refused


@pytest.mark.parametrize(
    "document", [None, [], "group", 7, {"data": {}}, {"id": 1, "targets": [{"id": 1}, {"id": 1}]}]
)
def test_the_shape_check_refuses_what_is_no_group(document: Any) -> None:
    assert refusal(check_group, document) is not None


@GENERATED
@given(hostile_groups())
def test_the_shape_check_refuses_exactly_the_spoiled_hostile_groups(hostile: Hostile) -> None:
    assert (refusal(check_group, hostile.group) is not None) == (hostile.spoiled is not None)


# --- the editor: tree labels, detail panel, preview --------------------------------------------


@pytest.fixture(autouse=True, scope="module")
def _quicker_pilot() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        quicker_pilot(patch)
        yield


def labels(node: Any) -> list[str]:
    found = [str(node.label)]
    for child in node.children:
        found += labels(child)
    return found


async def look_at_it_in_the_editor(group: dict[str, Any], folder: Path) -> None:
    app = TgEditApp(
        service=GroupService(None),
        drafts=DraftStore(folder / "drafts"),
        session=EditSession(copy.deepcopy(group)),
        file=folder / "group.json",
        body_mode="full",
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        from app_support import editor

        screen = editor(app)
        tree = screen.group_tree
        shown = labels(tree.root)
        lines_are_clean(shown)
        # The root names the group, its name's first line shown literally (or — for none).
        name = group.get("name")
        first = name.split("\n")[0] if isinstance(name, str) else "—"
        root = str(tree.root.label)
        assert f"Target group {group.get('id')} · " in root, root
        assert visible(first, keep_newlines=False)[:20] in root, (first, root)
        # The screen with the detail panel of name (where the cursor starts), then of the
        # field below it.
        assert not RAW_CONTROL_SVG.search(app.export_screenshot())
        await pilot.press("j")
        assert not RAW_CONTROL_SVG.search(app.export_screenshot())
        assert app.is_running, "markup in the data must not run an action"
        # The preview of the full body: every field of the group, as JSON.
        screen.session.set(("name",), "renamed")  # type: ignore[union-attr]
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PreviewScreen)
        assert not RAW_CONTROL_SVG.search(app.export_screenshot())
        await pilot.press("escape")
        assert app.is_running


@settings(
    max_examples=EDITOR_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile=hostile_groups(spoil=False))
def test_the_editor_shows_it_literally(hostile: Hostile, tmp_path_factory: Any) -> None:
    folder = tmp_path_factory.mktemp("editor")
    asyncio.run(look_at_it_in_the_editor(hostile.group, folder))


# --- tgedit edit --file --------------------------------------------------------------------------


file_contents: Strategy = st.one_of(
    hostile_groups().map(lambda h: json.dumps(h.group).encode()),
    hostile_groups().map(lambda h: json.dumps({"data": h.group, "errors": None}).encode()),
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.just(b"[" * 100_000),
    st.just(b"\xff\xfe{}"),
)


@pytest.fixture
def no_editor(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    import tui.app.run

    started: list[Any] = []

    def run_editor(*args: Any, **options: Any) -> int:
        started.append(args)
        return 0

    monkeypatch.setattr(tui.app.run, "run_editor", run_editor)
    return started


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(content=file_contents)
def test_a_file_is_checked_before_the_editor_starts(
    content: bytes,
    tmp_path_factory: Any,
    clean_env: Path,
    no_editor: list[Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path_factory.mktemp("file") / "group.json"
    path.write_bytes(content)
    refusal = ""  # what the model says of the file: nothing when it loads
    try:
        load_group_file(path)
    except ModelError as error:
        refusal = str(error)
        one_sentence(refusal)
    no_editor.clear()
    event("refused" if refusal else "loads")
    run = run_with(["edit", "--file", str(path)])
    # It opens exactly when the file loads; else one clean sentence that says why, and exit 2.
    assert run.code == (2 if refusal else 0), run.err
    assert bool(no_editor) == (not refusal)
    assert run.err.startswith("tgedit: ") == bool(refusal), run.err
    assert run.err.count("\n") == (1 if refusal else 0), run.err
    assert refusal in run.err
    lines_are_clean(run.err.split("\n"))
    assert "Traceback" not in capsys.readouterr().err


# --- tgedit set PATH=VALUE ---------------------------------------------------------------------

EDITABLE_PATHS = [
    "name",
    "description",
    "preferredTillId",
    f"targets[{TARGET}].description",
    f"targets[{TARGET}].expression",
    f"targets[{TARGET}].expressionJson",
]
OTHER_PATHS = [
    "targets[999].expression",
    "orgId",
    "periods[30148].refCode",
    "targets[#0].name",
    'targets[3006]["x"]',
    "attribution.lastUpdatedOn",
    "name.first",
    "targets[3006]",
    "",
]
path_texts: Strategy = st.one_of(
    st.sampled_from(EDITABLE_PATHS),
    st.sampled_from(EDITABLE_PATHS),
    st.sampled_from(OTHER_PATHS),
    st.text(min_size=1, max_size=20),
).filter(lambda p: not p.startswith("-"))
value_texts: Strategy = st.one_of(hostile_text, st.integers().map(str), json_values.map(json.dumps))


@pytest.fixture(scope="module")
def set_stub() -> Any:
    server = StubServer(groups=sample_groups(), port=0)
    server.start()
    yield server
    server.stop()


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(assignments=st.lists(st.tuples(path_texts, value_texts), min_size=1, max_size=2))
def test_set_arguments_are_one_sentence_or_a_body(
    assignments: list[tuple[str, str]],
    set_stub: StubServer,
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in stub_env(set_stub).items():
        monkeypatch.setenv(name, value)
    argv = ["set", "2762", *(f"{p}={v}" for p, v in assignments), "--dry-run", "--no-sync"]
    run = run_with(argv)
    assert "Traceback" not in capsys.readouterr().err
    event(f"exit {run.code}")
    assert run.code in (0, 2), run.err
    refused = run.code == 2
    # A dry run prints the body it would send (nothing when nothing changes); a refusal
    # prints one clear line on stderr and nothing on stdout.
    body = json.loads(run.out) if run.out else None
    assert body is None or body["id"] == 2762, run.out
    assert not (refused and run.out), run.out
    assert run.err.startswith("tgedit: ") == refused, run.err
    lines_are_clean(run.out.split("\n") + run.err.split("\n"))
    assert set_stub.requests("PUT") == [], "--dry-run sends nothing"
