"""The on-disk draft: written at every change, private, credential-free, atomic, recoverable."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from session_support import revert, revert_all

from tui.session.draft import DraftError, DraftKeeper, DraftStore, public_base_url
from tui.session.draft_file import Draft
from tui.session.edit import EditSession
from tui.session.restore import restore_draft

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://eu.api.capillarytech.com"
FETCHED_AT = "2025-11-18T13:51:31.644+0000"
EXPR = "currentTxn.value>500"


def group_2762() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (FIXTURES / "edit-response-2762.json").read_text(encoding="utf-8")
    )["data"]
    return data


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "state" / "drafts")


def kept_session(store: DraftStore, base_url: str = BASE) -> tuple[EditSession, DraftKeeper]:
    session = EditSession(group_2762())
    keeper = DraftKeeper(store, base_url)
    session.subscribe(keeper)
    return session, keeper


def on_disk(store: DraftStore, base_url: str = BASE, group_id: int = 2762) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        store.path_for(base_url, group_id).read_text(encoding="utf-8")
    )
    return data


def files(directory: Path) -> list[str]:
    """The files of the drafts folder, but for the lock that says an editor runs."""
    return sorted(p.name for p in directory.iterdir() if p.suffix != ".lock")


# --- written at every change --------------------------------------------------------------------


def test_every_change_is_on_disk_at_once(store: DraftStore) -> None:
    session, keeper = kept_session(store)
    assert not store.path_for(BASE, 2762).exists()

    session.set("targets[3006].expression", EXPR)
    assert on_disk(store)["changes"] == [{"path": "targets[3006].expression", "value": EXPR}]

    session.set("name", "Größe")
    draft = on_disk(store)
    assert draft["changes"] == [
        {"path": "name", "value": "Größe"},
        {"path": "targets[3006].expression", "value": EXPR},
    ]
    assert draft["format"] == 1
    assert draft["groupId"] == 2762
    assert draft["lastUpdatedOn"] == FETCHED_AT
    assert draft["baseUrl"] == BASE
    assert draft["savedAt"]
    assert keeper.last_error is None

    session.undo()
    assert on_disk(store)["changes"] == [{"path": "targets[3006].expression", "value": EXPR}]


def test_the_draft_lives_in_the_given_directory_and_only_its_owner_may_read_it(
    store: DraftStore,
) -> None:
    session, _ = kept_session(store)
    session.set("preferredTillId", 42)
    path = store.path_for(BASE, 2762)
    assert path.parent == store.directory
    assert path.name.startswith("2762-") and path.suffix == ".json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.directory.stat().st_mode) & 0o077 == 0
    assert files(store.directory) == [path.name]  # no temporary file left behind
    assert on_disk(store)["changes"] == [{"path": "preferredTillId", "value": 42}]


def test_the_draft_never_holds_a_password_or_token_from_the_base_url(store: DraftStore) -> None:
    secret_url = "https://store.user:s3cr3t-pw@EU.api.capillarytech.com:443/v3/?token=tok-abc#frag"
    session, _ = kept_session(store, secret_url)
    session.set("name", "Renamed")
    path = store.path_for(secret_url, 2762)
    raw = path.read_bytes()
    for leak in (b"s3cr3t", b"store.user", b"tok-abc", b"frag"):
        assert leak not in raw
        assert leak.decode() not in path.name
    assert on_disk(store, secret_url)["baseUrl"] == "https://eu.api.capillarytech.com:443/v3"
    # the credentials do not pick the file either: the same server, the same draft
    assert store.path_for("https://eu.api.capillarytech.com:443/v3", 2762) == path


def test_drafts_of_two_servers_do_not_collide(store: DraftStore) -> None:
    assert store.path_for(BASE, 2762) != store.path_for("https://us.api.capillarytech.com", 2762)
    assert store.path_for(BASE, 2762) != store.path_for(BASE, 2763)


@pytest.mark.parametrize("way_back", ["set the fetched value", "undo", "revert", "revert_all"])
def test_the_draft_is_removed_when_no_change_is_left(store: DraftStore, way_back: str) -> None:
    session, _ = kept_session(store)
    session.set("name", "Renamed")
    path = store.path_for(BASE, 2762)
    assert path.exists()
    if way_back == "set the fetched value":
        session.set("name", "uatTargetGroup80")
    elif way_back == "undo":
        session.undo()
    elif way_back == "revert":
        revert(session, "name")
    else:
        revert_all(session)
    assert not path.exists()
    assert files(store.directory) == []
    if way_back == "undo":
        session.redo()
    else:
        session.undo()
    assert on_disk(store)["changes"] == [{"path": "name", "value": "Renamed"}]


def test_a_failed_write_keeps_the_edit_in_memory(
    store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, keeper = kept_session(store)
    session.set("name", "first")

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    session.set("name", "second")
    assert isinstance(keeper.last_error, OSError)
    assert session.value("name") == "second"
    assert on_disk(store)["changes"] == [{"path": "name", "value": "first"}]
    monkeypatch.undo()
    session.set("description", "d")
    assert keeper.last_error is None
    assert len(on_disk(store)["changes"]) == 2


# --- atomic writes -----------------------------------------------------------------------------------


def saved_draft(store: DraftStore, value: str) -> Path:
    return store.save(Draft(BASE, 2762, FETCHED_AT, [("name", value)]))


def test_a_failure_while_renaming_leaves_the_old_draft_and_no_temporary_file(
    store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved_draft(store, "old")
    before = path.read_bytes()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError("rename failed")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="rename failed"):
        saved_draft(store, "new")
    assert path.read_bytes() == before
    assert files(store.directory) == [path.name]


def test_a_failure_while_writing_json_leaves_the_old_draft_and_no_temporary_file(
    store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved_draft(store, "old")
    before = path.read_bytes()

    def half_written(obj: Any, stream: Any, **kwargs: Any) -> None:
        stream.write('{"format": 1, "chan')
        raise KeyboardInterrupt  # even an interrupt mid-write must not corrupt the draft

    monkeypatch.setattr(json, "dump", half_written)
    with pytest.raises(KeyboardInterrupt):
        saved_draft(store, "new")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert files(store.directory) == [path.name]
    loaded = store.load(BASE, 2762)
    assert loaded is not None and loaded.changes == [("name", "old")]


# --- restoring -----------------------------------------------------------------------------------------


def test_a_draft_restores_onto_a_new_session_as_one_step(store: DraftStore) -> None:
    first, _ = kept_session(store)
    first.set("name", "Renamed")
    first.set("targets[3006].expression", EXPR)

    draft = store.load("https://user:pw@eu.api.capillarytech.com/", 2762)
    assert draft is not None
    assert draft.last_updated_on == FETCHED_AT
    second = EditSession(group_2762())
    report = restore_draft(second, draft)
    assert report.applied == ["name", "targets[3006].expression"]
    assert report.refused == []
    assert report.server_moved is False
    assert second.body_text() == first.body_text()
    second.undo()
    assert not second.has_changes


def test_restore_reports_what_it_refuses_and_applies_the_rest() -> None:
    draft = Draft(
        BASE,
        2762,
        FETCHED_AT,
        [
            ("orgId", 1),
            ("targets[9999].expression", EXPR),
            ("name", ""),
            ("targets[3006.expression", EXPR),
            ("description", "kept"),
        ],
    )
    session = EditSession(group_2762())
    report = restore_draft(session, draft)
    assert report.applied == ["description"]
    refused = dict(report.refused)
    assert list(refused) == ["orgId", "targets[9999].expression", "name", "targets[3006.expression"]
    assert "read-only" in refused["orgId"]
    assert "no element with id 9999" in refused["targets[9999].expression"]
    assert "must not be blank" in refused["name"]
    assert "malformed field path" in refused["targets[3006.expression"]
    assert session.put_body() == {"id": 2762, "description": "kept"}


def test_restore_says_when_the_group_moved_on_the_server() -> None:
    newer = group_2762()
    newer["attribution"]["lastUpdatedOn"] = "2025-12-01T08:00:00.000+0000"
    session = EditSession(newer)
    report = restore_draft(session, Draft(BASE, 2762, FETCHED_AT, [("name", "Renamed")]))
    assert report.server_moved is True
    assert report.applied == ["name"]
    unmoved = restore_draft(EditSession(group_2762()), Draft(BASE, 2762, FETCHED_AT, []))
    assert unmoved.server_moved is False and unmoved.applied == []


def test_no_draft_is_none(store: DraftStore) -> None:
    assert store.load(BASE, 2762) is None
    store.discard(BASE, 2762)  # discarding what is not there is fine


# --- unreadable drafts are moved aside, never deleted ---------------------------------------------------

UNREADABLE: dict[str, bytes] = {
    "not JSON": b'{"format": 1, "changes": [',
    "not UTF-8": b"\xff\xfe\x00\x81 draft",
    "another format": json.dumps(
        {"format": 2, "groupId": 2762, "changes": [{"path": "name", "value": "x"}]}
    ).encode(),
    "no format": json.dumps({"groupId": 2762, "changes": []}).encode(),
    "changes not a list": json.dumps(
        {"format": 1, "groupId": 2762, "changes": {"name": 1}}
    ).encode(),
    "change without value": json.dumps(
        {"format": 1, "groupId": 2762, "changes": [{"path": "name"}]}
    ).encode(),
    "no group id": json.dumps({"format": 1, "changes": []}).encode(),
    "a list": b"[]",
}


@pytest.mark.parametrize("kind", list(UNREADABLE))
def test_an_unreadable_draft_is_moved_aside_with_its_bytes(store: DraftStore, kind: str) -> None:
    path = store.path_for(BASE, 2762)
    store.directory.mkdir(parents=True)
    path.write_bytes(UNREADABLE[kind])
    with pytest.raises(DraftError) as caught:
        store.load(BASE, 2762)
    moved = caught.value.moved_to
    assert moved is not None and moved.parent == store.directory
    assert moved.read_bytes() == UNREADABLE[kind]
    assert not path.exists()
    assert str(moved) in str(caught.value)
    assert "nothing was deleted" in str(caught.value)
    assert store.load(BASE, 2762) is None  # the next open starts clean


def test_another_format_version_says_which(store: DraftStore) -> None:
    store.directory.mkdir(parents=True)
    store.path_for(BASE, 2762).write_bytes(UNREADABLE["another format"])
    with pytest.raises(DraftError, match="format 2, this tgedit reads 1"):
        store.load(BASE, 2762)


def test_two_unreadable_drafts_in_a_row_are_both_kept(store: DraftStore) -> None:
    path = store.path_for(BASE, 2762)
    store.directory.mkdir(parents=True)
    moved: list[Path] = []
    for content in (b"first broken", b"second broken", b"third broken"):
        path.write_bytes(content)
        with pytest.raises(DraftError) as caught:
            store.load(BASE, 2762)
        assert caught.value.moved_to is not None
        moved.append(caught.value.moved_to)
    assert len(set(moved)) == 3
    assert [p.read_bytes() for p in moved] == [b"first broken", b"second broken", b"third broken"]


# --- where drafts live, and the public base URL ---------------------------------------------------------


def test_the_default_store_is_under_xdg_state_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    store = DraftStore()
    assert store.directory == tmp_path / "xdg-state" / "tgedit" / "drafts"
    saved = store.save(Draft(BASE, 2762, FETCHED_AT, [("name", "n")]))
    assert saved.parent == tmp_path / "xdg-state" / "tgedit" / "drafts"
    assert DraftStore().load(BASE, 2762) is not None


def test_a_draft_survives_to_json_and_back() -> None:
    draft = Draft(BASE, 2762, None, [("name", "n"), ("preferredTillId", 7)], saved_at="then")
    again = Draft.from_json(json.loads(json.dumps(draft.to_json())))
    assert again == draft


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("https://user:secret@host.example/", "https://host.example"),
        ("https://user@host.example", "https://host.example"),
        ("https://host.example:8443/base/", "https://host.example:8443/base"),
        ("https://host.example/?password=x#frag", "https://host.example"),
        ("http://u:p@[::1]:8080/", "http://[::1]:8080"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
    ],
)
def test_public_base_url_drops_credentials_query_and_fragment(url: str, public: str) -> None:
    assert public_base_url(url) == public


def test_may_have_says_no_only_when_there_is_no_other_draft_file(store: DraftStore) -> None:
    """The editor opens the draft dialog's code only when a draft may be there."""
    base_url = "https://eu.api.capillarytech.com"
    other = DraftStore(store.directory)
    assert not store.may_have(base_url, 2762)
    store.save(Draft(base_url=base_url, group_id=2762, last_updated_on=None, changes=[]))
    assert not store.may_have(base_url, 2762)  # its own draft is no leftover
    assert other.may_have(base_url, 2762)
    store.path_for(base_url, 2762).write_text("not json", encoding="utf-8")
    assert other.may_have(base_url, 2762)  # unreadable: read() says what is wrong


# --- one draft per editor (issue 19, finding 3) --------------------------------------------


def test_two_editors_keep_two_drafts_and_a_submit_removes_only_its_own(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    a, b = DraftStore(folder), DraftStore(folder)
    session_a, _ = kept_session(a)
    session_b, _ = kept_session(b)
    session_a.set("name", "From A")
    session_b.set("description", "From B")
    assert a.path_for(BASE, 2762) != b.path_for(BASE, 2762)
    assert on_disk(a)["changes"] == [{"path": "name", "value": "From A"}]
    assert on_disk(b)["changes"] == [{"path": "description", "value": "From B"}]
    # Both run: neither is offered the other's draft.
    assert a.leftovers(BASE, 2762) == [] and b.leftovers(BASE, 2762) == []
    a.discard(BASE, 2762)  # A's submit went through
    assert on_disk(b)["changes"] == [{"path": "description", "value": "From B"}]
    b.close()  # B is killed: what it left is offered to the next editor
    fresh = DraftStore(folder)
    (left,) = fresh.leftovers(BASE, 2762)
    assert left == b.path_for(BASE, 2762)
    assert fresh.read(left).changes == [("description", "From B")]


def test_an_editor_that_ends_with_no_draft_leaves_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    store = DraftStore(folder)
    session, _ = kept_session(store)
    session.set("name", "Sent later")
    store.discard(BASE, 2762)  # its submit went through
    store.close()
    assert list(folder.iterdir()) == []


def test_every_leftover_is_offered_and_taking_one_moves_it_into_the_own_draft(
    tmp_path: Path,
) -> None:
    from tui.session.restore import take_leftover

    folder = tmp_path / "drafts"
    first, second = DraftStore(folder), DraftStore(folder)
    kept_session(first)[0].set("name", "One")
    kept_session(second)[0].set("description", "Two")
    legacy = folder / first.path_for(BASE, 2762).name.replace(f".{first.editor}", "")
    legacy.write_text(first.path_for(BASE, 2762).read_text())  # a draft of before editor ids
    first.close()
    second.close()
    third = DraftStore(folder)
    left = third.leftovers(BASE, 2762)
    assert sorted(p.name for p in left) == sorted(
        [legacy.name, first.path_for(BASE, 2762).name, second.path_for(BASE, 2762).name]
    )
    session = EditSession(group_2762())
    report = take_leftover(third, BASE, session, left[0], third.read(left[0]))
    assert report.applied and report.kept_at is None
    assert not left[0].exists()
    assert third.path_for(BASE, 2762).exists()
    assert len(third.leftovers(BASE, 2762)) == 2


def test_a_leftover_stays_when_the_own_draft_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.session.restore import take_leftover

    folder = tmp_path / "drafts"
    old = DraftStore(folder)
    kept_session(old)[0].set("name", "Kept")
    old.close()
    new = DraftStore(folder)
    (left,) = new.leftovers(BASE, 2762)
    draft = new.read(left)

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    session = EditSession(group_2762())
    report = take_leftover(new, BASE, session, left, draft)
    assert session.value("name") == "Kept"
    assert report.kept_at == left and left.exists()
    assert report.not_saved is not None
