"""Random edit sequences against a plain reference model of the change set and its history."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from session_support import can_redo, can_undo, revert, revert_all

from tui.fields.catalog import is_editable
from tui.fields.paths import format_path, parse_path, resolve
from tui.session.changes import EditRefused, NothingToSend
from tui.session.edit import EditSession

FIXTURES = Path(__file__).parent / "fixtures"
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def base_group() -> dict[str, Any]:
    """2762 with a second target (3001) listed first."""
    group: dict[str, Any] = json.loads(
        (FIXTURES / "edit-response-2762.json").read_text(encoding="utf-8")
    )["data"]
    extra = copy.deepcopy(group["targets"][0])
    extra["id"] = 3001
    extra["expression"] = "currentTxn.value>5"
    group["targets"].insert(0, extra)
    return group


GROUP = base_group()
TARGET_IDS = (3001, 3006)
TARGET_FIELDS = ("description", "expression", "expressionJson")
EDITABLE = ["name", "description", "preferredTillId"] + [
    f"targets[{i}].{f}" for i in TARGET_IDS for f in TARGET_FIELDS
]
READ_ONLY = [
    "id",
    "orgId",
    "targets[3006].name",
    "periods[30148].refCode",
    "attribution.lastUpdatedOn",
]
RESPONSE_ONLY_WORDS = (
    "attribution",
    "orgId",
    "createdOn",
    "ISO",
    "emfRuleSetId",
    "Map",
    "Triggers",
)


def original(path: str) -> Any:
    return resolve(GROUP, parse_path(path))


def values_for(path: str) -> st.SearchStrategy[Any]:
    """Good values, bad values, and the fetched value itself (setting it back)."""
    fetched = st.just(original(path)) if path in EDITABLE else st.nothing()
    if path == "preferredTillId":
        return fetched | st.integers(-3, 5) | st.sampled_from([True, 1.0, "5", None])
    if path == "name":
        return fetched | st.text(max_size=4) | st.sampled_from(["", "  ", "n" * 200, "n" * 201])
    if path.endswith("expressionJson"):
        return fetched | st.sampled_from(['{"arity":"literal"}', "{}", "[]", "{", "", 7])
    return fetched | st.text(max_size=4) | st.sampled_from(["", " ", None])


paths = st.sampled_from(EDITABLE + READ_ONLY)
settings_ = paths.flatmap(lambda p: st.tuples(st.just("set"), st.just(p), values_for(p)))
same_field_twice = paths.flatmap(
    lambda p: st.lists(st.tuples(st.just(p), values_for(p)), min_size=2, max_size=2)
)
operations = st.one_of(
    settings_,
    settings_,
    st.tuples(st.just("set_many"), st.lists(settings_.map(lambda op: (op[1], op[2])), max_size=3)),
    st.tuples(st.just("set_many"), same_field_twice),
    st.tuples(st.just("revert"), paths),
    st.tuples(st.just("undo")),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
    st.tuples(st.just("revert_all")),
)


def same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


class Reference:
    """What the change set should be: a dict path -> value, with snapshot undo/redo."""

    def __init__(self, session: EditSession) -> None:
        self.session = session
        self.state: dict[str, Any] = {}
        self.undo: list[dict[str, Any]] = []
        self.redo: list[dict[str, Any]] = []

    def _commit(self, new: dict[str, Any]) -> None:
        if new.keys() == self.state.keys() and all(same(new[k], self.state[k]) for k in new):
            return
        self.undo.append(self.state)
        self.redo = []
        self.state = new

    def _with(self, state: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
        new = dict(state)
        if same(value, original(path)):
            new.pop(path, None)
        else:
            new[path] = value
        return new

    def apply(self, op: tuple[Any, ...]) -> None:
        kind = op[0]
        if kind == "set":
            self.set_many([(op[1], op[2])])
        elif kind == "set_many":
            self.set_many(op[1])
        elif kind == "revert":
            expected = op[1] in self.state
            assert revert(self.session, op[1]) is expected
            if expected:
                self._commit({k: v for k, v in self.state.items() if k != op[1]})
        elif kind == "undo":
            self.session.undo()
            if self.undo:
                self.redo.append(self.state)
                self.state = self.undo.pop()
        elif kind == "redo":
            self.session.redo()
            if self.redo:
                self.undo.append(self.state)
                self.state = self.redo.pop()
        else:
            revert_all(self.session)
            self._commit({})

    def set_many(self, items: list[tuple[str, Any]]) -> None:
        refused = [p for p, v in items if self.session.check(p, v) is not None]
        if refused:
            with pytest.raises(EditRefused):
                self.session.set_many(items)
            return
        self.session.set_many(items)
        new = self.state
        for path, value in items:
            new = self._with(new, path, value)
        self._commit(new)


def session_state(session: EditSession) -> dict[str, Any]:
    return {format_path(c.path): c.after for c in session.changes()}


def check_bodies(session: EditSession) -> None:
    if not session.has_changes:
        with pytest.raises(NothingToSend):
            session.put_body()
        return
    body = session.put_body()
    # the exact text sent is the body, as JSON
    assert session.body_text() == json.dumps(body, ensure_ascii=False)
    assert json.loads(session.body_text()) == body
    assert body["id"] == GROUP["id"]
    sent: dict[str, Any] = {}
    for key, value in body.items():
        if key == "targets":
            assert [t["id"] for t in value] == [
                i
                for i in TARGET_IDS
                if any(p.startswith(f"targets[{i}].") for p in session_state(session))
            ]
            for target in value:
                assert set(target) - {"id"}, "a target with nothing changed was sent"
                for field, field_value in target.items():
                    if field != "id":
                        sent[f"targets[{target['id']}].{field}"] = field_value
        elif key != "id":
            sent[key] = value
    # only changed editable fields, each different from what was fetched
    assert sent.keys() == session_state(session).keys()
    for path, value in sent.items():
        assert is_editable(path), path
        assert not same(value, original(path)), f"{path} unchanged but sent"
        assert session.check(path, value) is None
    full = session.put_body("full")
    text = json.dumps(full)
    assert not any(
        f'"{word}' in text for word in ("attribution", "orgId", "createdOn", "emfRuleSetId")
    )
    assert "ISO" not in "".join(full) and "targetPeriodDefaultValuesMap" not in text
    for path, value in sent.items():
        assert json.dumps(resolve(full, parse_path(path))) == json.dumps(value)


@SETTINGS
@given(st.lists(operations, max_size=20))
def test_random_edit_sequences_keep_the_invariants(ops: list[tuple[Any, ...]]) -> None:
    session = EditSession(GROUP)
    reference = Reference(session)
    for op in ops:
        reference.apply(op)
        assert session_state(session) == reference.state, op
        assert can_undo(session) == bool(reference.undo)
        assert can_redo(session) == bool(reference.redo)
    check_bodies(session)
    final = session_state(session)
    steps = len(reference.undo)

    # undo all the way: no changes; redo as many steps: the same changes again
    while can_undo(session):
        session.undo()
        check_bodies(session)
    assert not session.has_changes and session.changes() == []
    for _ in range(steps):
        assert session.redo() != []
    assert session_state(session) == final
    assert session.original == GROUP  # the fetched group was never modified


@SETTINGS
@given(st.lists(settings_, min_size=1, max_size=8))
def test_a_refused_batch_changes_nothing(items: list[tuple[str, str, Any]]) -> None:
    session = EditSession(GROUP)
    session.set("name", "before the batch")
    batch = [(path, value) for _, path, value in items]
    before = session_state(session)
    try:
        session.set_many(batch)
    except EditRefused as error:
        assert any(session.check(p, v) for p, v in batch)
        assert error.path in {p for p, _ in batch}
        assert session_state(session) == before
        session.undo()
        assert not session.has_changes
    else:
        assert all(session.check(p, v) is None for p, v in batch)
