"""Submitting a session: the conflict re-check, the PUT, its audit entry, the draft's removal.

The one way a change reaches the server, for the editor, ``set``, ``apply`` and
``revert``. It decides nothing about presentation: it returns a ``Submitted`` that the
editor shows in its dialogs and the CLI as lines and an exit code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.session.changes import EditRefused

if TYPE_CHECKING:
    from tui.api.results import EditResult
    from tui.session.audit import AuditLog, SentPut
    from tui.session.body import BodyMode
    from tui.session.changes import FieldChange
    from tui.session.conflict import ConflictReport
    from tui.session.draft import DraftStore
    from tui.session.edit import EditSession
    from tui.session.remote import GroupService


@dataclass(slots=True)
class AuditGap:
    """The audit log could not be settled after the PUT: its entry stays ``unknown``."""

    path: Path
    error: OSError

    @property
    def text(self) -> str:
        reason = self.error.strerror or str(self.error)
        return (
            f"the audit log {self.path} could not be written ({reason}): the PUT's entry "
            "stays 'outcome unknown'"
        )


class NotRecorded(Exception):
    """The write-ahead audit entry could not be written, so the PUT was not sent."""

    def __init__(self, gap: AuditGap) -> None:
        reason = gap.error.strerror or str(gap.error)
        super().__init__(
            f"nothing was sent: the audit log {gap.path} could not be written ({reason}), "
            "and a PUT leaves only once its audit entry is on disk; free some space (or "
            "make the state folder writable) and try again"
        )
        self.gap = gap


@dataclass(slots=True)
class Submitted:
    """What came of one submit: exactly one of ``conflict``, ``result`` and ``error``."""

    # The session's changes, as the PUT carried them (the session is replaced after).
    changes: list[FieldChange]
    # The group changed on the server since it was fetched: nothing was sent.
    conflict: ConflictReport | None = None
    # The server took the PUT: the updated group, its warnings, the status.
    result: EditResult | None = None
    # The re-check or the PUT failed; a PUT that may have gone out is in the audit log.
    error: Exception | None = None
    audit_gap: AuditGap | None = None


@dataclass(slots=True)
class DraftPlace:
    """Where the session's draft is kept, to be removed once the PUT is taken."""

    store: DraftStore
    key: str


class _Trail:
    """The audit entry of one PUT, written ahead (design.md "Nothing lost, at the edges
    too"): ``unknown`` before the PUT leaves, then settled by what came of it. A process
    killed meanwhile leaves it ``unknown``, which is the truth."""

    def __init__(self, audit: AuditLog | None, put: SentPut | None) -> None:
        self.audit = audit
        self.put = put
        self.entry_id: str | None = None  # the write-ahead entry's, once on disk
        self.gap: AuditGap | None = None

    def before_put(self) -> None:
        def ahead(log: AuditLog, put: SentPut) -> None:
            self.entry_id = log.record_sending(put)

        self._write(ahead)

    def after_reply(self, result: EditResult) -> None:
        warnings = list(result.warnings or [])
        self._write(
            lambda log, put: log.record_success(
                put, status=result.status, warnings=warnings, entry_id=self.entry_id
            )
        )

    def after_failure(self, error: Exception) -> None:
        from tui.session.audit import from_the_put

        entry_id = self.entry_id
        if from_the_put(error):
            self._write(lambda log, put: log.record_failure(put, error, entry_id))
        elif entry_id is not None and isinstance(getattr(error, "url", None), str):
            # Another call failed first (the token's): the PUT never left.
            self._write(lambda log, put: log.record_not_sent(put, entry_id))
        # Else no call is named: whether the PUT left is not known, and the entry says so.

    def _write(self, write: Callable[[AuditLog, SentPut], None]) -> None:
        if self.audit is None or self.put is None:
            return
        try:
            write(self.audit, self.put)
        except OSError as error:  # the PUT happens either way: the caller says there is a gap
            self.gap = AuditGap(self.audit.path, error)


async def submit(
    service: GroupService,
    session: EditSession,
    mode: BodyMode,
    *,
    audit: AuditLog | None,
    recheck: bool = True,
    draft: DraftPlace | None = None,
    sending: Callable[[], None] | None = None,
    waiting: Callable[[str], None] | None = None,
) -> Submitted:
    """Re-check ``lastUpdatedOn`` (unless ``recheck`` is False: an overwrite), send the PUT
    in ``mode``, write its audit entry (to ``audit``, if given and the service has a base
    URL), and remove the draft at ``draft`` once the server took it.

    Never raises for a failure of the request: it is returned in ``error``, after its
    audit entry, so that each caller presents both. ``sending`` is called just before the
    PUT (the editor's "Sending…").

    From the re-check until the audit entry is settled, the group's lock in the state
    folder (the audit log's) is held (``tui.session.lock``): a second process sending to
    the group waits its turn (``waiting`` is told so), then does its own re-check.
    """
    from tui.session.expression_sync import unsendable_targets

    problems = unsendable_targets(session)
    if problems:  # every caller says so first; this is the guarantee (design.md, Safety)
        raise EditRefused("targets", "; ".join(problems))
    changes = session.changes()
    if audit is None or not service.base_url:
        return await _checked_put(service, session, mode, audit, recheck, draft, sending)
    from tui.session.lock import GroupBusy, group_lock

    try:
        async with group_lock(
            audit.path.parent,
            service.base_url,
            session.group_id,
            wait=service.wait_seconds,
            waiting=waiting,
        ):
            return await _checked_put(service, session, mode, audit, recheck, draft, sending)
    except GroupBusy as error:  # nothing was sent
        return Submitted(changes, error=error)


async def _checked_put(
    service: GroupService,
    session: EditSession,
    mode: BodyMode,
    audit: AuditLog | None,
    recheck: bool,
    draft: DraftPlace | None,
    sending: Callable[[], None] | None,
) -> Submitted:
    changes = session.changes()
    trailed = audit is not None and bool(service.base_url)
    report = None
    try:
        # An overwrite checks too when it is audited: its "before" is what it replaces.
        if recheck or trailed:
            report = await service.check_conflict(session)
            if report is not None and recheck:
                return Submitted(changes, conflict=report)
    except Exception as error:  # the caller says what failed; nothing was sent
        return Submitted(changes, error=error)
    # No base URL, no trail: an editor opened on a file has nowhere it sent to.
    replacing = report.current_group if report is not None else None
    put = service.sent_put(session, mode, replacing) if trailed else None
    trail = _Trail(audit, put)
    if sending is not None:
        sending()
    trail.before_put()
    if trail.gap is not None:  # write-ahead: no entry on disk, no PUT
        return Submitted(changes, error=NotRecorded(trail.gap))
    try:
        result = await service.submit(session, mode)
    except Exception as error:  # the caller says what failed; the edits stay in the session
        trail.after_failure(error)
        return Submitted(changes, error=error, audit_gap=trail.gap)
    trail.after_reply(result)
    if draft is not None:
        draft.store.discard(draft.key, session.group_id)
    return Submitted(changes, result=result, audit_gap=trail.gap)
