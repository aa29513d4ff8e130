"""The audit trail: every PUT that was sent, one JSON line each, never a credential.

``$XDG_STATE_HOME/tgedit/audit.jsonl``, appended to by ``tgedit set`` and by the editor,
read by ``tgedit history``. A line holds the time, the base URL (without any
user:password), the group id, the body sent, the HTTP status (null when no answer
came), what came of it, the reply's errors and warnings, and the one-sentence message
of a failure. Error messages come from the API client, which has scrubbed every
credential from them already.

Since config as code (``tgedit revert``) a line also holds a stable ``id``, the ``user``
(a username, or a client key shown by its last four characters only: this project treats
the key itself as a secret), and ``changes``: each field path with its value ``before``
and ``after``, which is what a revert puts back. Lines written before lack the three;
they still read, and get an id derived from the line itself.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.session.draft import default_state_dir, public_base_url
from tui.user_dirs import private_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: appends are not serialised there
    fcntl = None  # type: ignore[assignment]

# What came of a PUT: the server took it; the server said no (nothing changed); or
# nobody knows (a 5xx, no answer, a reply that cannot be read): reload to see.
APPLIED = "applied"
REFUSED = "refused"
UNKNOWN = "unknown"
# A write-ahead entry whose PUT never left (the call before it failed): not shown.
NOT_SENT = "not sent"
# The message of a write-ahead entry until the PUT's answer is read.
NO_ANSWER_YET = (
    "no answer was read (the process ended while the PUT was on its way): "
    "the change may or may not have been applied"
)


@dataclass
class AuditEntry:
    time: str
    base_url: str
    group_id: int
    body: Any
    status: int | None
    errors: list[Any]
    warnings: list[Any]
    outcome: str
    message: str | None = None
    id: str = ""
    user: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        entry = {
            "id": self.id,
            "time": self.time,
            "baseUrl": self.base_url,
            "groupId": self.group_id,
            "user": self.user,
            "status": self.status,
            "outcome": self.outcome,
            "errors": self.errors,
            "warnings": self.warnings,
            "changes": self.changes,
            "body": self.body,
        }
        if self.message is not None:
            entry["message"] = self.message
        return entry


def outcome_of(status: int | None, error: BaseException | None = None) -> str:
    """applied (2xx, no error), refused (a 4xx answer) or unknown (anything else)."""
    if error is None and status is not None and 200 <= status < 300:
        return APPLIED
    if status is not None and 400 <= status < 500:
        return REFUSED
    return UNKNOWN


def _item(item: Any) -> Any:
    """An error or warning item as JSON: ``{"code", "message"}`` objects stay objects."""
    if isinstance(item, dict | str | int | float | bool) or item is None:
        return item
    as_json = getattr(item, "as_json", None)  # tui.api's items, without loading tui.api
    if callable(as_json):
        return as_json()
    code, message = getattr(item, "code", None), getattr(item, "message", None)
    if message is not None:
        return {"code": code, "message": message}
    return str(item)


@dataclass(frozen=True)
class SentPut:
    """Where a PUT went, the body it carried byte for byte, who sent it and what it changed."""

    base_url: str
    group_id: int
    body_text: str
    user: str | None = None
    # (path text, before, after) of each field the PUT changes
    changes: tuple[tuple[str, Any, Any], ...] = ()


def new_entry_id() -> str:
    """A short random id: stable once written, unique enough for one machine's log."""
    return secrets.token_hex(4)


def legacy_entry_id(line: str) -> str:
    """The id of a line written before entries had one: derived from the line, so stable."""
    return "l" + hashlib.sha256(line.encode("utf-8")).hexdigest()[:7]


def user_label(auth: object) -> str | None:
    """Who sent a PUT, without a secret: the Basic username, the client key's last four
    characters, or None for a bare token (which names nobody)."""
    username = getattr(auth, "username", None)
    if isinstance(username, str) and username:
        return username
    client_key = getattr(auth, "client_key", None)
    if isinstance(client_key, str) and client_key:
        return f"client key …{client_key[-4:]}" if len(client_key) > 8 else "client key"
    return None


def change_items(changes: Iterable[tuple[str, Any, Any]]) -> list[dict[str, Any]]:
    return [{"path": path, "before": before, "after": after} for path, before, after in changes]


def from_the_put(error: BaseException) -> bool:
    """Whether a failure came from the edit call itself (not the token call before it)."""
    from tui.api.endpoints import is_edit_url

    url = getattr(error, "url", None)
    return isinstance(url, str) and is_edit_url(url)


# The one call that writes the log's bytes (a test makes it fail as a full disk does).
_write = os.write


def _append_line(path: Path, data: bytes) -> None:
    """Append ``data`` (one line) whole, or not at all: an OSError says why not.

    O_APPEND, under an exclusive ``flock`` so that tgedit processes append one at a
    time. A line torn by a kill or a full disk earlier: this one starts on a line of its
    own. A short write (a full disk) is taken back by truncating to the size before, so
    the log never holds half a line of ours; the write is fsync'd, so a write-ahead
    entry is on disk before its PUT leaves.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        # (lseek and read, not pread, which Windows lacks; O_APPEND writes at the end.)
        size = os.fstat(fd).st_size
        if size > 0:
            os.lseek(fd, size - 1, os.SEEK_SET)
            if os.read(fd, 1) != b"\n":
                data = b"\n" + data
        try:
            done = 0
            while done < len(data):
                written = _write(fd, data[done:])
                if written <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
                done += written
            os.fsync(fd)
        except OSError:
            with contextlib.suppress(OSError):  # a torn line at worst, which readers skip
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)  # closing releases the lock


class AuditLog:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_state_dir() / "audit.jsonl"
        # How many lines the last ``entries`` could not read (a torn line: a kill, a full disk).
        self.unreadable_lines = 0

    def append(
        self,
        *,
        base_url: str,
        group_id: int,
        body_text: str,
        status: int | None,
        errors: list[Any] | None = None,
        warnings: list[Any] | None = None,
        outcome: str | None = None,
        message: str | None = None,
        user: str | None = None,
        changes: Iterable[tuple[str, Any, Any]] = (),
        entry_id: str | None = None,
    ) -> str:
        """Append one line; returns its id. With ``entry_id`` the line settles the entry
        of that id written before (``entries`` reads the last line of an id)."""
        try:
            body: Any = json.loads(body_text)
        except ValueError:  # never lose the line over a body that is not JSON
            body = body_text
        entry = AuditEntry(
            time=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            base_url=public_base_url(base_url),
            group_id=group_id,
            body=body,
            status=status,
            errors=[_item(e) for e in errors or []],
            warnings=[_item(w) for w in warnings or []],
            outcome=outcome or outcome_of(status),
            message=message,
            id=entry_id or new_entry_id(),
            user=user,
            changes=change_items(changes),
        )
        private_dir(self.path.parent)
        line = json.dumps(entry.to_json(), ensure_ascii=False) + "\n"
        _append_line(self.path, line.encode("utf-8"))
        return entry.id

    def record_sending(self, put: SentPut) -> str:
        """Write-ahead: the PUT about to leave, ``unknown`` until its answer settles the
        entry (``record_success``, ``record_failure``, ``record_not_sent`` with the id
        returned). A process that ends before leaves it ``unknown``, which it is."""
        return self.append(
            base_url=put.base_url,
            group_id=put.group_id,
            body_text=put.body_text,
            status=None,
            outcome=UNKNOWN,
            message=NO_ANSWER_YET,
            user=put.user,
            changes=put.changes,
        )

    def record_success(
        self, put: SentPut, *, status: int, warnings: list[Any], entry_id: str | None = None
    ) -> None:
        """A PUT the server answered with the updated group."""
        self.append(
            base_url=put.base_url,
            group_id=put.group_id,
            body_text=put.body_text,
            status=status,
            warnings=warnings,
            outcome=outcome_of(status),
            user=put.user,
            changes=put.changes,
            entry_id=entry_id,
        )

    def record_not_sent(self, put: SentPut, entry_id: str) -> None:
        """The write-ahead entry ``entry_id`` of a PUT that never left (the token call
        before it failed): taken back."""
        self.append(
            base_url=put.base_url,
            group_id=put.group_id,
            body_text=put.body_text,
            status=None,
            outcome=NOT_SENT,
            user=put.user,
            entry_id=entry_id,
        )

    def record_failure(
        self, put: SentPut, error: BaseException, entry_id: str | None = None
    ) -> None:
        """A PUT that went out and failed: an error status, no answer, or an unusable reply."""
        raw_status = getattr(error, "status", None)
        status = raw_status if isinstance(raw_status, int) else None
        self.append(
            base_url=put.base_url,
            group_id=put.group_id,
            body_text=put.body_text,
            status=status,
            errors=list(getattr(error, "errors", None) or []),
            outcome=outcome_of(status, error),
            message=getattr(error, "message", None) or str(error) or type(error).__name__,
            user=put.user,
            changes=put.changes,
            entry_id=entry_id,
        )

    def entries(self, group_id: int | None = None) -> list[dict[str, Any]]:
        """Newest first; a line that cannot be read is skipped, not fatal, and counted
        in ``unreadable_lines``.

        A later line with an entry's id settles it (the write-ahead entry of a PUT, then
        its outcome): the entry reads as its last line, in the place of its first."""
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        found: dict[str | int, dict[str, Any]] = {}  # by id; a dict keeps the first place
        self.unreadable_lines = 0
        for number, line in enumerate(lines):
            try:
                entry = json.loads(line)
            except ValueError:
                self.unreadable_lines += bool(line.strip())
                continue
            if isinstance(entry, dict) and (group_id is None or entry.get("groupId") == group_id):
                if isinstance(entry.get("id"), str) and entry["id"]:
                    found[entry["id"]] = entry
                else:  # an old line: its own entry, even when another line reads the same
                    found[number] = {"id": legacy_entry_id(line), **entry}
        return [e for e in found.values() if e.get("outcome") != NOT_SENT][::-1]

    def find(self, entry_id: str) -> dict[str, Any]:
        """The entry with this id, or the one whose id starts with it (as git takes a
        commit's prefix). KeyError says why none fits."""
        wanted = entry_id.strip()
        entries = self.entries()
        exact = [e for e in entries if e["id"] == wanted]
        if exact:
            return exact[0]
        prefixed = [e for e in entries if wanted and e["id"].startswith(wanted)]
        if len(prefixed) == 1:
            return prefixed[0]
        if prefixed:
            raise KeyError(f"{len(prefixed)} audit entries start with {wanted!r}; give more of it")
        raise KeyError(f"no audit entry has the id {wanted!r} (see tgedit history)")
