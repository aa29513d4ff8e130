"""Text find over the index (``find_text``) finds what walking the group (``matches``)
finds: the same paths, in the same order, edits included."""

from __future__ import annotations

import pytest

from tui.app.search import QUICK_HITS, find_text, index_for, matches, quick_find, walk
from tui.fields.paths import ElementId, format_path
from tui.session.edit import EditSession
from tui.stub.generate import make_group


def queries(session: EditSession) -> list[str]:
    """Every key's text and every value in the group, some cut short, and some misses."""
    found: set[str] = {"zzz-nowhere", "TARGET", "Ü", "[#", '["'}
    for path, value in walk(session.original):
        if path:
            found.add(format_path(path[-1:]))
        if not isinstance(value, dict | list):
            text = str(value)
            found.update({text, text[:3], text[-4:]})
    return sorted(q for q in found if q.strip())


@pytest.mark.parametrize(("periods", "targets"), [(3, 2), (12, 4)])
def test_the_index_finds_what_the_walk_finds(periods: int, targets: int) -> None:
    session = EditSession(make_group(periods, targets, group_id=77))
    for query in queries(session):
        assert list(find_text(session, query)) == matches(session, query), query


def test_an_edited_field_is_found_by_its_new_value_only() -> None:
    group = make_group(5, 3, group_id=78)
    session = EditSession(group)
    target = group["targets"][1]["id"]
    old = group["targets"][1]["description"]
    session.set(("targets", ElementId(target), "description"), "Ünïque Wörding")
    for query in (old, "ünïque wörding", "wörd", "description"):
        assert list(find_text(session, query)) == matches(session, query), query
    assert list(find_text(session, "ÜNÏQUE WÖRDING")) == [
        ("targets", ElementId(target), "description")
    ]


def test_a_hit_is_found_in_the_hits_without_a_walk() -> None:
    session = EditSession(make_group(8, 3, group_id=79))
    hits = find_text(session, "1")
    paths = matches(session, "1")
    assert len(hits) == len(paths) > 10
    for position, path in enumerate(paths):
        assert hits.index(path) == position
    with pytest.raises(ValueError):
        hits.index(("no", "such", "path"))
    with pytest.raises(ValueError):
        hits.index(("name",))  # a field that is there, but not a hit


def test_a_reloaded_group_gets_a_new_index() -> None:
    session = EditSession(make_group(3, 2, group_id=80))
    before = index_for(session)
    newer = make_group(3, 2, group_id=80)
    newer["name"] = "renamed on the server"
    session.rebase(newer)
    assert index_for(session) is not before
    assert list(find_text(session, "renamed on the")) == [("name",)]


def test_a_quick_find_needs_a_built_index_and_few_hits() -> None:
    session = EditSession(make_group(120, 3, group_id=81))
    query = "generated target 2 of 3"
    assert quick_find(session, query) is None  # no index yet: the find goes to a thread
    index_for(session)
    quick = quick_find(session, query)
    assert quick is not None and list(quick) == matches(session, query)
    assert len(matches(session, "0")) > QUICK_HITS
    assert quick_find(session, "0") is None  # too many hits for the UI thread
