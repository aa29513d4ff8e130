"""The catalog is the one declaration of a group's shape: its field list is checked here.

Every field of every sample payload (the API's public pages, in ``shared/examples`` and
their copies in ``tests/fixtures``) must have a documented row in the catalog, and the
check generated from the catalog must accept every sample group as it is. Every row with
a type must be enforced by that check, at the path where the field sits.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from test_fields import all_paths

from tui.fields.catalog import CATALOG, canonical_pattern, is_map, spec_for
from tui.fields.paths import FieldPath, MapKey, Segment, child_segment, format_path, pattern_of
from tui.model.check import check_group
from tui.model.errors import ModelError

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {
    "shared/examples": ROOT.parent / "shared" / "examples",
    "tests/fixtures": ROOT / "tests" / "fixtures",
}

# How each sample file holds target groups; the files that hold none say what they are.
GROUPS_IN = {
    "edit-response-2762.json": lambda document: [document["data"]],
    "edit-response-18044.json": lambda document: [document["data"]],
    "list-response.json": lambda document: document["data"],
    "full-request-body-18044.json": lambda document: [document],
    "minimal-request-body-2514.json": lambda document: [document],
}
NOT_A_GROUP = {"error-response-310145.json", "oauth-token-response.json"}


def sample_files() -> list[Any]:
    return [
        pytest.param(folder / name, id=f"{where}/{name}")
        for where, folder in FOLDERS.items()
        for name in sorted(GROUPS_IN)
    ]


def groups_of(path: Path) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = GROUPS_IN[path.name](json.loads(path.read_text("utf-8")))
    return groups


@pytest.mark.parametrize("where", list(FOLDERS))
def test_every_sample_file_is_read_here(where: str) -> None:
    """A sample added to a folder must be listed above, so none is skipped unseen."""
    names = {path.name for path in FOLDERS[where].glob("*.json")}
    assert names == set(GROUPS_IN) | NOT_A_GROUP


@pytest.mark.parametrize("path", sample_files())
def test_the_catalog_documents_every_field_of_the_sample_groups(path: Path) -> None:
    for group in groups_of(path):
        undocumented = sorted(
            {pattern_of(found) for found in all_paths(group) if not spec_for(found).documented}
        )
        assert undocumented == [], f"add these to the catalog, with a meaning: {undocumented}"


@pytest.mark.parametrize("path", sample_files())
def test_the_check_accepts_every_sample_group_as_it_is(path: Path) -> None:
    for group in groups_of(path):
        before = json.dumps(group)
        check_group(group, source=path.name)
        assert json.dumps(group) == before


# --- every row of the catalog is enforced ---------------------------------------------------------


def every_kind_of_group() -> dict[str, Any]:
    """2762 plus a streak, a filter, an extended field and an activePeriod: every row has a place."""
    path = FOLDERS["tests/fixtures"] / "edit-response-2762.json"
    group: dict[str, Any] = json.loads(path.read_text("utf-8"))["data"]
    group["streaks"] = [
        {
            "id": 9,
            "attribution": copy.deepcopy(group["attribution"]),
            "targetGroupId": 2762,
            "name": "s",
            "targetCountOfSequence": 2,
        }
    ]
    target = group["targets"][0]
    target["filters"] = [{"entityType": "STORE", "entityIds": [1, 2]}]
    target["extendedFieldInfo"] = {"name": "points", "aggregateFunction": "SUM"}
    group["activePeriod"] = copy.deepcopy(group["periods"][0])
    return group


def first_place_of_each_row(group: dict[str, Any]) -> dict[str, FieldPath]:
    """For each catalog row, the first path in ``group`` that it describes."""
    places: dict[str, FieldPath] = {}
    for path in all_paths(group):
        places.setdefault(canonical_pattern(pattern_of(path)), path)
    return places


# A value of the wrong JSON type for each kind, what it is called, and what is promised.
WRONG: dict[str, tuple[Any, str, str]] = {
    "string": (5, "a number", "a string"),
    "date": (20250511, "a number", "a string"),
    "timestamp": (1763467736000, "a number", "a string"),
    "enum": (["ENDED"], "a list", "a string"),
    "json-string": ({"arity": "literal"}, "an object", "a string"),
    "integer": ("5", "a string", "a whole number"),
    "epoch-ms": (1.5, "a number", "a whole number"),
    "number": (True, "a boolean", "a number"),
    "boolean": (1, "a number", "true or false"),
    "object": ([], "a list", "an object"),
    "list": ({}, "an object", "a list"),
    "map": ([], "a list", "an object"),
}
TYPED_ROWS = [pattern for pattern, spec in CATALOG.items() if spec.kind != "unknown"]


def keys_of(group: dict[str, Any], path: FieldPath) -> list[str | int]:
    """The dict keys and list positions that lead to ``path``."""
    keys: list[str | int] = []
    node: Any = group
    for segment in path:
        if isinstance(node, list):
            key: str | int = next(i for i in range(len(node)) if child_segment(node, i) == segment)
        else:
            assert isinstance(segment, str | MapKey)
            key = segment if isinstance(segment, str) else segment.key
        keys.append(key)
        node = node[key]
    return keys


def put(group: dict[str, Any], keys: list[str | int], value: Any) -> None:
    """Set the value at ``keys`` (or delete it when ``value`` is ``...``)."""
    node: Any = group
    for key in keys[:-1]:
        node = node[key]
    if value is ...:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value


def named(group: dict[str, Any], keys: list[str | int]) -> str:
    """The path of ``keys`` in ``group`` as it is now: an element without an id is named by
    its position."""
    segments: list[Segment] = []
    node: Any = group
    for key in keys:
        if isinstance(key, int):
            segments.append(child_segment(node, key))
        else:
            segments.append(MapKey(key) if is_map(tuple(segments)) else key)
        node = node.get(key) if isinstance(node, dict) else node[key]
    return format_path(tuple(segments))


def test_the_sample_has_a_place_for_every_typed_row() -> None:
    places = first_place_of_each_row(every_kind_of_group())
    assert sorted(set(TYPED_ROWS) - set(places)) == []


@pytest.mark.parametrize("pattern", TYPED_ROWS)
def test_a_value_of_the_wrong_type_is_refused_at_every_row(pattern: str) -> None:
    group = every_kind_of_group()
    keys = keys_of(group, first_place_of_each_row(group)[pattern])
    wrong, sent, wanted = WRONG[CATALOG[pattern].kind]
    put(group, keys, wrong)
    with pytest.raises(ModelError) as caught:
        check_group(group, source="the server")
    where = named(group, keys)
    assert (
        str(caught.value) == f"the server sent {sent} at {where}, where the API promises {wanted}"
    )
    assert caught.value.path == where


REQUIRED_ROWS = [pattern for pattern, spec in CATALOG.items() if spec.required]


def test_ids_are_the_required_rows() -> None:
    assert REQUIRED_ROWS and all(pattern.rsplit(".", 1)[-1] == "id" for pattern in REQUIRED_ROWS)
    assert set(REQUIRED_ROWS) >= {"id", "periods[*].id", "targets[*].id", "streaks[*].id"}


@pytest.mark.parametrize("pattern", REQUIRED_ROWS)
def test_a_required_field_missing_or_null_is_refused(pattern: str) -> None:
    group = every_kind_of_group()
    keys = keys_of(group, first_place_of_each_row(group)[pattern])
    put(group, keys, None)
    with pytest.raises(ModelError) as caught:
        check_group(group, source="f.json")
    where = named(group, keys)
    assert str(caught.value) == f"f.json has null at {where}, where the API promises a whole number"
    put(group, keys, ...)
    with pytest.raises(ModelError) as caught:
        check_group(group, source="f.json")
    assert str(caught.value) == f"f.json has no {where}, which every element needs"
    assert caught.value.path == where


# Every row but the required ones and the elements of lists and maps (never null).
OPTIONAL_FIELDS = [p for p, spec in CATALOG.items() if not spec.required and not p.endswith("]")]


@pytest.mark.parametrize("pattern", OPTIONAL_FIELDS)
def test_every_other_field_may_be_null_or_missing(pattern: str) -> None:
    group = every_kind_of_group()
    keys = keys_of(group, first_place_of_each_row(group)[pattern])
    put(group, keys, None)
    check_group(group, source="the server")
    put(group, keys, ...)
    check_group(group, source="the server")
