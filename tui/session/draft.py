"""The draft files: every change on disk at once, so a crash or a failed submit loses nothing.

One file per editor and group under ``$XDG_STATE_HOME/tgedit/drafts``:
``<group id>-<server digest>.<editor>.json``, where ``<editor>`` is a random id of the
editor process (its ``DraftStore``). Two editors on one group never write, or delete,
each other's draft (design.md, "Nothing lost, at the edges too"). While an editor runs
it holds an ``flock`` on ``.<editor>.lock`` beside its drafts: a draft whose editor holds
no lock any more (it quit, crashed or was killed) is a leftover, offered back when the
group is opened again; a running editor's draft is left alone. A file named without an
editor (``<group id>-<digest>.json``, from before) is a leftover too.

A draft holds the fetched ``lastUpdatedOn`` and the changes by field path, never a
credential: the base URL is stored without any user:password part. Writes are atomic (a
temporary file in the same folder, fsync, rename), so a kill mid-write leaves the old
draft or the new one. What a file holds, and its JSON, is ``tui.session.draft_file``'s.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
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


# The name of a draft file after its group's prefix: ``.json`` (a draft of before editors
# had ids) or ``.<editor>.json``. Files moved aside (``.unreadable-…``) do not match.
_DRAFT_TAIL = re.compile(r"(?:\.(?P<editor>[0-9a-f]{8}))?\.json")


class DraftStore:
    """The drafts of one editor process (``editor``, a random id unless given), and the
    leftovers of editors that ended, in ``directory``."""

    def __init__(self, directory: Path | None = None, *, editor: str | None = None) -> None:
        self.directory = directory if directory is not None else default_state_dir() / "drafts"
        self.editor = editor or os.urandom(4).hex()
        self._owner_fd: int | None = None  # the lock that says this editor runs

    def _prefix(self, base_url: str, group_id: int) -> str:
        digest = hashlib.sha256(public_base_url(base_url).encode()).hexdigest()[:12]
        return f"{group_id}-{digest}"

    def path_for(self, base_url: str, group_id: int) -> Path:
        """This editor's own draft of the group."""
        return self.directory / f"{self._prefix(base_url, group_id)}.{self.editor}.json"

    def _owner_lock(self, editor: str) -> Path:
        return self.directory / f".{editor}.lock"

    def _claim(self) -> None:
        """Hold this editor's lock from its first draft on, until ``close``."""
        if self._owner_fd is not None:
            return
        from tui.session.lock import try_lock

        fd = os.open(self._owner_lock(self.editor), os.O_RDWR | os.O_CREAT, 0o600)
        if not try_lock(fd):  # pragma: no cover - an id is random: never taken
            os.close(fd)
            raise OSError(f"the draft id {self.editor} is taken by another editor")
        self._owner_fd = fd

    def close(self) -> None:
        """The editor ends: its drafts left on disk become leftovers, offered back; with
        none left, its lock file goes too."""
        if self._owner_fd is None:
            return
        with contextlib.suppress(OSError):
            if not any(self.directory.glob(f"*.{self.editor}.json")):
                self._owner_lock(self.editor).unlink()
        os.close(self._owner_fd)
        self._owner_fd = None

    def _alive(self, editor: str | None) -> bool:
        """Whether the editor that wrote a draft still runs (holds its lock)."""
        if editor is None:
            return False
        if editor == self.editor:
            return True
        from tui.session.lock import try_lock

        try:
            fd = os.open(self._owner_lock(editor), os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            return not try_lock(fd)
        finally:
            os.close(fd)  # the lock, if taken here, goes with it

    def save(self, draft: Draft) -> Path:
        draft.base_url = public_base_url(draft.base_url)
        target = self.path_for(draft.base_url, draft.group_id)
        private_dir(self.directory)
        self._claim()
        content = draft.to_json()
        write_atomically(
            target, lambda handle: json.dump(content, handle, ensure_ascii=False, indent=2)
        )
        return target

    def _files(self, base_url: str, group_id: int) -> list[tuple[Path, str | None]]:
        """Every draft file of the group, this editor's included: (path, its editor)."""
        prefix = self._prefix(base_url, group_id)
        found = []
        for name in os.listdir(self.directory):
            if name.startswith(prefix) and (tail := _DRAFT_TAIL.fullmatch(name[len(prefix) :])):
                found.append((self.directory / name, tail["editor"]))
        return found

    def drafts_of(self, base_url: str, group_id: int) -> list[Path]:
        """Every draft file of the group, of running editors and ended ones alike."""
        try:
            return [path for path, _ in self._files(base_url, group_id)]
        except FileNotFoundError:
            return []

    def leftovers(self, base_url: str, group_id: int) -> list[Path]:
        """The drafts of the group that editors which no longer run left, oldest first."""
        try:
            files = self._files(base_url, group_id)
        except FileNotFoundError:
            return []
        left = [path for path, editor in files if not self._alive(editor)]
        return sorted(left, key=_modified)

    def may_have(self, base_url: str, group_id: int) -> bool:
        """False only when there is surely no leftover draft for this group: a folder that
        cannot be read says True, for ``leftovers`` to raise what is wrong."""
        try:
            return any(editor != self.editor for _, editor in self._files(base_url, group_id))
        except FileNotFoundError:
            return False
        except OSError:
            return True

    def read(self, path: Path) -> Draft:
        """The draft in ``path``; DraftError (the file moved aside) if it is unreadable."""
        raw = path.read_bytes()
        from tui.session.draft_file import Draft  # only when there is a draft

        try:  # bytes that are not UTF-8 are a corrupt draft too (UnicodeDecodeError)
            return Draft.from_json(json.loads(raw.decode("utf-8")))
        except ValueError as error:
            moved = self.move_aside(path)
            group = path.name.split("-", 1)[0]
            raise DraftError(
                f"the draft for group {group} could not be read ({error}); "
                f"it was moved to {moved} and nothing was deleted",
                moved,
            ) from None

    def load(self, base_url: str, group_id: int) -> Draft | None:
        """This editor's draft of the group, else the newest draft of it left or kept by
        another editor; None if there is none; DraftError if it is unreadable."""
        own = self.path_for(base_url, group_id)
        files = [path for path in self.drafts_of(base_url, group_id) if path != own]
        for path in [own, *sorted(files, key=_modified, reverse=True)]:
            try:
                return self.read(path)
            except FileNotFoundError:
                continue
        return None

    def discard(self, base_url: str, group_id: int) -> None:
        """Remove this editor's own draft of the group (never another editor's)."""
        with contextlib.suppress(FileNotFoundError):
            self.path_for(base_url, group_id).unlink()

    def remove(self, path: Path) -> None:
        """Remove a leftover draft (restored, or discarded by the person); the lock file of
        its editor too, once that editor has no draft left."""
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        tail = _DRAFT_TAIL.search(path.name)
        editor = tail["editor"] if tail else None
        if editor and editor != self.editor and not any(self.directory.glob(f"*.{editor}.json")):
            with contextlib.suppress(FileNotFoundError):
                self._owner_lock(editor).unlink()

    def move_aside(self, path: Path, why: str = "unreadable") -> Path:
        """Keep a draft out of the offers, under a new name beside it, never deleted."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        moved = path.with_name(f"{path.stem}.{why}-{stamp}{path.suffix}")
        number = 1
        while moved.exists():  # never replace a draft moved aside earlier in the same second
            number += 1
            moved = path.with_name(f"{path.stem}.{why}-{stamp}-{number}{path.suffix}")
        os.replace(path, moved)
        return moved


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


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
