"""The draft file: every change on disk at once, so a crash or a failed submit loses nothing.

One file per (base URL, group id) under ``$XDG_STATE_HOME/tgedit/drafts``. It holds the
fetched ``lastUpdatedOn`` and the changes by field path, never a credential: the base
URL is stored without any user:password part. Writes are atomic (a temporary file in
the same folder, fsync, rename), so a kill mid-write leaves the old draft or the new one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tui.fields import format_path
from tui.session.atomic_write import write_atomically
from tui.user_dirs import user_dir

FORMAT_VERSION = 1


class DraftError(ValueError):
    """A draft file that cannot be read; it has been moved aside, not deleted."""

    def __init__(self, message: str, moved_to: Path | None = None) -> None:
        super().__init__(message)
        self.moved_to = moved_to


@dataclass
class Draft:
    base_url: str
    group_id: int
    last_updated_on: str | None
    changes: list[tuple[str, Any]]
    saved_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%S%z"))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "baseUrl": self.base_url,
            "groupId": self.group_id,
            "lastUpdatedOn": self.last_updated_on,
            "savedAt": self.saved_at,
            "changes": [{"path": path, "value": value} for path, value in self.changes],
        }

    @classmethod
    def from_json(cls, data: Any) -> Draft:
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"format {data.get('format')!r}, this tgedit reads {FORMAT_VERSION}")
        changes = data.get("changes")
        if not isinstance(changes, list) or not all(
            isinstance(c, dict) and isinstance(c.get("path"), str) and "value" in c for c in changes
        ):
            raise ValueError("its changes are not a list of {path, value}")
        group_id = data.get("groupId")
        if not isinstance(group_id, int):
            raise ValueError("it names no group id")
        return cls(
            base_url=str(data.get("baseUrl", "")),
            group_id=group_id,
            last_updated_on=data.get("lastUpdatedOn"),
            changes=[(c["path"], c["value"]) for c in changes],
            saved_at=str(data.get("savedAt", "")),
        )


def public_base_url(base_url: str) -> str:
    """The base URL without user:password, a query or a fragment: safe to store and show."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address keeps its brackets: http://[::1]:8080
        host = f"[{host}]"
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def default_state_dir() -> Path:
    return user_dir("state")


class DraftStore:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else default_state_dir() / "drafts"

    def path_for(self, base_url: str, group_id: int) -> Path:
        digest = hashlib.sha256(public_base_url(base_url).encode()).hexdigest()[:12]
        return self.directory / f"{group_id}-{digest}.json"

    def save(self, draft: Draft) -> Path:
        draft.base_url = public_base_url(draft.base_url)
        target = self.path_for(draft.base_url, draft.group_id)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        content = draft.to_json()
        write_atomically(
            target, lambda handle: json.dump(content, handle, ensure_ascii=False, indent=2)
        )
        return target

    def may_have(self, base_url: str, group_id: int) -> bool:
        """False only when there is surely no draft for this group (no file): a folder
        that cannot be read says True, for ``load`` to raise what is wrong."""
        try:
            self.path_for(base_url, group_id).stat()
        except FileNotFoundError:
            return False
        except OSError:
            return True
        return True

    def load(self, base_url: str, group_id: int) -> Draft | None:
        """The draft for this group, None if there is none; DraftError if it is unreadable."""
        path = self.path_for(base_url, group_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        try:  # bytes that are not UTF-8 are a corrupt draft too (UnicodeDecodeError)
            return Draft.from_json(json.loads(raw.decode("utf-8")))
        except ValueError as error:
            moved = self._move_aside(path)
            raise DraftError(
                f"the draft for group {group_id} could not be read ({error}); "
                f"it was moved to {moved} and nothing was deleted",
                moved,
            ) from None

    def discard(self, base_url: str, group_id: int) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(base_url, group_id).unlink()

    def set_aside(self, base_url: str, group_id: int) -> Path:
        """Keep a draft the user did not want now out of the way of the next edit, whose
        draft would replace it: moved beside it under a new name, never deleted."""
        return self._move_aside(self.path_for(base_url, group_id), why="set-aside")

    def _move_aside(self, path: Path, why: str = "unreadable") -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        moved = path.with_name(f"{path.stem}.{why}-{stamp}{path.suffix}")
        number = 1
        while moved.exists():  # never replace a draft moved aside earlier in the same second
            number += 1
            moved = path.with_name(f"{path.stem}.{why}-{stamp}-{number}{path.suffix}")
        os.replace(path, moved)
        return moved


def draft_of(session: Any, base_url: str) -> Draft:
    """The draft that records ``session``'s changes (an EditSession)."""
    return Draft(
        base_url=base_url,
        group_id=session.group_id,
        last_updated_on=session.last_updated_on,
        changes=[(format_path(c.path), c.after) for c in session.changes()],
    )


class DraftKeeper:
    """Writes the session's draft at every change, and removes it when nothing is changed."""

    def __init__(self, store: DraftStore, base_url: str) -> None:
        self.store = store
        self.base_url = base_url
        self.last_error: OSError | None = None

    def __call__(self, session: Any) -> None:
        try:
            if session.has_changes:
                self.store.save(draft_of(session, self.base_url))
            else:
                self.store.discard(self.base_url, session.group_id)
            self.last_error = None
        except OSError as error:  # a full disk must not lose the edit in memory
            self.last_error = error
