"""The draft file: every change on disk at once, so a crash or a failed submit loses nothing.

One file per (base URL, group id) under ``$XDG_STATE_HOME/tgedit/drafts``. It holds the
fetched ``lastUpdatedOn`` and the changes by field path, never a credential: the base
URL is stored without any user:password part. Writes are atomic (a temporary file in
the same folder, fsync, rename), so a kill mid-write leaves the old draft or the new one.
What a file holds, and its JSON, is ``tui.session.draft_file``'s.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from tui.session.atomic_write import write_atomically
from tui.user_dirs import private_dir, user_dir

if TYPE_CHECKING:
    from tui.session.draft_file import Draft


class DraftError(ValueError):
    """A draft file that cannot be read; it has been moved aside, not deleted."""

    def __init__(self, message: str, moved_to: Path | None = None) -> None:
        super().__init__(message)
        self.moved_to = moved_to


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
        private_dir(self.directory)
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
        from tui.session.draft_file import Draft  # only when there is a draft

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


class DraftKeeper:
    """Writes the session's draft at every change, and removes it when nothing is changed."""

    def __init__(self, store: DraftStore, base_url: str) -> None:
        self.store = store
        self.base_url = base_url
        self.last_error: OSError | None = None

    def __call__(self, session: Any) -> None:
        try:
            if session.has_changes:
                from tui.session.draft_file import draft_of  # from the first change on

                self.store.save(draft_of(session, self.base_url))
            else:
                self.store.discard(self.base_url, session.group_id)
            self.last_error = None
        except OSError as error:  # a full disk must not lose the edit in memory
            self.last_error = error
